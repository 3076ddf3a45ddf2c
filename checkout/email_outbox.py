"""Sending the email outbox (``EmailOutbox``): each row delivered once, whatever the hosts do.

- **Claim first.** A sender owns a row only after its conditional UPDATE moves it from
  ``pending`` and due (or ``sending`` with a claim older than EMAIL_OUTBOX_CLAIM_MINUTES: its
  sender died) to ``sending`` with a fresh ``claimed_at``. The UPDATE is one atomic statement on
  PostgreSQL and SQLite alike, so of two hosts (or threads) racing for a row exactly one wins.
- **No lock across SMTP.** The claim commits at once (autocommit); the SMTP call runs with no
  transaction open; the outcome is a second short UPDATE, made only by the claim's owner.
- **Retries.** A failure counts an attempt, keeps the error (type and server answer, never the
  connection settings) and waits 1, 2, 4 ... minutes (capped at EMAIL_OUTBOX_BACKOFF_CAP); after
  EMAIL_OUTBOX_MAX_ATTEMPTS the row is ``failed`` and waits for staff (admin: "Retry").
- **Requests never fail because of mail.** ``send_after_commit`` (the ``on_commit`` hook of every
  enqueue) logs and swallows every error; ``send_outbox`` (cron) picks the row up later.
- **Not in the request** (``EMAIL_OUTBOX_SEND``): ``background`` (the default) hands the row's
  key to this process's sender thread, which sends after the response, one row after another,
  and closes its database connection whenever its queue is empty; ``inline`` sends in the
  ``on_commit`` hook, before the response (the response waits for the mail server, at most
  EMAIL_TIMEOUT); ``cron`` leaves every row to ``send_outbox``. In every mode the row was
  committed with its event and ``send_outbox`` is the backstop (a process that exits with rows
  queued, a mail server down): the claim makes any mix of senders deliver each row once.

A claim outlives any SMTP call (EMAIL_TIMEOUT is seconds, the claim minutes), so a row is
re-claimed only from a sender that is gone.
"""

import atexit
import logging
import queue
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from . import emails
from .models import EmailOutbox

logger = logging.getLogger("checkout.email_outbox")

State = EmailOutbox.State


