"""Shipments: staff ship chosen order lines, and the payment provider captures exactly them.

Magento's model (a shipment of order items, with tracking) with Klarna's practice (capture
what ships). One routine, like placing an order, and no DB lock held across the provider's
HTTP call:

1. **Plan** (``plan_shipment``, no writes, no HTTP): the quantities are checked against what
   is left to ship, the carrier, tracking number and tracking URL (http/https only), the
   order's state, and what the provider would capture (``PaymentProvider.plan_capture``: the
   lines and exact amount staff confirm) and whether it may (``capture_refusal``).
2. **Reserve** (one transaction, order row locked): planned again on the locked order; if it
   no longer matches what staff confirmed, nothing happens (``ShipmentError`` "changed"). A
   ``capturing`` shipment with its items is written, so a second shipment cannot take the
   same units. A method that captures nothing (check / money order, free) is shipped in this
   same transaction.
3. **Capture** (no transaction): ``PaymentProvider.capture`` under the shipment's
   ``operation_id`` (Klarna: a stored idempotency key).
4. **Record** (one transaction): captured → ``shipped``, the order ``complete`` when nothing
   is left to ship (else ``processing``), the shipment email enqueued. Refused → ``failed``
   (its units free again, nothing moved). Unknown (timeout) → stays ``capturing``: confirming
   the same shipment again retries the capture with the same key (``ship`` again).

Exactly once: ``operation_id`` (one per signed confirmation) is unique on ``Shipment``; a
double submit finds the first row and continues it, so money moves once.
"""

import logging
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from cart.payment_methods import CapturePlan, ShipmentPart, find_provider
from shop.money import from_minor_units, to_minor_units

from . import emails, history
from .models import Order, Shipment, ShipmentItem

logger = logging.getLogger("checkout.shipments")

ACTIVE = (Shipment.State.CAPTURING, Shipment.State.SHIPPED)
NOT_SHIPPABLE = {
    Order.Status.CANCELED: "Order #{number} is cancelled: nothing can be shipped.",
    Order.Status.CLOSED: "Order #{number} is closed: nothing can be shipped.",
    Order.Status.PAYMENT_REVIEW: (
        "Order #{number} is on hold for payment review: it can be shipped once the payment is accepted."
    ),
}
STALE = "The order changed since you reviewed this shipment; nothing was shipped. Review it again."


class ShipmentError(Exception):
    """A shipment refused before anything moved (message in plain words for staff)."""


class _Reserved(Exception):
    """The confirmation's shipment exists already (found under the order lock)."""


@dataclass(frozen=True)
class ShipmentRequest:
    """What staff entered: order item pk → quantity, carrier, tracking number and URL."""

    quantities: dict
    carrier: str
    tracking_number: str
    tracking_url: str = ""


@dataclass(frozen=True)
class ShipmentPlan:
    """Exactly what one confirmation ships and captures (``capture`` None: nothing to capture)."""

    order_id: int
    request: ShipmentRequest
    parts: tuple = ()  # ShipmentPart for every order line (quantity 0 when not shipped now)
    include_shipping_fee: bool = False
    completes_order: bool = False
    capture: CapturePlan | None = None
    operation_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def shipped_parts(self) -> list[ShipmentPart]:
        return [part for part in self.parts if part.quantity]

    def same_as(self, other: "ShipmentPlan") -> bool:
        """The same units, fee and capture (what staff saw) on the same order state."""
        return (
            [(p.order_item.pk, p.quantity, p.shipped_before) for p in self.parts]
            == [(p.order_item.pk, p.quantity, p.shipped_before) for p in other.parts]
            and self.include_shipping_fee == other.include_shipping_fee
            and self.capture == other.capture
        )


@dataclass(frozen=True)
class ShipmentResult:
    ok: bool
    message: str
    shipment: Shipment | None = None
    pending: bool = False  # the capture's answer is unknown: confirming again retries safely


# --- what is left to ship ------------------------------------------------------------------------


def shipped_quantities(order: Order, states=ACTIVE) -> dict[int, int]:
    """Order item pk → units shipped or being shipped (failed shipments do not count)."""
    rows = (
        ShipmentItem.objects.filter(shipment__order=order, shipment__state__in=states)
        .values("order_item_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_item_id"]: row["total"] for row in rows}


def remaining_quantities(order: Order) -> dict[int, int]:
    """Order item pk → units left to ship, for every line of the order."""
    shipped = shipped_quantities(order)
    return {item.pk: item.quantity - shipped.get(item.pk, 0) for item in order.items.all()}


def refusal(order: Order) -> str | None:
    """Why nothing of ``order`` can be shipped now (plain words), or None."""
    reason = NOT_SHIPPABLE.get(order.status)
    if reason:
        return reason.format(number=order.number)
    if not any(left > 0 for left in remaining_quantities(order).values()):
        return f"Everything on order #{order.number} has been shipped already."
    return None


