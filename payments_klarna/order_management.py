"""Staff operations on a Klarna order through Order Management: capture, refund, cancel,
release the remaining authorization, extend the authorization time, refresh.

Guarantees:
- **Once only.** Each operation is a ``KlarnaOperation`` row whose ``idempotency_key`` (uuid4)
  is generated and committed *before* Klarna is called and sent as ``Klarna-Idempotency-Key``
  on every attempt: the client's own retries, and a staff retry of the same confirmation or
  form (``operation_id``), are carried out by Klarna once (reference §1.4). One confirmed again
  after success or refusal does not call Klarna at all.
- **Klarna is the truth.** Local amounts and status change only from Klarna's answer: after a
  successful write the Klarna order is read back (GET) and applied with
  ``order_state.apply_klarna_order``.
- **No lock across HTTP.** Rows are written in short transactions before and after the call.
- **Checked here first.** A new operation is refused before Klarna is called when the order's
  state does not allow it or the amount is above what is left (``refusal``): capture at most
  the remaining authorization, refund at most captured minus refunded, cancel only before a
  capture, release/extend only while something is authorized, nothing on a cancelled order.
  The amounts are the ones last read from Klarna; Klarna still has the last word.
- Klarna's refusals come back as plain words for staff (``plain_words``).

Permissions (Django, on ``checkout.Order``): capture and *extend* need ``capture_payment``
(extending keeps the right to capture); refund needs ``refund_payment``; cancel and *release*
need ``cancel_payment`` (releasing gives up the rest of the authorization, a partial cancel);
refresh only reads Klarna and mirrors its answer, so ``view_order`` is enough.
"""

import logging
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from checkout import emails, shipments

from . import order_state
from .accounts import account_name_of_klarna_order
from .client import KlarnaError, get_client
from .models import KlarnaOperation, KlarnaPayment
from .order_lines import klarna_line_tax

logger = logging.getLogger("payments_klarna.order_management")

Kind = KlarnaOperation.Kind

PERMISSIONS = {
    "capture": "checkout.capture_payment",
    "extend": "checkout.capture_payment",
    "refund": "checkout.refund_payment",
    "cancel": "checkout.cancel_payment",
    "release": "checkout.cancel_payment",
    "refresh": "checkout.view_order",
}

DONE = {
    Kind.CAPTURE: "Klarna captured {amount}.",
    Kind.REFUND: "Klarna refunded {amount}.",
    Kind.CANCEL: "Klarna cancelled the order; nothing will be charged.",
    Kind.RELEASE: "Klarna released the remaining authorization; nothing more can be captured.",
    Kind.EXTEND: "Klarna extended the authorization time.",
}

PLAIN_WORDS = {
    "CAPTURE_NOT_ALLOWED": (
        "Klarna did not allow this capture: the order may be cancelled or expired, still in "
        "fraud review, or the amount is more than is left to capture."
    ),
    "REFUND_NOT_ALLOWED": (
        "Klarna did not allow this refund: nothing has been captured yet, or the amount is more "
        "than what is captured and not yet refunded."
    ),
    "CANCEL_NOT_ALLOWED": (
        "Klarna did not allow cancelling: part of the order is already captured (refund it "
        "instead, or release the rest), or the order is already closed."
    ),
    "NOT_ALLOWED": "Klarna did not allow this: the order is cancelled or expired, or has no captures yet.",
    "NO_SUCH_ORDER": "Klarna does not know this order.",
    "NO_SUCH_CAPTURE": "Klarna does not know this capture.",
    "NOT_FOUND": "Klarna could not find what this operation refers to.",
    "BAD_VALUE": "Klarna rejected a value in the request.",
    "CONFLICT": "The order changed at Klarna in the meantime; refresh it and try again.",
    "UNPROCESSABLE_ENTITY": "Klarna could not process the shipping details given.",
    "TOO_MANY_REQUESTS": "Klarna is busy right now; try again in a minute.",
    "UNAUTHORIZED": "Klarna refused the shop's credentials; an administrator must check them.",
}
UNCERTAIN = (
    "Klarna did not confirm the {kind} ({reason}). It may or may not have happened: confirm the same "
    "action again to retry safely — Klarna carries it out at most once."
)
# Why the shop refuses an operation without asking Klarna (``refusal``), amounts in major units.
REFUSALS = {
    "order_cancelled": "The order is cancelled: nothing can be captured, refunded, cancelled, released or extended.",
    "closed": "Klarna has closed this order: nothing more can be captured, cancelled, released or extended.",
    "expired": "The authorization has expired: nothing can be captured, released or extended.",
    "nothing_authorized": "Nothing is left of the authorization: there is nothing to capture, release or extend.",
    "release_before_capture": (
        "Nothing has been captured yet: cancel the order instead of releasing the whole authorization."
    ),
    "cancel_after_capture": (
        "{captured} of this order is already captured, so it cannot be cancelled: refund what was "
        "captured, or release the rest of the authorization."
    ),
    "nothing_refundable": "Nothing is captured and not yet refunded: there is nothing to refund.",
    "capture_too_much": (
        "You can capture at most {limit} (what is left of the authorization); you asked for {amount}."
    ),
    "refund_too_much": (
        "You can refund at most {limit} (captured {captured}, already refunded {refunded}); "
        "you asked for {amount}."
    ),
}


