"""Exact money: Decimal amounts rounded in the store currency's precision, and minor units.

Every rounding in the shop goes through ``quantize``; floats never enter. The Magento
``Money.value`` float is produced only at the GraphQL edge (``shop.graphql.money``).
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import (
    format_currency,
    get_currency_precision,
)
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


def _market():
    """The request's store when it is not the default one (storefront /<code>/ pages, GraphQL's
    ``Store`` header), else None: the default store keeps the settings' currency and locale."""
    from shop.store import requested_store  # shop.store imports the catalog, which imports us

    found = requested_store()
    return found if found is not None and not found.is_default else None


def page_currency() -> str:
    """The currency of the request's store (the settings' outside a market's request)."""
    market = _market()
    return market.currency if market is not None else store_currency()


def store_locale() -> str:
    """The store's money locale, BCP 47 ("en-DE"): a market's first locale ("sv-SE") in its
    request; else STORE_LOCALE, else the language of LANGUAGE_CODE in STORE_COUNTRY. Pages
    (server and script), emails, admin and the Klarna session's ``locale`` all follow it, so
    one amount reads the same everywhere."""
    market = _market()
    if market is not None:
        return market.locale.replace("_", "-")
    if settings.STORE_LOCALE:
        return settings.STORE_LOCALE
    return f"{store_language()}-{settings.STORE_COUNTRY.upper()}"


def store_language() -> str:
    """The store's language ("en"), from STORE_LOCALE or LANGUAGE_CODE."""
    return (settings.STORE_LOCALE or settings.LANGUAGE_CODE).replace("_", "-").split("-")[0].lower()


@cache
def _babel_locale(locale: str) -> str:
    language, _, region = locale.replace("_", "-").partition("-")
    return f"{language.lower()}_{region.upper()}" if region else language.lower()


def format_money(amount: Decimal, currency: str | None = None) -> str:
    """``amount`` in the currency's precision, written for the store locale ("237,20 €" in
    en-DE, "€237.20" in en-US; "1 234,56 kr" in a sv-SE store's request). The one money
    formatter of pages, emails and admin."""
    currency = currency or page_currency()
    return format_currency(quantize(amount, currency), currency, locale=_babel_locale(store_locale()))


@cache
def _script_format(locale: str, currency: str) -> dict:
    digits = precision(currency)
    sample = Decimal("1234567.89") if digits else Decimal("1234567")
    written = format_currency(sample.quantize(_quantum(currency)), currency, locale=locale)
    # Read the symbols off what format_money writes (CLDR's currency formats may differ from
    # the locale's plain numbers, e.g. de-CH): "1.234.567,89 €" -> "{n} €", "." and ",".
    span = re.search(r"\d.*\d", written)
    number = span.group(0)
    integer, fraction = (number[: -digits - 1], number[-digits - 1 : -digits]) if digits else (number, "")
    groups = re.findall(r"\D+", integer)
    return {
        "currency": currency,
        "digits": digits,
        "decimal": fraction,
        "group": groups[0] if groups else "",
        "template": written[: span.start()] + "{n}" + written[span.end() :],
    }


def script_money_format(currency: str | None = None) -> dict:
    """How ``format_money`` writes ``currency`` in the store locale, for the pages' scripts
    (``formatMoney`` in static/js/graphql.js): browsers' locale data differs from CLDR's
    (Chromium writes en-DE as "€1,237.20", CLDR as "1.237,20 €"), so scripts do not ask ``Intl``
    but fill this template. Grouping is by thousands (not Indian lakh grouping)."""
    return _script_format(_babel_locale(store_locale()), currency or page_currency())
