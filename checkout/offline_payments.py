"""The offline payment methods, a provider like any other (see ``cart.payment_methods``):
``checkmo`` (check / money order) and ``free`` (only when the grand total is zero).

Nothing to call and nothing to record: the order waits for the money (``pending``), and a
placement never leaves anything at a provider to recover.
"""

from dataclasses import dataclass

from django.conf import settings

from cart.payment_methods import PaymentMethod, PaymentOutcome, PaymentProvider
from shop.errors import DomainError

CHECKMO = PaymentMethod("checkmo", "Check / Money order")
FREE = PaymentMethod("free", "No Payment Information Required")
METHODS = {method.code: method for method in (CHECKMO, FREE)}


class OfflinePayments(PaymentProvider):
    def handles(self, code: str) -> bool:
        return code in METHODS

    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        if not cart_info.items:
            return []
        return [FREE] if totals.grand_total == 0 else [CHECKMO]

    def title(self, code: str) -> str:
        return METHODS[code].title

    def prepare(self, cart, info, totals) -> None:
        # The total may have changed since the method was selected: ``free`` only for nothing
        # to pay, ``checkmo`` only for something.
        if (cart.payment_method_code == FREE.code) != (totals.grand_total == 0):
            raise DomainError("place_payment_missing")

    def authorize(self, cart, prepared, order_number: str) -> PaymentOutcome:
        return PaymentOutcome(order_status="pending")


@dataclass(frozen=True)
class CheckInstructions:
    """Where a check / money order goes (Magento's ``payable_to`` and ``mailing_address``)."""

    payable_to: str
    mailing_address: str


def checkmo_instructions() -> CheckInstructions:
    return CheckInstructions(settings.CHECKMO_PAYABLE_TO, settings.CHECKMO_MAILING_ADDRESS)