def plain_words(error: KlarnaError) -> str:
    """A refusal as staff should read it, with Klarna's own message and correlation id."""
    text = PLAIN_WORDS.get(error.error_code, "Klarna refused the request.")
    detail = "; ".join(m for m in error.error_messages if m and m != "UNDEFINED")
    if detail:
        text += f" Klarna said: “{detail}”."
    if error.correlation_id and error.correlation_id != "UNDEFINED":
        text += f" (Klarna correlation id {error.correlation_id})"
    return text


def format_minor(amount: int | None, currency: str) -> str:
    """Minor units as the shop writes money everywhere (``shop.money.format_money``)."""
    from shop.money import format_money, from_minor_units

    if amount is None:
        return "—"
    return format_money(from_minor_units(amount, currency), currency)


class OperationInvalid(Exception):
    """The request cannot become an operation (bad form data, form reused for another order)."""


@dataclass
class OperationResult:
    ok: bool
    message: str
    operation: KlarnaOperation | None = None
    pending: bool = False  # Klarna's answer is unknown; retrying the same form is safe


def payment_of(order) -> KlarnaPayment:
    payment = KlarnaPayment.objects.filter(order_id=order.pk).first()
    if payment is None:
        raise OperationInvalid("This order was not paid with Klarna.")
    return payment


# --- what the order's state allows -------------------------------------------------------------


def remaining_to_capture(payment: KlarnaPayment) -> int:
    """Minor units Klarna still holds for capture (as last read from Klarna)."""
    if payment.remaining_authorized_amount is not None:
        return payment.remaining_authorized_amount
    return max(payment.authorized_amount - payment.captured_amount, 0)


def refundable(payment: KlarnaPayment) -> int:
    """Minor units captured and not yet refunded."""
    return max(payment.captured_amount - payment.refunded_amount, 0)


def refusal(payment: KlarnaPayment, order, kind: str, amount: int | None = None) -> str | None:
    """Why ``kind`` (for ``amount`` minor units, when given) cannot be done now, in plain words
    with amounts in major units; None when it can. Reads only the local state (last read from
    Klarna), calls nothing. ``refresh`` is always possible."""
    Status = KlarnaPayment.Status
    if kind not in Kind.values:
        return None
    currency = payment.currency
    if payment.status == Status.CANCELLED or order.status == order.Status.CANCELED:
        return REFUSALS["order_cancelled"]
    if kind in (Kind.CAPTURE, Kind.RELEASE, Kind.EXTEND):
        remaining = remaining_to_capture(payment)
        if payment.status == Status.CLOSED:
            return REFUSALS["closed"]
        if payment.status == Status.EXPIRED:
            return REFUSALS["expired"]
        if remaining <= 0:
            return REFUSALS["nothing_authorized"]
        if kind == Kind.RELEASE and payment.captured_amount == 0:
            return REFUSALS["release_before_capture"]
        if kind == Kind.CAPTURE and amount is not None and amount > remaining:
            return REFUSALS["capture_too_much"].format(
                limit=format_minor(remaining, currency), amount=format_minor(amount, currency)
            )
    elif kind == Kind.CANCEL:
        if payment.captured_amount > 0:
            return REFUSALS["cancel_after_capture"].format(
                captured=format_minor(payment.captured_amount, currency)
            )
        if payment.status == Status.CLOSED:
            return REFUSALS["closed"]
    elif kind == Kind.REFUND:
        limit = refundable(payment)
        if limit <= 0:
            return REFUSALS["nothing_refundable"]
        if amount is not None and amount > limit:
            return REFUSALS["refund_too_much"].format(
                limit=format_minor(limit, currency),
                captured=format_minor(payment.captured_amount, currency),
                refunded=format_minor(payment.refunded_amount, currency),
                amount=format_minor(amount, currency),
            )
    return None


