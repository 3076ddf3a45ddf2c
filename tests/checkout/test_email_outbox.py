"""The email outbox against a real SMTP server (aiosmtpd, tests/smtp_fixtures.py): every
order email is written with its event, arrives exactly once, survives the mail server being
down, and is never sent twice by two senders.

Transactional tests: the outbox sends in ``on_commit``, so the commits must be real.
"""

import threading
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from checkout import email_outbox, emails
from checkout.models import EmailOutbox, Order
from checkout.orders import cancel_order
from payments_klarna import order_management
from payments_klarna.models import KlarnaPayment
from shop.money import quantize
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db(transaction=True)


def place(gql, cart_id) -> Order:
    result = gql.data(PLACE_ORDER, {"cart": cart_id})  # asserts the answer has no errors
    return Order.objects.get(number=result["placeOrder"]["order"]["order_number"])


def send_outbox() -> str:
    out = StringIO()
    call_command("send_outbox", stdout=out)
    return out.getvalue().strip()


def make_due(**filters):
    """Time passes: the backoff of the matching rows is over."""
    EmailOutbox.objects.filter(**filters).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def euros(amount) -> str:
    return f"{quantize(amount, 'EUR')}".replace(".", ",") + "\xa0€"  # en-DE, the store locale


def test_placing_an_order_sends_one_confirmation_that_arrives_once(gql, ready_to_place_cart, smtp_server):
    order = place(gql, ready_to_place_cart())

    row = EmailOutbox.objects.get()
    assert (row.kind, row.order_id, row.state, row.attempts) == ("confirmation", order.pk, "sent", 1)
    assert row.sent_at is not None and row.last_error == ""
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["erika@example.com"]
    assert message["To"] == "erika@example.com"
    assert message["From"] == "shop@example.com"
    assert message["Subject"] == f"Your order #{order.number} at Klarna Demo Store"
    text, html = parts(message)
    total = euros(order.grand_total)
    assert order.grand_total > 0 and f"Total: {total}" in text
    assert f"<strong>{total}</strong>" in html
    # Two lines of the product, and the shipping address as an address, line by line.
    assert "2 × " in text
    assert "Erika Mustermann\nHeidestraße 17\n51147 Köln\nGermany\n" in text
    assert "<address>Erika Mustermann<br>Heidestraße 17<br>51147 Köln<br>Germany</address>" in html

    assert send_outbox() == "send_outbox: 0 sent, 0 to retry, 0 failed, 0 taken by another sender"
    assert len(smtp_server.messages) == 1


def test_place_order_replayed_enqueues_and_sends_once(gql, ready_to_place_cart, smtp_server):
    cart_id = ready_to_place_cart()

    first, again = place(gql, cart_id), place(gql, cart_id)

    assert first.pk == again.pk
    assert EmailOutbox.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_the_same_event_enqueued_twice_is_one_row(gql, ready_to_place_cart, smtp_server):
    order = place(gql, ready_to_place_cart())

    with transaction.atomic():
        emails.enqueue_confirmation(order, list(order.items.all()), list(order.addresses.all()))

    assert EmailOutbox.objects.filter(order=order, kind="confirmation").count() == 1
    assert len(smtp_server.messages) == 1


def test_mail_server_down_places_the_order_and_retries_later(gql, ready_to_place_cart, smtp_server):
    smtp_server.stop()
    before = timezone.now()

    order = place(gql, ready_to_place_cart())

    assert order.status == "pending"  # the request answered normally
    row = EmailOutbox.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert before + timedelta(seconds=55) < row.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    assert "ConnectionRefusedError" in row.last_error

    smtp_server.start()
    # Not due yet: the backoff holds even with the server back.
    assert send_outbox().startswith("send_outbox: 0 sent")
    make_due()
    assert send_outbox() == "send_outbox: 1 sent, 0 to retry, 0 failed, 0 taken by another sender"
    assert send_outbox().startswith("send_outbox: 0 sent")

    [(recipients, message)] = smtp_server.messages
    assert recipients == ["erika@example.com"] and order.number in message["Subject"]
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)


