"""How a placed order's payment reads to its shopper (confirmation, My orders, emails).

The provider said at placement what to call the method and its terms (``Order.payment_details``,
``PaymentOutcome.details``): Klarna's own name ("Klarna — Pay later in 30 days") and, when Klarna
reported them, the days until payment is due after shipping or the number of instalments. Orders
placed before that, and methods with nothing more to say, show the method's title.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format


@dataclass(frozen=True)
class PaymentShown:
    name: str
    terms: str = ""


def payment_shown(order, shipped_at: datetime | None = None) -> PaymentShown:
    """The order's payment in the shopper's words; ``shipped_at`` (first shipment) turns
    "due N days after shipping" into a due date."""
    details = order.payment_details or {}
    name = details.get("name") or order.payment_method_title or order.payment_method_code
    return PaymentShown(name=name, terms=_terms(details, shipped_at))


def _terms(details: dict, shipped_at: datetime | None) -> str:
    days = details.get("days")
    instalments = details.get("instalments")
    if isinstance(days, int) and days > 0:
        if shipped_at is not None:
            due = timezone.localtime(shipped_at).date() + timedelta(days=days)
            return f"Due by {date_format(due, 'j M Y')} ({days} days after shipping)"
        return f"Due {days} days after your order ships"
    if isinstance(instalments, int) and instalments > 1:
        return f"Paid in {instalments} instalments"
    return ""