def owns_capture(operation_id) -> bool:
    """Whether a payment capture with this operation id belongs to a shipment (whose email
    this module sends, with its items and tracking)."""
    return Shipment.objects.filter(operation_id=operation_id).exists()


# --- plan ----------------------------------------------------------------------------------------


def _check_request(order: Order, request: ShipmentRequest) -> None:
    if not request.carrier.strip():
        raise ShipmentError("Enter the carrier (shipping company).")
    if len(request.carrier.strip()) > 100:
        raise ShipmentError("The carrier name can have at most 100 characters.")
    if not request.tracking_number.strip():
        raise ShipmentError("Enter the tracking number.")
    if len(request.tracking_number.strip()) > 100:
        raise ShipmentError("The tracking number can have at most 100 characters.")
    url = request.tracking_url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ShipmentError(
                f"The tracking URL must be a web address starting with http:// or https:// (got “{url}”)."
            ) from error
        if len(url) > 1024:
            raise ShipmentError("The tracking URL can have at most 1024 characters.")


def plan_shipment(order: Order, request: ShipmentRequest, *, operation_id: str | None = None) -> ShipmentPlan:
    """Check ``request`` against the order and say exactly what it ships and captures.
    Raises ``ShipmentError`` in plain words; writes nothing, calls no provider over HTTP."""
    reason = NOT_SHIPPABLE.get(order.status)
    if reason:
        raise ShipmentError(reason.format(number=order.number))
    _check_request(order, request)
    items = list(order.items.all())
    by_pk = {item.pk: item for item in items}
    quantities: dict[int, int] = {}
    for key, quantity in request.quantities.items():
        try:
            pk, quantity = int(key), int(quantity or 0)
        except (TypeError, ValueError) as error:
            raise ShipmentError("Quantities must be whole numbers.") from error
        if pk not in by_pk:
            raise ShipmentError(f"Item {pk} is not a line of order #{order.number}.")
        if quantity < 0:
            raise ShipmentError(f"The quantity of “{by_pk[pk].name}” cannot be negative.")
        quantities[pk] = quantity
    if not any(quantities.values()):
        raise ShipmentError("Choose at least one item and the quantity to ship.")
    shipped = shipped_quantities(order)
    parts = []
    for item in items:
        quantity, before = quantities.get(item.pk, 0), shipped.get(item.pk, 0)
        if quantity > item.quantity - before:
            raise ShipmentError(
                f"You can ship at most {item.quantity - before} of “{item.name}” (ordered "
                f"{item.quantity}, already shipped {before}); you asked for {quantity}."
            )
        parts.append(ShipmentPart(order_item=item, quantity=quantity, shipped_before=before))
    include_fee = not Shipment.objects.filter(order=order, state__in=ACTIVE).exists()
    completes = all(p.shipped_before + p.quantity >= p.order_item.quantity for p in parts)
    provider = find_provider(order.payment_method_code)
    capture = None
    if provider is not None:
        capture = provider.plan_capture(order, parts, include_shipping_fee=include_fee)
    if capture is not None and capture.amount <= 0:
        capture = None  # nothing to charge for these units (free items)
    if capture is not None:
        reason = provider.capture_refusal(order, capture)
        if reason:
            raise ShipmentError(reason)
    return ShipmentPlan(
        order_id=order.pk,
        request=request,
        parts=tuple(parts),
        include_shipping_fee=include_fee,
        completes_order=completes,
        capture=capture,
        operation_id=operation_id or str(uuid.uuid4()),
    )


# --- ship ----------------------------------------------------------------------------------------


def ship(order: Order, plan: ShipmentPlan, *, user=None) -> ShipmentResult:
    """Carry out ``plan`` (as confirmed by staff): reserve, capture, record (module docstring).
    Idempotent per ``plan.operation_id``; calls the payment provider outside any transaction."""
    result = continue_shipment(order, plan.operation_id, user=user)
    if result is not None:
        return result
    try:
        shipment = _reserve(order, plan, user)
    except (_Reserved, IntegrityError):  # the same confirmation submitted twice at once
        return continue_shipment(order, plan.operation_id, user=user)
    if shipment.state == Shipment.State.SHIPPED:  # nothing to capture: shipped when reserved
        return ShipmentResult(True, f"Shipment {shipment.number} recorded.", shipment)
    return _continue(order, shipment, user)


def continue_shipment(order: Order, operation_id, *, user=None) -> ShipmentResult | None:
    """The outcome for a confirmation whose shipment exists already (double submit, retry
    after an unknown answer): recorded → said so; refused → its refusal; still capturing → the
    capture asked again with its stored lines and key. None when there is no such shipment."""
    shipment = Shipment.objects.filter(operation_id=operation_id).first()
    if shipment is None:
        return None
    if shipment.order_id != order.pk:
        raise ShipmentError("This confirmation belongs to another order; open the form again.")
    return _continue(order, shipment, user)


