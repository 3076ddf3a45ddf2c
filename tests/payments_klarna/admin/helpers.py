"""Posting the Klarna panel's forms like a staff member's browser would."""

import uuid

from klarna_emulator.models import EmulatorCapture
from payments_klarna.models import KlarnaApiCall, KlarnaPayment
from shop.money import from_minor_units

MONEY_ACTIONS = ("capture", "refund", "cancel", "release")


def action_url(order, action: str) -> str:
    return f"/admin/checkout/order/{order.pk}/klarna/{action}/"


def change_url(order) -> str:
    return f"/admin/checkout/order/{order.pk}/change/"


def credit_memo_url(order) -> str:
    return f"/admin/checkout/order/{order.pk}/credit-memo/"


def review(client, order, action: str, **fields):
    """The confirmation page of a money action: the capture form posted with ``fields``, the
    refund as a credit memo (``mode="all"``: an amount of everything refundable; a reason is
    given), or the cancel/release page opened. Nothing moves yet."""
    if action == "refund":
        return client.post(credit_memo_url(order), credit_memo_fields(order, **fields), follow=True)
    if action == "capture":
        return client.post(action_url(order, action), fields, follow=True)
    return client.get(action_url(order, action), follow=True)


def credit_memo_fields(order, mode=None, amount=None, reason="Refund", **fields) -> dict:
    if mode == "all":
        payment = payment_of(order)
        amount = str(from_minor_units(payment.captured_amount - payment.refunded_amount, payment.currency))
    data = {"reason": reason, **fields}
    if amount is not None:
        data["amount"] = amount
    return data


def token_of(response) -> str | None:
    return response.context["token"] if "token" in response.context else None


def confirm(client, order, action: str, token: str):
    """The Confirm button of a confirmation page (follows the redirect)."""
    url = credit_memo_url(order) if action == "refund" else action_url(order, action)
    return client.post(url, {"token": token}, follow=True)


def submit(client, order, action: str, operation_id=None, **fields):
    """Do an action as staff would: a money action reviewed, then confirmed (the review page is
    returned when it shows no confirmation); extend and refresh posted with an operation id."""
    if action in MONEY_ACTIONS:
        page = review(client, order, action, **fields)
        token = token_of(page)
        return page if token is None else confirm(client, order, action, token)
    data = {"operation_id": str(operation_id or uuid.uuid4()), **fields}
    return client.post(action_url(order, action), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def payment_of(order) -> KlarnaPayment:
    return KlarnaPayment.objects.get(order=order)


def klarna_captures(order) -> list[EmulatorCapture]:
    return list(EmulatorCapture.objects.filter(order__order_id=payment_of(order).klarna_order_id))


def klarna_writes(order, suffix: str = "") -> int:
    """How many Order Management writes (POSTs, retries included) the shop sent for this order."""
    return KlarnaApiCall.objects.filter(
        method="POST",
        path__startswith=f"/ordermanagement/v1/orders/{payment_of(order).klarna_order_id}/",
        path__endswith=suffix,
    ).count()