def available(payment: KlarnaPayment, order) -> list[str]:
    """The operations the order's state allows now (``refusal`` is None), in ``Kind`` order."""
    return [kind for kind in Kind.values if refusal(payment, order, kind) is None]


# --- order lines ---------------------------------------------------------------------------------


def captures_of(order) -> list[KlarnaOperation]:
    """The captures Klarna confirmed on ``order``, oldest first (Magento's invoices of a Klarna
    order); none for an order Klarna did not pay. One query."""
    return list(
        KlarnaOperation.objects.filter(
            payment__order_id=order.pk, kind=Kind.CAPTURE, status=KlarnaOperation.Status.SUCCEEDED
        ).order_by("id")
    )


def part_of_line(line: dict, quantity: int) -> dict:
    """``quantity`` units of a Klarna order line, with the discount and tax shared pro rata in
    integer minor units (the tax by Klarna's own formula, so Klarna's checks hold)."""
    full = int(line.get("quantity") or 0)
    if not 0 < quantity <= full:
        raise OperationInvalid(f"Quantity {quantity} of “{line.get('name')}” is not between 1 and {full}.")
    if quantity == full:
        return dict(line)
    discount = int(line.get("total_discount_amount") or 0) * quantity // full
    total = quantity * int(line["unit_price"]) - discount
    tax = klarna_line_tax(total, int(line.get("tax_rate") or 0)).quantize(Decimal(1), ROUND_HALF_UP)
    return {
        **line,
        "quantity": quantity,
        "total_discount_amount": discount,
        "total_amount": total,
        "total_tax_amount": int(tax),
    }


def lines_for(klarna_lines: list[dict], quantities: dict[int, int]) -> list[dict]:
    """The chosen quantities (index in Klarna's order lines → quantity) as Klarna lines."""
    chosen = [part_of_line(klarna_lines[i], q) for i, q in sorted(quantities.items()) if q]
    if not chosen:
        raise OperationInvalid("Choose at least one line and quantity.")
    return chosen


# --- operations ----------------------------------------------------------------------------------


def capture(
    order,
    *,
    operation_id,
    user=None,
    amount: int,
    lines: list[dict] | None = None,
    shipping_company: str = "",
    tracking_number: str = "",
    tracking_uri: str = "",
    description: str = "",
) -> OperationResult:
    """Capture ``amount`` minor units (optionally as ``lines``, with shipping info).
    Calls Klarna (POST …/captures, then GET order); idempotent per ``operation_id``."""
    shipping = {
        "shipping_company": shipping_company.strip(),
        "tracking_number": tracking_number.strip(),
        "tracking_uri": tracking_uri.strip(),
    }
    shipping = [{k: v for k, v in shipping.items() if v}] if any(shipping.values()) else []
    return _run(
        order,
        Kind.CAPTURE,
        operation_id,
        user,
        amount=_positive(amount),
        lines=lines or [],
        shipping_info=shipping,
        description=description,
    )


def refund(
    order, *, operation_id, user=None, amount: int, lines=None, description: str = ""
) -> OperationResult:
    """Refund ``amount`` minor units of what is captured (optionally as ``lines``)."""
    return _run(
        order,
        Kind.REFUND,
        operation_id,
        user,
        amount=_positive(amount),
        lines=lines or [],
        description=description,
    )


