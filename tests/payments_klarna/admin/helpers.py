"""Posting the Klarna panel's forms like a staff member's browser would."""

import uuid

from klarna_emulator.models import EmulatorCapture
from payments_klarna.models import KlarnaPayment


def action_url(order, action: str) -> str:
    return f"/admin/checkout/order/{order.pk}/klarna/{action}/"


def change_url(order) -> str:
    return f"/admin/checkout/order/{order.pk}/change/"


def submit(client, order, action: str, operation_id=None, **fields):
    """POST the action's form (a fresh operation id unless given) and follow the redirect."""
    data = {"operation_id": str(operation_id or uuid.uuid4()), **fields}
    return client.post(action_url(order, action), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def payment_of(order) -> KlarnaPayment:
    return KlarnaPayment.objects.get(order=order)


def klarna_captures(order) -> list[EmulatorCapture]:
    return list(EmulatorCapture.objects.filter(order__order_id=payment_of(order).klarna_order_id))
