"""Order Management v1 behaviour: the order state machine, captures and refunds.

AUTHORIZED -> PART_CAPTURED -> CAPTURED; AUTHORIZED -> CANCELLED; AUTHORIZED|PART_CAPTURED ->
EXPIRED once ``expires_at`` passes (applied lazily whenever the order is read or changed).
"""

import secrets
import uuid
from datetime import timedelta

from django.db import transaction

from . import clock
from .errors import KlarnaError
from .models import EmulatorCapture, EmulatorOrder, EmulatorRefund
from .validation import MAX_AMOUNT

MAX_AUTHORIZATION_AGE = timedelta(days=180)
EXTENSION = timedelta(days=28)
# shipping_info (reference §4.1): the fields Klarna knows, the lengths it allows, and the
# shipping methods it names.
SHIPPING_INFO_LIMITS = {
    "shipping_company": 100,
    "shipping_method": 100,
    "tracking_number": 100,
    "tracking_uri": 1024,
    "return_shipping_company": 100,
    "return_tracking_number": 100,
    "return_tracking_uri": 1024,
}
SHIPPING_METHODS = {
    "PickUpStore", "Home", "BoxReg", "BoxUnreg", "PickUpPoint", "Own", "Postal", "DHLPackstation",
    "Digital", "Undefined", "PickUpWarehouse", "ClickCollect", "PalletDelivery",
}  # fmt: skip
MAX_SHIPPING_INFO = 500


def _present(body: dict) -> dict:
    """Klarna leaves out an optional field that has no value; it never answers ``null``."""
    return {key: value for key, value in body.items() if value is not None}


def shipping_info_of(body, *, required: bool = False) -> list[dict]:
    """The ``shipping_info`` list of a capture or shipping-info body, checked as Klarna does:
    400 BAD_VALUE for a wrong shape, 422 UNPROCESSABLE_ENTITY for a value that is too long."""
    value = body.get("shipping_info") if isinstance(body, dict) else None
    if value is None and not required:
        return []
    if not isinstance(value, list) or not (1 if required else 0) <= len(value) <= MAX_SHIPPING_INFO:
        raise KlarnaError(400, "BAD_VALUE", "Bad value: shipping_info")
    checked = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise KlarnaError(400, "BAD_VALUE", f"Bad value: shipping_info[{index}]")
        for key, text in entry.items():
            if key not in SHIPPING_INFO_LIMITS or not isinstance(text, str):
                raise KlarnaError(400, "BAD_VALUE", f"Bad value: shipping_info[{index}].{key}")
            if len(text) > SHIPPING_INFO_LIMITS[key]:
                raise KlarnaError(
                    422,
                    "UNPROCESSABLE_ENTITY",
                    f"The size of the shipping_info/{key} value must be between 0 and {SHIPPING_INFO_LIMITS[key]}",
                )
        if "shipping_method" in entry and entry["shipping_method"] not in SHIPPING_METHODS:
            raise KlarnaError(400, "BAD_VALUE", f"Bad value: shipping_info[{index}].shipping_method")
        checked.append(dict(entry))
    return checked


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def get_order(merchant: str, order_id: str, *, lock: bool = False) -> EmulatorOrder:
    qs = EmulatorOrder.objects.select_for_update() if lock else EmulatorOrder.objects
    order = qs.filter(order_id=order_id, merchant=merchant).first()
    if order is None:
        raise KlarnaError(404, "NO_SUCH_ORDER", f"Order {order_id} cannot be found")
    if order.status in ("AUTHORIZED", "PART_CAPTURED") and order.expires_at <= clock.now():
        order.status = "EXPIRED"
        order.save(update_fields=["status"])
    return order


def remaining_authorized(order: EmulatorOrder) -> int:
    if order.remaining_released or order.status in ("CANCELLED", "EXPIRED"):
        return 0
    return order.order_amount - order.captured_amount


def order_body(order: EmulatorOrder) -> dict:
    """GET /ordermanagement/v1/orders/{id} (reference §4.1)."""
    data = order.data
    return _present(
        {
            "order_id": order.order_id,
            "status": order.status,
            "fraud_status": order.fraud_status,
            "order_amount": order.order_amount,
            "original_order_amount": order.original_order_amount,
            "captured_amount": order.captured_amount,
            "refunded_amount": order.refunded_amount,
            "remaining_authorized_amount": remaining_authorized(order),
            "purchase_country": order.purchase_country,
            "purchase_currency": order.purchase_currency,
            "locale": order.locale,
            "billing_address": data.get("billing_address", {}),
            "shipping_address": data.get("shipping_address", data.get("billing_address", {})),
            "customer": {
                k: v
                for k, v in (data.get("customer") or {}).items()
                if k in ("date_of_birth", "national_identification_number")
            },
            "merchant_reference1": data.get("merchant_reference1"),
            "merchant_reference2": data.get("merchant_reference2"),
            "merchant_data": data.get("merchant_data"),
            "order_lines": data.get("order_lines", []),
            "captures": [capture_body(c) for c in order.captures.order_by("captured_at", "id")],
            "refunds": [refund_body(r) for r in order.refunds.order_by("refunded_at", "id")],
            "shipping_info": data.get("shipping_info", []),
            "created_at": _iso(order.created_at),
            "expires_at": _iso(order.expires_at),
            "klarna_reference": order.klarna_reference,
            "initial_payment_method": order.initial_payment_method,
        }
    )