def cancel(order, *, operation_id, user=None) -> OperationResult:
    """Cancel the whole Klarna order (only before any capture; Klarna refuses otherwise).
    The local order follows Klarna's answer (cancelled, stock returned)."""
    return _run(order, Kind.CANCEL, operation_id, user)


def release_remaining(order, *, operation_id, user=None) -> OperationResult:
    """Give up what is left of the authorization after a partial capture."""
    return _run(order, Kind.RELEASE, operation_id, user)


def extend_authorization(order, *, operation_id, user=None) -> OperationResult:
    """Ask Klarna for more time to capture (new expiry read back from Klarna)."""
    return _run(order, Kind.EXTEND, operation_id, user)


def refresh(order) -> OperationResult:
    """GET the Klarna order and apply it (amounts, status, fraud status, expiry)."""
    payment = payment_of(order)
    try:
        outcome = order_state.refresh_payment(payment)
    except order_state.KlarnaUnavailable as error:
        return OperationResult(False, f"Klarna could not be read right now; nothing changed. ({error})")
    return OperationResult(True, f"Refreshed from Klarna ({outcome}).")


def resubmitted(order, kind: str, operation_id) -> OperationResult | None:
    """The outcome for a form whose operation already exists (double submit, retry after a
    timeout), without looking at the form's other fields: the stored operation is replayed
    or retried with its stored key. None when the operation is new."""
    try:
        operation_id = uuid.UUID(str(operation_id))
    except ValueError:
        return None
    operation = KlarnaOperation.objects.filter(operation_id=operation_id).first()
    if operation is None:
        return None
    return _continue(operation, payment_of(order), kind)


def _positive(amount) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise OperationInvalid("The amount must be more than zero.")
    return amount


def _run(order, kind: str, operation_id, user, **fields) -> OperationResult:
    payment = payment_of(order)
    try:
        operation_id = uuid.UUID(str(operation_id))
    except ValueError as error:
        raise OperationInvalid("This form is missing its operation id; open it again.") from error
    existing = KlarnaOperation.objects.filter(operation_id=operation_id).first()
    if existing is not None:  # a retry or double submit: its own checks were made the first time
        return _continue(existing, payment, kind)
    reason = refusal(payment, order, kind, fields.get("amount"))
    if reason is not None:
        raise OperationInvalid(reason)
    operation, created = _get_or_create(payment, kind, operation_id, user, fields)
    if created:
        return _call_klarna(operation)
    return _continue(operation, payment, kind)


def _continue(operation: KlarnaOperation, payment: KlarnaPayment, kind: str) -> OperationResult:
    if operation.payment_id != payment.pk or operation.kind != kind:
        raise OperationInvalid("This form was already used for another operation; open it again.")
    if operation.status == KlarnaOperation.Status.SUCCEEDED:
        return OperationResult(
            True, "This operation was already carried out; nothing was repeated.", operation
        )
    if operation.status == KlarnaOperation.Status.FAILED:
        return OperationResult(False, operation.error_message, operation)
    return _call_klarna(operation)  # pending: Klarna's answer is unknown, ask again with the same key


def _get_or_create(payment, kind, operation_id, user, fields) -> tuple[KlarnaOperation, bool]:
    try:
        with transaction.atomic():
            return (
                KlarnaOperation.objects.create(
                    payment=payment,
                    operation_id=operation_id,
                    kind=kind,
                    idempotency_key=str(uuid.uuid4()),
                    staff_user=user if getattr(user, "pk", None) else None,
                    **fields,
                ),
                True,
            )
    except IntegrityError:  # the same form submitted twice at once: the first one's row wins
        return KlarnaOperation.objects.get(operation_id=operation_id), False