def test_backoff_doubles_and_is_capped(settings):
    settings.EMAIL_OUTBOX_BACKOFF_CAP = 10

    assert [email_outbox.backoff(n).total_seconds() / 60 for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


@pytest.mark.postgres
def test_two_senders_at_once_send_each_email_once(gql, ready_to_place_cart, smtp_server):
    from django.db import connection

    if connection.vendor != "postgresql":
        # SQLite's in-memory test database (shared cache) answers a second writer with
        # SQLITE_LOCKED at once instead of waiting; SQLite serialises writers anyway.
        pytest.skip(
            "two concurrent writers need PostgreSQL (SQLite's shared-cache test database refuses them)"
        )
    smtp_server.stop()
    order = place(gql, ready_to_place_cart())
    template = EmailOutbox.objects.get()
    EmailOutbox.objects.bulk_create(
        [
            EmailOutbox(
                kind="refund",
                order=order,
                event_id=f"event-{n}",
                recipient=f"shopper{n}@example.com",
                subject=f"Refund {n}",
                text_body=template.text_body,
                html_body=template.html_body,
            )
            for n in range(19)
        ]
    )
    make_due()
    smtp_server.start()
    start = threading.Barrier(2)
    summaries, errors = [], []

    def sender():
        try:
            start.wait()
            summaries.append(email_outbox.send_due())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    received = [recipients[0] for recipients, _ in smtp_server.messages]
    assert len(received) == 20 and len(set(received)) == 20  # all arrived, none twice
    assert sum(s.sent for s in summaries) == 20
    assert set(EmailOutbox.objects.values_list("state", flat=True)) == {"sent"}
    print(f"two senders: {[s.sent for s in summaries]} sent, {[s.skipped for s in summaries]} skipped")


def test_a_claim_is_taken_once(gql, ready_to_place_cart, smtp_server):
    smtp_server.stop()
    place(gql, ready_to_place_cart())
    make_due()
    row = EmailOutbox.objects.get()

    assert email_outbox.claim(pk=row.pk) is not None
    assert email_outbox.claim(pk=row.pk) is None  # held by the first sender
    assert email_outbox.send_row(pk=row.pk) == "skipped"


def test_a_stale_claim_is_taken_over(gql, ready_to_place_cart, smtp_server, settings):
    smtp_server.stop()
    place(gql, ready_to_place_cart())
    row = EmailOutbox.objects.get()
    # A sender claimed it and died: its claim is older than EMAIL_OUTBOX_CLAIM_MINUTES.
    EmailOutbox.objects.filter(pk=row.pk).update(
        state="sending",
        claimed_at=timezone.now() - timedelta(minutes=settings.EMAIL_OUTBOX_CLAIM_MINUTES + 1),
    )
    smtp_server.start()

    assert send_outbox().startswith("send_outbox: 1 sent")
    assert len(smtp_server.messages) == 1


def test_a_rejected_recipient_fails_after_max_attempts_visible_in_the_admin(
    gql, klarna_cart, smtp_server, settings
):
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.reject("nobody@example.com")

    order = place(gql, klarna_cart(email="nobody@example.com"))

    row = EmailOutbox.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert "SMTPRecipientsRefused" in row.last_error and "550" in row.last_error
    make_due()
    assert send_outbox() == "send_outbox: 0 sent, 1 to retry, 0 failed, 0 taken by another sender"
    row.refresh_from_db()
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=110)  # the second wait: 2 minutes
    make_due()
    assert send_outbox() == "send_outbox: 0 sent, 0 to retry, 1 failed, 0 taken by another sender"
    make_due()
    assert send_outbox().startswith("send_outbox: 0 sent, 0 to retry, 0 failed")  # failed is final
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", 3)
    assert smtp_server.messages == []

    staff = Client()
    staff.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    page = staff.get("/admin/checkout/emailoutbox/?state__exact=failed").content.decode()
    assert "nobody@example.com" in page and f"Order #{order.number}" in page
    detail = staff.get(f"/admin/checkout/emailoutbox/{row.pk}/change/").content.decode()
    assert "Recipient address rejected" in detail

    # Staff fixed the address at the mail server and retry: it goes out once.
    smtp_server.recorder.reject.clear()
    staff.post("/admin/checkout/emailoutbox/", {"action": "retry", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("pending", 0)
    assert send_outbox().startswith("send_outbox: 1 sent")
    assert [recipients for recipients, _ in smtp_server.messages] == [["nobody@example.com"]]


def test_cancelling_an_order_sends_the_cancellation_once(gql, ready_to_place_cart, smtp_server):
    order = place(gql, ready_to_place_cart())

    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        cancel_order(locked)
    with transaction.atomic():  # the same cancellation enqueued again
        emails.enqueue_cancellation(Order.objects.get(pk=order.pk))

    assert EmailOutbox.objects.filter(order=order, kind="cancellation").count() == 1
    subjects = [message["Subject"] for _, message in smtp_server.messages]
    assert subjects == [
        f"Your order #{order.number} at Klarna Demo Store",
        f"Your order #{order.number} has been cancelled",
    ]
    text, _ = parts(smtp_server.messages[1][1])
    assert "Nothing will be charged" in text


def test_klarna_cancel_sends_the_cancellation_once(gql, klarna_cart, smtp_server):
    order = place(gql, klarna_cart())
    operation_id = uuid.uuid4()

    result = order_management.cancel(order, operation_id=operation_id)
    again = order_management.cancel(order, operation_id=operation_id)  # the same confirmation, resent
    order_management.refresh(order)

    assert result.ok and again.ok
    assert Order.objects.get(pk=order.pk).status == "canceled"
    kinds = list(EmailOutbox.objects.order_by("id").values_list("kind", "state"))
    assert kinds == [("confirmation", "sent"), ("cancellation", "sent")]
    assert [m["Subject"] for _, m in smtp_server.messages][
        1
    ] == f"Your order #{order.number} has been cancelled"
    assert len(smtp_server.messages) == 2


def test_klarna_capture_sends_a_shipment_email_with_tracking_and_refund_a_refund_email(
    gql, klarna_cart, smtp_server
):
    order = place(gql, klarna_cart())
    payment = KlarnaPayment.objects.get(order=order)
    capture_id = uuid.uuid4()

    captured = order_management.capture(
        order,
        operation_id=capture_id,
        amount=payment.authorized_amount,
        shipping_company="DHL",
        tracking_number="JJD0099887766",
    )
    order_management.capture(order, operation_id=capture_id, amount=payment.authorized_amount)  # resent
    refunded = order_management.refund(order, operation_id=uuid.uuid4(), amount=500)

    assert captured.ok and refunded.ok
    rows = list(EmailOutbox.objects.order_by("id").values_list("kind", "event_id", "state"))
    assert [kind for kind, _, _ in rows] == ["confirmation", "shipment", "refund"]
    assert rows[1][1] == str(capture_id) and {state for _, _, state in rows} == {"sent"}
    shipment, refund = smtp_server.messages[1][1], smtp_server.messages[2][1]
    assert shipment["Subject"] == f"Your order #{order.number} is on its way"
    text, html = parts(shipment)
    assert f"Amount charged for this shipment: {euros(order.grand_total)}" in text
    assert "Carrier: DHL\nTracking number: JJD0099887766" in text
    assert "<strong>JJD0099887766</strong>" in html
    assert refund["Subject"] == f"A refund for your order #{order.number}"
    assert f"We have refunded 5,00\xa0€ for your order #{order.number}." in parts(refund)[0]
    assert len(smtp_server.messages) == 3


def test_a_mail_failure_never_fails_the_request(gql, ready_to_place_cart, settings):
    # Not even an error of the backend itself (a bad class path): recorded, the order placed.
    settings.EMAIL_BACKEND = "no.such.Backend"

    order = place(gql, ready_to_place_cart())

    row = EmailOutbox.objects.get(order=order)
    assert (row.state, row.attempts) == ("pending", 1)  # left for send_outbox, not stuck claimed
    assert row.last_error.startswith("ModuleNotFoundError: No module named 'no'")


def test_an_email_that_cannot_be_rendered_never_undoes_the_order(
    gql, ready_to_place_cart, smtp_server, monkeypatch
):
    def broken(name, context):
        raise ValueError(f"bad template {name}")

    monkeypatch.setattr(emails, "render_to_string", broken)

    order = place(gql, ready_to_place_cart())

    row = EmailOutbox.objects.get(order=order)
    assert (row.state, row.text_body) == ("failed", "")
    assert row.last_error == "Not rendered: ValueError: bad template emails/confirmation.txt"
    assert email_outbox.retry(EmailOutbox.objects.all()) == 0  # nothing to send
    assert smtp_server.messages == []


def test_background_sender_sends_after_the_response_once(gql, ready_to_place_cart, smtp_server, settings):
    """``EMAIL_OUTBOX_SEND=background`` (the default): placeOrder answers without waiting for the
    mail server; the process's sender thread then delivers the committed row, once."""
    settings.EMAIL_OUTBOX_SEND = "background"
    release = threading.Event()
    send_row = email_outbox.send_row

    def slow_send_row(context=None, **lookup):
        assert release.wait(30), "the test never released the sender"
        return send_row(context, **lookup)

    email_outbox.send_row = slow_send_row
    try:
        order = place(gql, ready_to_place_cart())  # answered while the sender is held
        row = EmailOutbox.objects.get()
        assert (row.order_id, row.state, row.attempts) == (order.pk, "pending", 0)
        assert smtp_server.messages == []
        release.set()
        assert email_outbox.wait_for_sender(timeout=30)
    finally:
        release.set()
        email_outbox.send_row = send_row

    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["erika@example.com"] and order.number in message["Subject"]
    assert send_outbox().startswith("send_outbox: 0 sent")
    assert len(smtp_server.messages) == 1


def test_background_sender_with_the_mail_server_down_leaves_the_row_for_send_outbox(
    gql, ready_to_place_cart, smtp_server, settings
):
    settings.EMAIL_OUTBOX_SEND = "background"
    smtp_server.stop()

    place(gql, ready_to_place_cart())
    assert email_outbox.wait_for_sender(timeout=30)

    row = EmailOutbox.objects.get()
    assert (row.state, row.attempts) == ("pending", 1) and "ConnectionRefusedError" in row.last_error
    smtp_server.start()
    make_due()
    assert send_outbox() == "send_outbox: 1 sent, 0 to retry, 0 failed, 0 taken by another sender"
    assert len(smtp_server.messages) == 1


def test_cron_mode_leaves_every_email_to_send_outbox(gql, ready_to_place_cart, smtp_server, settings):
    settings.EMAIL_OUTBOX_SEND = "cron"

    place(gql, ready_to_place_cart())
    assert email_outbox.wait_for_sender(timeout=30)

    assert EmailOutbox.objects.get().state == "pending" and smtp_server.messages == []
    assert send_outbox() == "send_outbox: 1 sent, 0 to retry, 0 failed, 0 taken by another sender"
    assert send_outbox().startswith("send_outbox: 0 sent")
    assert len(smtp_server.messages) == 1