def capture_body(capture: EmulatorCapture) -> dict:
    order = capture.order
    return _present(
        {
            "capture_id": capture.capture_id,
            "klarna_reference": capture.klarna_reference,
            "captured_amount": capture.captured_amount,
            "captured_at": _iso(capture.captured_at),
            "description": capture.data.get("description"),
            "reference": capture.data.get("reference"),
            "order_lines": capture.data.get("order_lines", []),
            "refunded_amount": 0,
            "billing_address": order.data.get("billing_address", {}),
            "shipping_address": order.data.get("shipping_address", {}),
            "shipping_info": capture.data.get("shipping_info", []),
        }
    )


def refund_body(refund: EmulatorRefund) -> dict:
    return _present(
        {
            "refund_id": refund.refund_id,
            "refunded_amount": refund.refunded_amount,
            "refunded_at": _iso(refund.refunded_at),
            "description": refund.data.get("description"),
            "reference": refund.data.get("reference"),
            "order_lines": refund.data.get("order_lines", []),
        }
    )


def _amount(body, key: str) -> int:
    if not isinstance(body, dict):
        raise KlarnaError(400, "BAD_REQUEST", "Malformed request: body must be a JSON object")
    value = body.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not (0 <= value <= MAX_AMOUNT):
        raise KlarnaError(400, "BAD_VALUE", f"Bad value: {key}")
    for text_key in ("description", "reference"):
        text = body.get(text_key)
        if text is not None and (not isinstance(text, str) or len(text) > 255):
            raise KlarnaError(400, "BAD_VALUE", f"Bad value: {text_key}")
    return value


def capture(merchant: str, order_id: str, body) -> EmulatorCapture:
    """POST …/captures: CAPTURE_NOT_ALLOWED when cancelled/expired, pending review or above the
    remaining authorized amount."""
    amount = _amount(body, "captured_amount")
    shipping_info = shipping_info_of(body)
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.status in ("CANCELLED", "EXPIRED", "CLOSED"):
            state = order.status.lower()
            raise KlarnaError(
                403, "CAPTURE_NOT_ALLOWED", f"Order {order_id} is {state}. Capture not possible."
            )
        if order.fraud_status != "ACCEPTED":
            raise KlarnaError(
                403,
                "CAPTURE_NOT_ALLOWED",
                f"Order {order_id} has fraud status {order.fraud_status}. Capture not possible.",
            )
        remaining = remaining_authorized(order)
        if amount < 1 or amount > remaining:
            raise KlarnaError(
                403,
                "CAPTURE_NOT_ALLOWED",
                f"Captured amount {amount} is higher than the remaining authorized amount {remaining}.",
            )
        return _record_capture(order, amount, {**body, "shipping_info": shipping_info})


def _record_capture(order: EmulatorOrder, amount: int, body: dict) -> EmulatorCapture:
    created = EmulatorCapture.objects.create(
        capture_id=str(uuid.uuid4()),
        order=order,
        captured_amount=amount,
        data={
            k: body.get(k) for k in ("description", "reference", "order_lines", "shipping_info") if k in body
        },
        klarna_reference=secrets.token_hex(4).upper(),
        captured_at=clock.now(),
    )
    order.captured_amount += amount
    order.status = "CAPTURED" if order.captured_amount >= order.order_amount else "PART_CAPTURED"
    order.save(update_fields=["captured_amount", "status"])
    return created


def capture_everything(order: EmulatorOrder) -> EmulatorCapture:
    """auto_capture on create order."""
    return _record_capture(order, order.order_amount, {"description": "auto_capture"})


def get_capture(merchant: str, order_id: str, capture_id: str) -> EmulatorCapture:
    order = get_order(merchant, order_id)
    found = order.captures.filter(capture_id=capture_id).first()
    if found is None:
        raise KlarnaError(
            404, "NO_SUCH_CAPTURE", f"Capture {capture_id} cannot be found for order {order_id}"
        )
    return found


def add_capture_shipping_info(merchant: str, order_id: str, capture_id: str, body) -> None:
    """POST …/captures/{capture_id}/shipping-info: appends to the capture's shipping_info."""
    shipping_info = shipping_info_of(body, required=True)
    with transaction.atomic():
        get_order(merchant, order_id, lock=True)
        found = get_capture(merchant, order_id, capture_id)
        found.data = {**found.data, "shipping_info": [*found.data.get("shipping_info", []), *shipping_info]}
        found.save(update_fields=["data"])


