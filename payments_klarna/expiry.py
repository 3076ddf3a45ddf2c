"""Klarna authorizations about to expire: the reconcile job warns about them, the admin home
counts them and the order list filters by them."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from checkout.models import Order

from .models import KlarnaPayment

LIVE_STATUSES = ("AUTHORIZED", "PART_CAPTURED")


def expiring_payments(days: int | None = None):
    """Klarna payments whose authorization expires within ``days`` (KLARNA_EXPIRY_WARNING_DAYS)
    with money still to capture, soonest first."""
    days = getattr(settings, "KLARNA_EXPIRY_WARNING_DAYS", 7) if days is None else days
    return (
        KlarnaPayment.objects.filter(
            status__in=LIVE_STATUSES, expires_at__lte=timezone.now() + timedelta(days=days)
        )
        .exclude(order__status=Order.Status.CANCELED)
        .exclude(remaining_authorized_amount=0)
        .order_by("expires_at")
    )