@dataclass
class SendSummary:
    """What one ``send_due`` run did, row by row."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another sender first
    errors: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.skipped} taken by another sender"
        )


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4 ... minutes, capped."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), settings.EMAIL_OUTBOX_BACKOFF_CAP))


def _claimable(now) -> Q:
    stale = now - timedelta(minutes=settings.EMAIL_OUTBOX_CLAIM_MINUTES)
    return Q(state=State.PENDING, next_attempt_at__lte=now) | Q(state=State.SENDING, claimed_at__lt=stale)


def due(now=None):
    """The rows a sender may claim now, oldest first."""
    return EmailOutbox.objects.filter(_claimable(now or timezone.now())).order_by("next_attempt_at", "id")


def claim(now=None, **row):
    """Take the row identified by ``row`` (its pk, or its order, kind and event id) for
    sending: the claim time when this caller won it, else None. One conditional UPDATE; call
    it outside any transaction so the claim is visible to other senders at once."""
    now = now or timezone.now()
    won = EmailOutbox.objects.filter(_claimable(now), **row).update(state=State.SENDING, claimed_at=now)
    return now if won == 1 else None


def send_row(context=None, **lookup) -> str:
    """Claim the row (``pk=``, or ``order_id=, kind=, event_id=``) and send it. Returns "sent",
    "retrying", "failed" or "skipped" (another sender holds it, or it is not due). SMTP errors
    are recorded on the row, not raised. A row without bodies is rendered first, from
    ``context()`` when its enqueuer handed one over (``checkout.emails.render_stored``)."""
    claimed_at = claim(**lookup)
    if claimed_at is None:
        return "skipped"
    row = EmailOutbox.objects.get(state=State.SENDING, claimed_at=claimed_at, **lookup)
    pk = row.pk
    mine = EmailOutbox.objects.filter(pk=pk, state=State.SENDING, claimed_at=claimed_at)
    bodies = {}
    if not row.text_body:  # enqueued without bodies (the confirmation): its first sender renders
        try:
            row.text_body, row.html_body = emails.render_stored(row, context)
        except Exception as error:  # noqa: BLE001 - a template bug: failed, visible in the admin
            logger.exception("%s email %s for order %s could not be rendered", row.kind, pk, row.order_id)
            mine.update(state=State.FAILED, last_error=emails.not_rendered(error))
            return "failed"
        bodies = {"text_body": row.text_body, "html_body": row.html_body}  # saved with the outcome
    try:  # from here on every outcome is written back, or the row would wait for its claim to expire
        message = EmailMultiAlternatives(
            subject=row.subject,
            body=row.text_body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.recipient],
            connection=get_connection(fail_silently=False),
        )
        message.attach_alternative(row.html_body, "text/html")
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail backend is a retry
        attempts = row.attempts + 1
        final = attempts >= settings.EMAIL_OUTBOX_MAX_ATTEMPTS
        mine.update(
            state=State.FAILED if final else State.PENDING,
            attempts=attempts,
            next_attempt_at=timezone.now() + backoff(attempts),
            last_error=_describe(error),
            **bodies,
        )
        logger.warning(
            "%s email %s for order %s, attempt %s: %s",
            row.kind,
            pk,
            row.order_id,
            attempts,
            _describe(error),
        )
        return "failed" if final else "retrying"
    mine.update(state=State.SENT, attempts=row.attempts + 1, sent_at=timezone.now(), last_error="", **bodies)
    logger.info("%s email %s for order %s sent to the mail server", row.kind, pk, row.order_id)
    return "sent"


def send_due(limit: int = 500) -> SendSummary:
    """Send every row that is due (cron: ``manage.py send_outbox``). Idempotent: a row sent is
    never due again; one another sender claims first is skipped."""
    summary = SendSummary()
    for pk in list(due().values_list("pk", flat=True)[:limit]):
        outcome = send_row(pk=pk)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    return summary


def send_after_commit(order_id: int, kind: str, event_id: str, context=None) -> None:
    """The ``on_commit`` hook of an enqueue: send the row as ``EMAIL_OUTBOX_SEND`` says (by
    default: queue it for the sender thread, so the response does not wait). Never raises; a
    row that could not be sent stays for ``send_outbox``."""
    mode = settings.EMAIL_OUTBOX_SEND
    if mode == "background":
        _SENDER.submit(order_id, kind, event_id, context)
    elif mode == "inline":
        _send_logged(order_id, kind, event_id, context)


def _send_logged(order_id: int, kind: str, event_id: str, context=None) -> None:
    try:
        send_row(context, order_id=order_id, kind=kind, event_id=event_id)
    except Exception:  # noqa: BLE001 - the event is committed; mail must not fail the request
        logger.exception("%s email for order %s not sent after commit", kind, order_id)


class _Sender:
    """One thread per process sending the rows queued by ``send_after_commit``, in order. Started
    on first use (and again in a forked child, where the parent's thread does not exist)."""

    def __init__(self):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0

    def submit(self, order_id: int, kind: str, event_id: str, context=None) -> None:
        with self._lock:
            self._pending += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="email-outbox-sender", daemon=True)
                self._thread.start()
        self._queue.put((order_id, kind, event_id, context))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued row was handled (sent, or left for ``send_outbox``)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            key = self._queue.get()
            try:
                _send_logged(*key)
            finally:
                if self._queue.empty():
                    # As at a request's end: a connection past CONN_MAX_AGE (0: every one) or
                    # broken is closed; a persistent one is kept for the next email.
                    close_old_connections()
                with self._idle:
                    self._pending -= 1
                    if self._pending == 0:
                        self._idle.notify_all()


_SENDER = _Sender()


def wait_for_sender(timeout: float | None = None) -> bool:
    """Wait until this process's sender thread has handled every queued row (tests, the bench,
    and interpreter exit); True unless ``timeout`` ran out first."""
    return _SENDER.wait(timeout)


# A worker that exits (gunicorn's graceful restart) first sends what it queued, for at most
# about one SMTP timeout; whatever is left is sent by send_outbox.
atexit.register(lambda: _SENDER.wait(timeout=settings.EMAIL_TIMEOUT + 1))


def retry(queryset) -> int:
    """Staff's "retry": failed (or pending) rows become due now with their attempts reset;
    ``last_error`` is kept until the next attempt. Sent rows are left alone, and so are rows
    without bodies (not rendered, or not yet: ``checkout.emails``)."""
    return (
        queryset.filter(state__in=[State.FAILED, State.PENDING])
        .exclude(text_body="")
        .update(state=State.PENDING, attempts=0, next_attempt_at=timezone.now())
    )


def _describe(error: Exception) -> str:
    """The error for ``last_error``: its type and the server's answer, without the password."""
    text = f"{type(error).__name__}: {error}"
    password = getattr(settings, "EMAIL_HOST_PASSWORD", "")
    if password:
        text = text.replace(password, "***")
    return text[:1000]
