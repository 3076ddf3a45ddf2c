"""Klarna's place in the cart's payment-method list (see cart.payment_methods).

Klarna methods exist only for a cart that has a Klarna Payments session; the session
service (payments_klarna.services) provides them.
"""

from cart.payment_methods import PaymentMethod, PaymentMethodProvider

CODE_PREFIX = "klarna_"


class KlarnaPaymentMethods(PaymentMethodProvider):
    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        return []

    def handles(self, code: str) -> bool:
        return code.startswith(CODE_PREFIX)
