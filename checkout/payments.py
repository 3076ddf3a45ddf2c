"""How placeOrder talks to a payment method, whatever it is.

An adapter splits payment into the phases the place-order routine needs so that no DB lock
is ever held across an HTTP call:

- ``prepare(cart)``: outside any lock; may call the provider (Klarna re-syncs its session and
  refuses a cart that changed since authorization).
- ``authorize(prepared, order_number)``: outside any lock; creates the payment at the
  provider. Raises ``PaymentFailed``.
- ``record(order, outcome)``: inside the order's transaction; writes the payment record.
- ``compensate(outcome)``: after a local failure, undoes the provider-side payment.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


class PaymentFailed(Exception):
    """The provider refused or could not be reached.

    kind: ``declined`` (shopper must authorize again or pick another method), ``failed``
    (provider error, safe to retry) or ``uncertain`` (we do not know whether the provider
    created the payment: a timeout; a retry or klarna_reconcile resolves it).
    """

    def __init__(self, kind: str, message: str):
        self.kind = kind
        self.message = message
        super().__init__(message)


@dataclass
class PaymentOutcome:
    order_status: str  # the new order's status: pending / processing / payment_review
    reference: str = ""  # provider's id for the payment (Klarna order id)
    data: dict = field(default_factory=dict)


class PaymentAdapter:
    def prepare(self, cart, *, info=None, totals=None):
        """Check with the provider before paying; ``info``/``totals`` are the cart as read
        under the lock at reservation (unchanged since: the cart is marked placing)."""
        return None

    def authorize(self, cart, prepared, order_number: str) -> PaymentOutcome:
        raise NotImplementedError

    def record(self, order, outcome: PaymentOutcome) -> None:
        pass

    def compensate(self, outcome: PaymentOutcome) -> None:
        pass


class OfflinePayment(PaymentAdapter):
    """checkmo and free: nothing to call; the order waits for the money (pending)."""

    def authorize(self, cart, prepared, order_number: str) -> PaymentOutcome:
        return PaymentOutcome(order_status="pending")


def adapter_for(code: str) -> PaymentAdapter:
    for prefix, path in settings.PAYMENT_PLACEMENT_ADAPTERS.items():
        if code == prefix or (prefix.endswith("_") and code.startswith(prefix)):
            return import_string(path)()
    raise LookupError(code)
