"""Which payment methods a cart may use, from pluggable providers (settings.PAYMENT_METHOD_PROVIDERS).

A provider lists the methods it offers for a cart state and validates a selection. The cart
app knows nothing of Klarna: ``payments_klarna.methods`` plugs in here, listed first so its
methods come first, as Magento's Klarna module orders them.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from shop.errors import DomainError


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    title: str
    is_deferred: bool = False


class PaymentMethodProvider:
    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        raise NotImplementedError

    def handles(self, code: str) -> bool:
        raise NotImplementedError

    def select(self, cart, code: str, data: dict) -> None:
        """Validate and store provider data for the selected ``code`` (e.g. Klarna's token)."""


class OfflinePaymentMethods(PaymentMethodProvider):
    """``checkmo`` (check / money order) and ``free`` (only for a zero grand total)."""

    CHECKMO = PaymentMethod("checkmo", "Check / Money order")
    FREE = PaymentMethod("free", "No Payment Information Required")

    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        if not cart_info.items:
            return []
        if totals.grand_total == 0:
            return [self.FREE]
        return [self.CHECKMO]

    def handles(self, code: str) -> bool:
        return code in {"checkmo", "free"}


@cache
def providers() -> list[PaymentMethodProvider]:
    return [import_string(path)() for path in settings.PAYMENT_METHOD_PROVIDERS]


def available_payment_methods(cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
    """Methods the cart may pay with now, de-duplicated by code (first provider wins)."""
    seen: set[str] = set()
    methods: list[PaymentMethod] = []
    for provider in providers():
        for method in provider.available(cart_info, totals, refresh=refresh):
            if method.code not in seen:
                seen.add(method.code)
                methods.append(method)
    return methods


def provider_for(code: str) -> PaymentMethodProvider:
    for provider in providers():
        if provider.handles(code):
            return provider
    raise DomainError("payment_method_unavailable")


def method_title(code: str) -> str:
    for provider in providers():
        if provider.handles(code):
            title = getattr(provider, "title_for", None)
            if title:
                return title(code)
    return {"checkmo": OfflinePaymentMethods.CHECKMO.title, "free": OfflinePaymentMethods.FREE.title}.get(
        code, code
    )