def add_order_shipping_info(merchant: str, order_id: str, body) -> None:
    """POST …/{order_id}/shipping-info: appends to the order's shipping_info."""
    shipping_info = shipping_info_of(body, required=True)
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        order.data = {**order.data, "shipping_info": [*order.data.get("shipping_info", []), *shipping_info]}
        order.save(update_fields=["data"])


def refund(merchant: str, order_id: str, body) -> EmulatorRefund:
    """POST …/refunds: REFUND_NOT_ALLOWED without captures or beyond what is left captured."""
    amount = _amount(body, "refunded_amount")
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.captured_amount == 0:
            raise KlarnaError(403, "REFUND_NOT_ALLOWED", "Order has no captures. Refund not possible")
        refundable = order.captured_amount - order.refunded_amount
        if amount < 1 or amount > refundable:
            raise KlarnaError(
                403,
                "REFUND_NOT_ALLOWED",
                f"Refunded amount {amount} is higher than the refundable amount {refundable}.",
            )
        created = EmulatorRefund.objects.create(
            refund_id=str(uuid.uuid4()),
            order=order,
            refunded_amount=amount,
            data={k: body.get(k) for k in ("description", "reference", "order_lines") if k in body},
            refunded_at=clock.now(),
        )
        order.refunded_amount += amount
        order.save(update_fields=["refunded_amount"])
        return created


def get_refund(merchant: str, order_id: str, refund_id: str) -> EmulatorRefund:
    order = get_order(merchant, order_id)
    found = order.refunds.filter(refund_id=refund_id).first()
    if found is None:
        raise KlarnaError(404, "NOT_FOUND", f"Refund {refund_id} cannot be found for order {order_id}")
    return found


def cancel(merchant: str, order_id: str) -> None:
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.captured_amount > 0:
            raise KlarnaError(403, "CANCEL_NOT_ALLOWED", "Order has previous captures. Cancel not possible")
        if order.status in ("CANCELLED", "CLOSED"):
            raise KlarnaError(
                403, "CANCEL_NOT_ALLOWED", f"Order is {order.status.lower()}. Cancel not possible"
            )
        order.status = "CANCELLED"
        order.save(update_fields=["status"])


def release_remaining_authorization(merchant: str, order_id: str) -> None:
    """Only after a capture; the order becomes CAPTURED with nothing left to capture."""
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.status in ("CANCELLED", "EXPIRED", "CLOSED"):
            raise KlarnaError(403, "NOT_ALLOWED", f"Order is {order.status.lower()}. Release not possible")
        if order.captured_amount == 0:
            raise KlarnaError(403, "NOT_ALLOWED", "Order has no captures. Release not possible")
        order.remaining_released = True
        order.status = "CAPTURED"
        order.save(update_fields=["remaining_released", "status"])


def extend_authorization_time(merchant: str, order_id: str) -> None:
    """New expiry = now + 28 days, never beyond 180 days after the order was created."""
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.status in ("EXPIRED", "CANCELLED", "CLOSED"):
            raise KlarnaError(
                403, "NOT_ALLOWED", f"Order is {order.status.lower()}. Authorization time cannot be extended."
            )
        order.expires_at = min(clock.now() + EXTENSION, order.created_at + MAX_AUTHORIZATION_AGE)
        order.save(update_fields=["expires_at"])


def acknowledge(merchant: str, order_id: str) -> None:
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.acknowledged_at is None:
            order.acknowledged_at = clock.now()
            order.save(update_fields=["acknowledged_at"])


def update_authorization(merchant: str, order_id: str, body) -> None:
    """PATCH …/authorization: a new order_amount, never below what is captured."""
    amount = _amount(body, "order_amount")
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.status not in ("AUTHORIZED", "PART_CAPTURED"):
            raise KlarnaError(403, "NOT_ALLOWED", "Order authorization cannot be updated")
        if amount < order.captured_amount:
            raise KlarnaError(
                403,
                "NOT_ALLOWED",
                f"Resulting authorization amount {amount} cannot be less than the captured amount "
                f"{order.captured_amount} for order. Order authorization cannot be updated",
            )
        order.order_amount = amount
        if isinstance(body.get("order_lines"), list):
            order.data = {**order.data, "order_lines": body["order_lines"]}
        if order.captured_amount and order.captured_amount >= amount:
            order.status = "CAPTURED"
        order.save(update_fields=["order_amount", "data", "status"])


def update_merchant_references(merchant: str, order_id: str, body) -> None:
    if not isinstance(body, dict):
        raise KlarnaError(400, "BAD_REQUEST", "Malformed request: body must be a JSON object")
    with transaction.atomic():
        order = get_order(merchant, order_id, lock=True)
        if order.status == "CANCELLED":
            raise KlarnaError(403, "NOT_ALLOWED", "Order is cancelled. Merchant references cannot be updated")
        for key in ("merchant_reference1", "merchant_reference2"):
            value = body.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > 255):
                raise KlarnaError(400, "BAD_VALUE", f"Bad value: {key}")
        order.data = {
            **order.data,
            **{k: body[k] for k in ("merchant_reference1", "merchant_reference2") if k in body},
        }
        order.save(update_fields=["data"])
