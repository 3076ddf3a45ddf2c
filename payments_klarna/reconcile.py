"""``klarna_reconcile``: keep local orders true to Klarna when a request never finished.

Steps (each one unit of work at a time):
- ``uncertain``, ``authorized``, ``failed``: checkout's placement recovery
  (``checkout.recovery``), which asks each placement's provider what it holds (Klarna's
  answers are in ``payments_klarna.provider``), run with this command's claim ledger.
- ``authorization-callbacks``: Klarna's authorization callback arrived, the grace delay
  (``KLARNA_AUTHORIZATION_CALLBACK_GRACE`` s) passed and the browser never placed the order:
  the cart's payment method is set if needed and the order placed by the same routine.
- ``held``: orders in payment review are re-read from Klarna and its decision applied.
- ``shipments``: shipments left ``capturing`` (Klarna's answer to their capture was lost)
  for ``KLARNA_RECONCILE_PENDING_AFTER`` s are captured again under their stored idempotency
  key (Klarna replays a capture it made) and recorded (``checkout.shipments``).
- ``credit-memos``: credit memos left ``pending`` the same way are refunded again under their
  stored key and recorded (``checkout.credit_memos.settle_pending``): refunded, or failed
  when Klarna refuses; still unknown → tried again next run.
- ``expiring``: authorizations expiring within ``KLARNA_EXPIRY_WARNING_DAYS`` days are
  reported (once a day each) so staff capture or extend them.

Safe from cron on several hosts at once: a unit is claimed in a short transaction that locks
its work row with ``select_for_update(skip_locked=True)`` and sets ``claimed_until`` on its
``KlarnaReconcileUnit`` with a conditional UPDATE (atomic on every database); Klarna is only
called after that transaction committed, and no lock is ever held across a Klarna call.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cart import locks
from cart import services as cart_services
from cart.models import Cart
from checkout import credit_memos, place_order, recovery, shipments
from checkout.models import CreditMemo, Order, Shipment
from checkout.recovery import Report
from shop.errors import DomainError

from . import order_state
from .expiry import expiring_payments
from .models import KlarnaPayment, KlarnaReconcileUnit, KlarnaSession
from .provider import CODE_PREFIX

logger = logging.getLogger("payments_klarna.reconcile")

STEPS = (
    "uncertain",
    "authorized",
    "failed",
    "authorization-callbacks",
    "held",
    "shipments",
    "credit-memos",
    "expiring",
)


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- claims --------------------------------------------------------------------------------------


def claim(key: str, work_row, lease: timedelta | None = None) -> bool:
    """Claim unit ``key`` whose work row is the one row of queryset ``work_row``.

    Short transaction: the work row is locked with ``skip_locked`` (another host in its own
    claim transaction → skip), then the ledger row is claimed only if unclaimed or its claim
    ran out, and not resolved. False when someone else has it or it is done."""
    now = timezone.now()
    lease = lease or timedelta(seconds=setting("KLARNA_RECONCILE_LEASE", 300))
    with transaction.atomic():
        if work_row.select_for_update(skip_locked=True).first() is None:
            return False
        KlarnaReconcileUnit.objects.get_or_create(key=key)
        return bool(
            KlarnaReconcileUnit.objects.filter(key=key, resolved_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .update(claimed_until=now + lease, updated_at=now)
        )


def release(key: str, *, resolved: bool = False, note: str = "") -> None:
    KlarnaReconcileUnit.objects.filter(key=key).update(
        claimed_until=None,
        resolved_at=timezone.now() if resolved else None,
        note=note[:2000],
        updated_at=timezone.now(),
    )


class Ledger:
    """The claims above as the ledger ``checkout.recovery`` takes."""

    claim = staticmethod(claim)
    release = staticmethod(release)


# --- steps ---------------------------------------------------------------------------------------


def place_callback_authorizations(report: Report, grace: int | None = None) -> None:
    """Place the order for carts whose authorization arrived only by Klarna's callback."""
    grace = setting("KLARNA_AUTHORIZATION_CALLBACK_GRACE", 120) if grace is None else grace
    due = timezone.now() - timedelta(seconds=grace)
    sessions = (
        KlarnaSession.objects.filter(
            status=KlarnaSession.Status.ACTIVE,
            authorization_callback_at__lte=due,
            authorization_callback_handled_at__isnull=True,
            authorization_token__isnull=False,
        )
        .select_related("cart")
        .order_by("id")
    )
    for session in sessions:
        key = f"session:{session.pk}:authorization-callback"
        work = KlarnaSession.objects.filter(pk=session.pk, authorization_callback_handled_at__isnull=True)
        if not claim(key, work):
            continue
        text, handled = _place_from_callback(session)
        if handled:
            KlarnaSession.objects.filter(pk=session.pk).update(
                authorization_callback_handled_at=timezone.now()
            )
        report.add("authorization-callbacks", f"cart {session.cart.masked_id[:8]}…: {text}")
        release(key, resolved=handled, note=text)


