"""Posting the Klarna panel's forms like a staff member's browser would."""

import uuid

from klarna_emulator.models import EmulatorCapture
from payments_klarna.models import KlarnaApiCall, KlarnaPayment

MONEY_ACTIONS = ("capture", "refund", "cancel", "release")


def action_url(order, action: str) -> str:
    return f"/admin/checkout/order/{order.pk}/klarna/{action}/"


def change_url(order) -> str:
    return f"/admin/checkout/order/{order.pk}/change/"


def review(client, order, action: str, **fields):
    """The confirmation page of a money action: the capture/refund form posted with ``fields``,
    or the cancel/release page opened. Nothing moves yet."""
    if action in ("capture", "refund"):
        return client.post(action_url(order, action), fields, follow=True)
    return client.get(action_url(order, action), follow=True)


def token_of(response) -> str | None:
    return response.context["token"] if "token" in response.context else None


def confirm(client, order, action: str, token: str):
    """The Confirm button of a confirmation page (follows the redirect)."""
    return client.post(action_url(order, action), {"token": token}, follow=True)


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
