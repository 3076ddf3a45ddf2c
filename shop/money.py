"""Exact money: Decimal amounts rounded in the store currency's precision, and minor units.

Every rounding in the shop goes through ``quantize``; floats never enter. The Magento
``Money.value`` float is produced only at the GraphQL edge (``shop.graphql.money``).
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_precision
from django.conf import settings

ZERO = Decimal("0")


@cache
def precision(currency: str) -> int:
    """Number of decimal places of ``currency`` (ISO 4217 minor units: EUR 2, JPY 0)."""
    return get_currency_precision(currency)


@cache
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-precision(currency))


def store_currency() -> str:
    return settings.STORE_CURRENCY


def quantize(amount: Decimal, currency: str | None = None) -> Decimal:
    """Round half up to the currency's precision."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    return amount.quantize(_quantum(currency or store_currency()), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str | None = None) -> int:
    """Decimal amount -> integer minor units (EUR 25.00 -> 2500). Rounds first."""
    currency = currency or store_currency()
    return int(quantize(amount, currency).scaleb(precision(currency)))


def from_minor_units(value: int, currency: str | None = None) -> Decimal:
    currency = currency or store_currency()
    return quantize(Decimal(int(value)).scaleb(-precision(currency)), currency)


def format_money(amount: Decimal, currency: str | None = None) -> str:
    """``amount`` in the currency's precision, formatted for the active language ("€12.30")."""
    from django.utils import translation

    currency = currency or store_currency()
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    return format_currency(quantize(amount, currency), currency, locale=locale)
