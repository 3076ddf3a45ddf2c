"""Keep a local order true to Klarna: apply the Klarna order's state to the KlarnaPayment
and its order. Used by the notification callback, the admin's refresh and klarna_reconcile.

Rules (reference klarna-api.md §4.3, §7.6): PENDING is a hold (``payment_review``);
ACCEPTED releases it (``processing``); REJECTED/STOPPED cancel the order locally without
calling Klarna cancel and return the stock (``checkout.orders``, the order's owner, writes
both); a cancelled order is never revived by a late ACCEPTED.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from checkout.models import Order
from checkout.orders import cancel_order, release_payment_review

from .client import KlarnaError
from .models import KlarnaPayment
from .services import read_klarna_order

logger = logging.getLogger("payments_klarna.order_state")


class KlarnaUnavailable(Exception):
    pass


def _parse_time(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def refresh_payment(payment: KlarnaPayment) -> str:
    """GET the Klarna order (outside any lock), then apply it in a short transaction.
    Returns what happened: ``released``, ``cancelled``, ``unchanged`` or ``ignored``."""
    try:
        klarna_order = read_klarna_order(payment.klarna_order_id)
    except KlarnaError as error:
        raise KlarnaUnavailable(str(error)) from error
    return apply_klarna_order(payment.pk, klarna_order)


def _field(klarna_order, name, default=None):
    if isinstance(klarna_order, dict):
        return klarna_order.get(name, default)
    return getattr(klarna_order, name, default)


def apply_klarna_order(payment_pk: int, klarna_order) -> str:
    with transaction.atomic():
        payment = KlarnaPayment.objects.select_for_update().get(pk=payment_pk)
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        fraud = _field(klarna_order, "fraud_status") or payment.fraud_status
        payment.fraud_status = fraud
        payment.status = _field(klarna_order, "status") or payment.status
        for name in ("captured_amount", "refunded_amount", "remaining_authorized_amount"):
            value = _field(klarna_order, name)
            if value is not None:
                setattr(payment, name, int(value))
        payment.klarna_reference = _field(klarna_order, "klarna_reference") or payment.klarna_reference
        payment.expires_at = _parse_time(_field(klarna_order, "expires_at")) or payment.expires_at
        payment.refreshed_at = timezone.now()
        payment.save()

        if order.status == Order.Status.CANCELED:
            return "ignored"  # terminal: a late ACCEPTED never revives it
        if fraud == "ACCEPTED" and release_payment_review(
            order, "Klarna accepted the payment (fraud review)"
        ):
            return "released"
        if fraud in ("REJECTED", "STOPPED") or payment.status == "CANCELLED":
            reason = (
                f"Klarna's fraud decision: {fraud}"
                if fraud in ("REJECTED", "STOPPED")
                else "cancelled at Klarna"
            )
            cancel_order(order, reason)
            logger.info("order %s cancelled locally (Klarna %s)", order.number, fraud)
            return "cancelled"
        return "unchanged"