def _call_klarna(operation: KlarnaOperation) -> OperationResult:
    """The Klarna write with the operation's stored key (no transaction open), then the
    outcome recorded and the order read back from Klarna."""
    KlarnaOperation.objects.filter(pk=operation.pk).update(attempts=F("attempts") + 1)
    payment = operation.payment
    client = get_client(account_name_of_klarna_order(payment.klarna_order_id))  # the order's store's
    order_id, key = payment.klarna_order_id, operation.idempotency_key
    try:
        if operation.kind == Kind.CAPTURE:
            operation.klarna_capture_id = client.capture_order(order_id, _capture_body(operation), key)
        elif operation.kind == Kind.REFUND:
            operation.klarna_refund_id = client.refund_order(order_id, _refund_body(operation), key)
        elif operation.kind == Kind.CANCEL:
            client.cancel_order(order_id, key)
        elif operation.kind == Kind.RELEASE:
            client.release_remaining_authorization(order_id, key)
        elif operation.kind == Kind.EXTEND:
            client.extend_authorization_time(order_id, key)
        else:  # pragma: no cover - choices are closed
            raise OperationInvalid(operation.kind)
    except KlarnaError as error:
        return _failed(operation, error)
    operation.status = KlarnaOperation.Status.SUCCEEDED
    operation.error_code = operation.error_message = ""
    with transaction.atomic():
        operation.save(
            update_fields=[
                "status",
                "klarna_capture_id",
                "klarna_refund_id",
                "error_code",
                "error_message",
                "updated_at",
            ]
        )
        _enqueue_email(operation, payment)
    logger.info("%s of Klarna order %s succeeded (operation %s)", operation.kind, order_id, operation.pk)
    message = DONE[operation.kind].format(amount=format_minor(operation.amount, payment.currency))
    try:
        order_state.refresh_payment(payment)
    except order_state.KlarnaUnavailable:
        message += " Klarna could not be read back yet: use Refresh to update the amounts."
    return OperationResult(True, message, operation)


def _enqueue_email(operation: KlarnaOperation, payment: KlarnaPayment) -> None:
    """The shopper's email for a succeeded capture ("shipment", with the tracking given) or
    refund, in the transaction recording the success: once per operation, sent after commit."""
    event_id = str(operation.operation_id)
    if operation.kind == Kind.CAPTURE and shipments.owns_capture(operation.operation_id):
        return  # a shipment's capture: checkout.shipments sends the shipment email, with its items
    if operation.kind == Kind.CAPTURE:
        shipping = (operation.shipping_info or [{}])[0]
        emails.enqueue_shipment(
            payment.order,
            event_id=event_id,
            amount=operation.amount,
            carrier=shipping.get("shipping_company", ""),
            tracking_number=shipping.get("tracking_number", ""),
        )
    elif operation.kind == Kind.REFUND:
        emails.enqueue_refund(payment.order, event_id=event_id, amount=operation.amount)


def _failed(operation: KlarnaOperation, error: KlarnaError) -> OperationResult:
    unknown = error.uncertain or error.status is None or error.status >= 500 or error.status == 429
    operation.error_code = error.error_code
    if unknown:
        reason = error.error_code if error.status is None else f"HTTP {error.status} {error.error_code}"
        operation.error_message = UNCERTAIN.format(kind=operation.get_kind_display(), reason=reason)
    else:
        operation.status = KlarnaOperation.Status.FAILED
        operation.error_message = plain_words(error)
    operation.save(update_fields=["status", "error_code", "error_message", "updated_at"])
    logger.warning("%s of Klarna order %s: %s", operation.kind, operation.payment.klarna_order_id, error)
    return OperationResult(False, operation.error_message, operation, pending=unknown)


def _capture_body(operation: KlarnaOperation) -> dict:
    body = {"captured_amount": operation.amount, "reference": str(operation.operation_id)}
    if operation.description:
        body["description"] = operation.description
    if operation.lines:
        body["order_lines"] = operation.lines
    if operation.shipping_info:
        body["shipping_info"] = operation.shipping_info
    return body


def _refund_body(operation: KlarnaOperation) -> dict:
    body = {"refunded_amount": operation.amount, "reference": str(operation.operation_id)}
    if operation.description:
        body["description"] = operation.description
    if operation.lines:
        body["order_lines"] = operation.lines
    return body
