"""``klarna_reconcile``: keep local orders true to Klarna when a request never finished.

Steps (each one unit of work at a time):
- ``uncertain``: a placement whose create-order call timed out (or that was left ``paying``
  by a request that died during it) is placed again through
  ``checkout.place_order.complete_placement`` with the same authorization token; Klarna
  replays its first answer per token, so at most one Klarna order and one local order exist.
- ``authorized``: paid at Klarna but no local order after a few minutes (the process died
  between paying and writing): the order is written when the Klarna order exists and is not
  cancelled/rejected, else the placement is marked failed.
- ``failed``: a failed placement that has a Klarna order id: make sure that Klarna order is
  cancelled (idempotent key per Klarna order), unless an order was written for it after all.
- ``authorization-callbacks``: Klarna's authorization callback arrived, the grace delay
  (``KLARNA_AUTHORIZATION_CALLBACK_GRACE`` s) passed and the browser never placed the order:
  the cart's payment method is set if needed and the order placed by the same routine.
- ``held``: orders in payment review are re-read from Klarna and its decision applied.
- ``expiring``: authorizations expiring within ``KLARNA_EXPIRY_WARNING_DAYS`` days are
  reported (once a day each) so staff capture or extend them.

Safe from cron on several hosts at once: a unit is claimed in a short transaction that locks
its work row with ``select_for_update(skip_locked=True)`` and sets ``claimed_until`` on its
``KlarnaReconcileUnit`` with a conditional UPDATE (atomic on every database); Klarna is only
called after that transaction committed, and no lock is ever held across a Klarna call.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cart import locks
from cart import services as cart_services
from cart.fetch import load_cart_info
from cart.models import Cart
from cart.totals import compute_totals
from checkout import place_order
from checkout.models import Order, OrderPlacement
from checkout.payments import PaymentOutcome
from shop.errors import DomainError

from . import order_state, services
from .client import KlarnaError
from .methods import CODE_PREFIX
from .models import KlarnaPayment, KlarnaReconcileUnit, KlarnaSession
from .placement import ORDER_STATUS

logger = logging.getLogger("payments_klarna.reconcile")

STEPS = ("uncertain", "authorized", "failed", "authorization-callbacks", "held", "expiring")
LIVE_STATUSES = ("AUTHORIZED", "PART_CAPTURED")


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, step: str, text: str) -> None:
        self.lines.append(f"[{step}] {text}")
        self.counts[step] = self.counts.get(step, 0) + 1
        logger.info("reconcile %s: %s", step, text)

    def summary(self) -> str:
        if not self.counts:
            return "klarna_reconcile: nothing to do"
        return "klarna_reconcile: " + ", ".join(f"{step} {n}" for step, n in self.counts.items())


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


# --- steps ---------------------------------------------------------------------------------------


def resolve_uncertain(report: Report) -> None:
    """Retry create order for timed-out placements (same token → Klarna replays its answer).

    Also for placements left ``paying`` whose cart's placing marker ran out
    (``CART_PLACING_TIMEOUT``): the request died during create order (worker killed, or the
    database connection dropped so not even ``uncertain`` could be recorded); Klarna may hold
    an order that nothing local knows of."""
    now = timezone.now()
    older = now - timedelta(seconds=setting("KLARNA_RECONCILE_UNCERTAIN_AFTER", 60))
    abandoned = now - timedelta(seconds=setting("CART_PLACING_TIMEOUT", 120))
    states = (OrderPlacement.State.UNCERTAIN, OrderPlacement.State.PAYING)
    placements = (
        OrderPlacement.objects.filter(payment_method_code__startswith=CODE_PREFIX)
        .filter(
            Q(state=OrderPlacement.State.UNCERTAIN, updated_at__lte=older)
            | Q(state=OrderPlacement.State.PAYING, updated_at__lte=abandoned)
        )
        .order_by("id")
    )
    for placement in placements:
        key = f"placement:{placement.pk}:uncertain:{placement.attempts}"
        work = OrderPlacement.objects.filter(pk=placement.pk, state__in=states)
        if not claim(key, work):
            continue
        cart = Cart.objects.get(pk=placement.cart_id)
        try:
            order = place_order.complete_placement(cart)
        except DomainError as error:
            report.add("uncertain", f"placement {placement.order_number}: still not placed ({error.code})")
            release(key, note=str(error))
            continue
        report.add("uncertain", f"placement {placement.order_number}: order {order.number} ({order.status})")
        release(key, resolved=True, note=f"order {order.number}")


def resolve_authorized_without_order(report: Report) -> None:
    """Paid at Klarna, no local order after a few minutes: write it, or give the placement up."""
    older = timezone.now() - timedelta(seconds=setting("KLARNA_RECONCILE_AUTHORIZED_AFTER", 300))
    placements = (
        OrderPlacement.objects.filter(
            state=OrderPlacement.State.AUTHORIZED,
            payment_method_code__startswith=CODE_PREFIX,
            updated_at__lte=older,
            cart__order__isnull=True,
        )
        .exclude(payment_reference="")
        .order_by("id")
    )
    for placement in placements:
        key = f"placement:{placement.pk}:authorized:{placement.payment_reference}"
        work = OrderPlacement.objects.filter(pk=placement.pk, state=OrderPlacement.State.AUTHORIZED)
        if not claim(key, work):
            continue
        try:
            text, resolved = _write_authorized(placement)
        except KlarnaError as error:
            text, resolved = f"Klarna unreachable, retried next run ({error.error_code})", False
        report.add("authorized", f"placement {placement.order_number}: {text}")
        release(key, resolved=resolved, note=text)


def _write_authorized(placement: OrderPlacement) -> tuple[str, bool]:
    reference = placement.payment_reference
    try:
        klarna_order = services.read_klarna_order(reference)
    except KlarnaError as error:
        if error.status == 404:
            place_order.release_placement(placement, OrderPlacement.State.FAILED, "Klarna has no such order")
            return f"Klarna has no order {reference}; marked failed", True
        raise
    if (
        klarna_order.status in ("CANCELLED", "EXPIRED", "CLOSED")
        or klarna_order.fraud_status not in ORDER_STATUS
    ):
        reason = f"Klarna order {reference} is {klarna_order.status}/{klarna_order.fraud_status}"
        place_order.release_placement(placement, OrderPlacement.State.FAILED, reason)
        return f"{reason}; marked failed", True
    cart = Cart.objects.get(pk=placement.cart_id)
    session = (
        KlarnaSession.objects.filter(cart_id=cart.pk, authorization_token__isnull=False)
        .exclude(authorization_token="")
        .order_by("-id")
        .first()
    )
    current = services.cart_payload(*_info_and_totals(cart))
    if session is None or current is None or current.amount != klarna_order.order_amount:
        # The cart no longer matches what Klarna charged: never write a different order.
        services.cancel_klarna_order(reference)
        place_order.release_placement(
            placement, OrderPlacement.State.FAILED, "cart no longer matches the Klarna order"
        )
        return f"cart no longer matches Klarna order {reference}; Klarna order cancelled, marked failed", True
    method = (klarna_order.raw.get("initial_payment_method") or {}).get("type") or ""
    prepared = services.KlarnaPlacement(
        session_pk=session.pk,
        session_id=session.session_id,
        authorization_token=session.authorization_token,
        authorized_category=session.authorized_category,
        payload=session.payload,
        payload_hash=session.authorized_payload_hash,
        order_amount=klarna_order.order_amount,
        currency=klarna_order.raw.get("purchase_currency") or session.currency,
        country=session.country,
    )
    result = services.KlarnaOrderResult(
        order_id=reference,
        fraud_status=klarna_order.fraud_status,
        redirect_url=None,
        authorized_payment_method=method.lower() or None,
    )
    outcome = PaymentOutcome(
        order_status=ORDER_STATUS[klarna_order.fraud_status],
        reference=reference,
        # The notification secret sent at create order was lost with the process; held orders
        # are refreshed by this command instead.
        data={"result": result, "placement": prepared, "secret": secrets.token_urlsafe(24)},
    )
    try:
        order = place_order.write_order(cart, placement, placement.payment_method_code, outcome)
    except DomainError as error:
        return f"order could not be written ({error.code}); Klarna order cancelled", True
    payment = KlarnaPayment.objects.get(order=order)
    order_state.apply_klarna_order(payment.pk, klarna_order)
    return f"order {order.number} written from Klarna order {reference}", True


def _info_and_totals(cart):
    info = load_cart_info(cart)
    return info, compute_totals(info)


def cancel_failed_with_reference(report: Report) -> None:
    """A failed placement left a Klarna order behind: make sure Klarna cancelled it."""
    placements = (
        OrderPlacement.objects.filter(
            state=OrderPlacement.State.FAILED, payment_method_code__startswith=CODE_PREFIX
        )
        .exclude(payment_reference="")
        .order_by("id")
    )
    for placement in placements:
        reference = placement.payment_reference
        if KlarnaPayment.objects.filter(klarna_order_id=reference).exists():
            continue  # an order was written for it after all: never cancel a sold order
        key = f"klarna-order:{reference}:cancel-orphan"
        work = OrderPlacement.objects.filter(pk=placement.pk, state=OrderPlacement.State.FAILED)
        if not claim(key, work):
            continue
        try:
            klarna_order = services.read_klarna_order(reference)
            if klarna_order.status == "CANCELLED":
                text = "already cancelled at Klarna"
            elif klarna_order.captured_amount:
                text = "has captures and cannot be cancelled: staff must refund it"
            else:
                services.cancel_klarna_order(reference)
                text = "cancelled at Klarna"
            resolved = True
        except KlarnaError as error:
            if error.status == 404:
                text, resolved = "unknown to Klarna", True
            else:
                text, resolved = f"not cancelled yet ({error.error_code}); retried next run", False
        report.add("failed", f"placement {placement.order_number}, Klarna order {reference}: {text}")
        release(key, resolved=resolved, note=text)


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


def warn_expiring(report: Report, days: int | None = None) -> None:
    """Authorizations that expire soon and still have money to capture (once a day each)."""
    days = setting("KLARNA_EXPIRY_WARNING_DAYS", 7) if days is None else days
    now = timezone.now()
    payments = (
        KlarnaPayment.objects.filter(status__in=LIVE_STATUSES, expires_at__lte=now + timedelta(days=days))
        .exclude(order__status=Order.Status.CANCELED)
        .exclude(remaining_authorized_amount=0)
        .select_related("order")
        .order_by("expires_at")
    )
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
    """Run the chosen steps in order and return what was done."""
    report = Report()
    actions = {
        "uncertain": lambda: resolve_uncertain(report),
        "authorized": lambda: resolve_authorized_without_order(report),
        "failed": lambda: cancel_failed_with_reference(report),
        "authorization-callbacks": lambda: place_callback_authorizations(report, grace),
        "held": lambda: refresh_held_orders(report),
        "expiring": lambda: warn_expiring(report, expiry_days),
    }
    for step in STEPS:
        if step in steps:
            actions[step]()
    return report
