"""Klarna's place in the cart's payment-method list (see cart.payment_methods).

Klarna methods exist only for a cart that has an active Klarna Payments session: one method
per payment-method category, code ``klarna_<identifier>``, titled with Klarna's own name,
listed before the other providers' methods (Magento's Klarna module orders them so).
"""

from cart.payment_methods import PaymentMethod, PaymentMethodProvider

CODE_PREFIX = "klarna_"
# Titles for a selected method when no session is at hand (SelectedPaymentMethod.title).
DEFAULT_TITLES = {
    "klarna": "Pay with Klarna",
    "pay_later": "Pay later",
    "pay_now": "Pay now",
    "pay_over_time": "Financing",
    "direct_debit": "Direct debit",
    "direct_bank_transfer": "Bank transfer",
}


def identifier_of(code: str) -> str:
    return code[len(CODE_PREFIX) :] if code.startswith(CODE_PREFIX) else code


class KlarnaPaymentMethods(PaymentMethodProvider):
    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        """With ``refresh`` the session is synced with Klarna first (at most 2 calls); without
        it the stored categories are listed and Klarna is not called."""
        from . import services

        return [
            PaymentMethod(code=CODE_PREFIX + category.identifier, title=category.name)
            for category in services.current_categories(cart_info, totals, refresh=refresh)
        ]

    def handles(self, code: str) -> bool:
        return code.startswith(CODE_PREFIX)

    def select(self, cart, code: str, data: dict) -> None:
        """Store the authorization token (``payment_method.klarna.authorization_token``)."""
        from . import services

        klarna = data.get("klarna") or {}
        services.store_authorization(cart, identifier_of(code), klarna.get("authorization_token") or "")

    def title_for(self, code: str) -> str:
        identifier = identifier_of(code)
        return DEFAULT_TITLES.get(identifier, f"Klarna ({identifier.replace('_', ' ')})")