def _place_from_callback(session: KlarnaSession) -> tuple[str, bool]:
    cart = Cart.objects.get(pk=session.cart_id)
    existing = Order.objects.filter(cart_id=cart.pk).first()
    if existing is not None:
        return f"order {existing.number} already placed by the browser", True
    try:
        if not cart.payment_method_code.startswith(CODE_PREFIX):
            with locks.locked(cart) as locked:
                cart_services.set_payment_method(
                    locked,
                    CODE_PREFIX + session.authorized_category,
                    {"klarna": {"authorization_token": session.authorization_token}},
                )
        order = place_order.complete_placement(cart)
    except DomainError as error:
        if error.code == "cart_placing":
            return "the browser is placing the order right now; checked again next run", False
        return f"not placed ({error.code}: {error})", True
    return f"order {order.number} placed ({order.status})", True


def refresh_held_orders(report: Report) -> None:
    """Orders on hold (payment review): re-read Klarna and apply its fraud decision."""
    payments = KlarnaPayment.objects.filter(order__status=Order.Status.PAYMENT_REVIEW).select_related("order")
    for payment in payments.order_by("id"):
        key = f"payment:{payment.pk}:held"
        if not claim(key, KlarnaPayment.objects.filter(pk=payment.pk), timedelta(minutes=2)):
            continue
        try:
            outcome = order_state.refresh_payment(payment)
        except order_state.KlarnaUnavailable:
            outcome = "Klarna unreachable; retried next run"
        report.add("held", f"order {payment.order.number}: {outcome}")
        release(key, note=outcome)


def _pending_after() -> timedelta:
    return timedelta(seconds=setting("KLARNA_RECONCILE_PENDING_AFTER", 120))


def settle_capturing_shipments(report: Report) -> None:
    """Shipments whose capture answer was lost: capture again with the stored key, record."""
    due = timezone.now() - _pending_after()
    rows = Shipment.objects.filter(
        state=Shipment.State.CAPTURING,
        created_at__lte=due,
        order__payment_method_code__startswith=CODE_PREFIX,
    ).select_related("order")
    for shipment in rows.order_by("id"):
        key = f"shipment:{shipment.pk}:capture"
        work = Shipment.objects.filter(pk=shipment.pk, state=Shipment.State.CAPTURING)
        if not claim(key, work, timedelta(minutes=2)):
            continue
        result = shipments.continue_shipment(shipment.order, shipment.operation_id)
        text = _outcome(result.ok, result.pending, result.message)
        report.add("shipments", f"shipment {shipment.number}: {text}")
        release(key, resolved=not result.pending, note=text)


def settle_pending_credit_memos(report: Report) -> None:
    """Credit memos whose refund answer was lost: refund again with the stored key, record."""
    due = timezone.now() - _pending_after()
    rows = CreditMemo.objects.filter(
        state=CreditMemo.State.PENDING,
        offline=False,
        created_at__lte=due,
        order__payment_method_code__startswith=CODE_PREFIX,
    ).select_related("order")
    for memo in rows.order_by("id"):
        key = f"credit-memo:{memo.pk}:refund"
        work = CreditMemo.objects.filter(pk=memo.pk, state=CreditMemo.State.PENDING)
        if not claim(key, work, timedelta(minutes=2)):
            continue
        result = credit_memos.settle_pending(memo)
        text = _outcome(result.ok, result.pending, result.message)
        report.add("credit-memos", f"credit memo {memo.number}: {text}")
        release(key, resolved=not result.pending, note=text)


def _outcome(ok: bool, pending: bool, message: str) -> str:
    if ok:
        return message
    if pending:
        return f"Klarna's answer still unknown; retried next run ({message})"
    return f"refused by Klarna, recorded as failed ({message})"


def warn_expiring(report: Report, days: int | None = None) -> None:
    """Authorizations that expire soon and still have money to capture (once a day each)."""
    now = timezone.now()
    payments = expiring_payments(days).select_related("order")
    for payment in payments:
        key = f"payment:{payment.pk}:expiry-warning:{now.date().isoformat()}"
        if not claim(key, KlarnaPayment.objects.filter(pk=payment.pk), timedelta(days=1)):
            continue
        when = "expired" if payment.expires_at <= now else f"expires {payment.expires_at:%Y-%m-%d %H:%M} UTC"
        text = (
            f"order {payment.order.number} (Klarna {payment.klarna_order_id}): authorization {when}; "
            "capture or extend it"
        )
        logger.warning("Klarna authorization close to expiry: %s", text)
        report.add("expiring", text)
        release(key, resolved=True, note=text)


def run(steps=STEPS, *, grace: int | None = None, expiry_days: int | None = None) -> Report:
    """Run the chosen steps in order (checkout's placement recovery first) and return what was done."""
    report = Report("klarna_reconcile")
    recovery.run(
        report,
        Ledger(),
        [step for step in recovery.STEPS if step in steps],
        uncertain_after=timedelta(seconds=setting("KLARNA_RECONCILE_UNCERTAIN_AFTER", 60)),
        authorized_after=timedelta(seconds=setting("KLARNA_RECONCILE_AUTHORIZED_AFTER", 300)),
    )
    actions = {
        "authorization-callbacks": lambda: place_callback_authorizations(report, grace),
        "held": lambda: refresh_held_orders(report),
        "shipments": lambda: settle_capturing_shipments(report),
        "credit-memos": lambda: settle_pending_credit_memos(report),
        "expiring": lambda: warn_expiring(report, expiry_days),
    }
    for step in STEPS:
        if step in steps and step in actions:
            actions[step]()
    return report