def _reserve(order: Order, plan: ShipmentPlan, user) -> Shipment:
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if Shipment.objects.filter(operation_id=plan.operation_id).exists():
            raise _Reserved  # the same confirmation, submitted twice at once, got here first
        try:
            again = plan_shipment(locked, plan.request, operation_id=plan.operation_id)
        except ShipmentError as error:
            raise ShipmentError(f"{STALE} ({error})") from error
        if not again.same_as(plan):
            raise ShipmentError(STALE)
        sequence = Shipment.objects.filter(order=locked).count() + 1
        shipment = Shipment.objects.create(
            order=locked,
            number=f"{locked.number}-{sequence}",
            operation_id=plan.operation_id,
            carrier=plan.request.carrier.strip(),
            tracking_number=plan.request.tracking_number.strip(),
            tracking_url=plan.request.tracking_url.strip(),
            includes_shipping_fee=plan.include_shipping_fee,
            capture_amount=from_minor_units(plan.capture.amount, locked.currency) if plan.capture else 0,
            capture_lines=list(plan.capture.payload or []) if plan.capture else [],
            staff_user=user if getattr(user, "pk", None) else None,
        )
        ShipmentItem.objects.bulk_create(
            [
                ShipmentItem(shipment=shipment, order_item=part.order_item, quantity=part.quantity)
                for part in plan.shipped_parts
            ]
        )
        if plan.capture is None:
            _record_shipped(locked, shipment, reference="")
    logger.info("shipment %s of order %s reserved", shipment.number, order.number)
    return shipment


def _continue(order: Order, shipment: Shipment, user) -> ShipmentResult:
    """Capture a reserved shipment (again, after an unknown answer) with what was fixed when it
    was reserved, and record the outcome."""
    if shipment.state == Shipment.State.SHIPPED:
        return ShipmentResult(
            True, f"Shipment {shipment.number} was already recorded; nothing was repeated.", shipment
        )
    if shipment.state == Shipment.State.FAILED:
        return ShipmentResult(False, shipment.error, shipment)
    provider = find_provider(order.payment_method_code)
    shipping = {
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "description": f"Shipment {shipment.number}",
    }
    capture = CapturePlan(
        currency=order.currency,
        amount=to_minor_units(shipment.capture_amount, order.currency),
        payload=shipment.capture_lines,
    )
    outcome = provider.capture(
        order, capture, operation_id=shipment.operation_id, user=user, shipping=shipping
    )
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if shipment.state != Shipment.State.CAPTURING:  # recorded by a parallel retry
            return _continue(order, shipment, user)
        if outcome.ok:
            _record_shipped(locked, shipment, reference=outcome.reference)
            message = f"Shipment {shipment.number} recorded. {outcome.message}"
            return ShipmentResult(True, message, shipment)
        if outcome.pending:
            shipment.error = outcome.message
            shipment.save(update_fields=["error"])
            return ShipmentResult(False, outcome.message, shipment, pending=True)
        shipment.state = Shipment.State.FAILED
        shipment.error = f"Nothing was shipped or charged. {outcome.message}"
        shipment.save(update_fields=["state", "error"])
    logger.warning("shipment %s of order %s: capture refused", shipment.number, order.number)
    return ShipmentResult(False, shipment.error, shipment)


def _record_shipped(order: Order, shipment: Shipment, *, reference: str):
    """Inside the caller's transaction, order row locked: the shipment shipped, the order's
    status following it, and the shipment email enqueued (once per shipment)."""
    shipment.state = Shipment.State.SHIPPED
    shipment.shipped_at = timezone.now()
    shipment.error = ""
    shipment.payment_reference = reference[:255]
    shipment.save()
    # Complete only once every unit has shipped (a shipment still capturing does not count).
    shipped = shipped_quantities(order, states=(Shipment.State.SHIPPED,))
    if all(shipped.get(item.pk, 0) >= item.quantity for item in order.items.all()):
        history.change_status(
            order,
            Order.Status.COMPLETE,
            f"every item shipped (shipment {shipment.number})",
            user=shipment.staff_user,
        )
    elif order.status in (Order.Status.PENDING, Order.Status.PROCESSING):
        history.change_status(
            order,
            Order.Status.PARTIALLY_SHIPPED,
            f"partly shipped (shipment {shipment.number})",
            user=shipment.staff_user,
        )
    emails.enqueue_shipment_of(order, shipment)
    logger.info("shipment %s of order %s shipped (order %s)", shipment.number, order.number, order.status)
