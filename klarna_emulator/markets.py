"""Which markets the emulator serves and which payment method categories it offers.

Amounts are integers in minor units of the purchase currency. The same tables are documented in
README.md next to this file; change both together.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Market:
    country: str
    currency: str
    locales: tuple[str, ...]  # the first one is used when the merchant sends no locale


MARKETS = {
    m.country: m
    for m in [
        Market("AT", "EUR", ("de-AT", "en-AT")),
        Market("BE", "EUR", ("nl-BE", "fr-BE", "en-BE")),
        Market("CH", "CHF", ("de-CH", "fr-CH", "it-CH", "en-CH")),
        Market("DE", "EUR", ("de-DE", "en-DE")),
        Market("DK", "DKK", ("da-DK", "en-DK")),
        Market("ES", "EUR", ("es-ES", "en-ES")),
        Market("FI", "EUR", ("fi-FI", "sv-FI", "en-FI")),
        Market("FR", "EUR", ("fr-FR", "en-FR")),
        Market("GB", "GBP", ("en-GB",)),
        Market("IE", "EUR", ("en-IE",)),
        Market("IT", "EUR", ("it-IT", "en-IT")),
        Market("NL", "EUR", ("nl-NL", "en-NL")),
        Market("NO", "NOK", ("nb-NO", "no-NO", "en-NO")),
        Market("PL", "PLN", ("pl-PL", "en-PL")),
        Market("PT", "EUR", ("pt-PT", "en-PT")),
        Market("SE", "SEK", ("sv-SE", "en-SE")),
        Market("US", "USD", ("en-US", "es-US")),
        Market("CA", "CAD", ("en-CA", "fr-CA")),
        Market("AU", "AUD", ("en-AU",)),
        Market("NZ", "NZD", ("en-NZ",)),
    ]
}


@dataclass(frozen=True)
class CategoryLimits:
    pay_later_max: int  # pay_later offered while order_amount <= this
    pay_over_time_min: int  # pay_over_time offered while order_amount >= this
    pay_over_time_max: int  # ... and <= this


# Per currency, in minor units.
CATEGORY_LIMITS = {
    "EUR": CategoryLimits(100_000, 10_000, 500_000),
    "GBP": CategoryLimits(100_000, 10_000, 500_000),
    "USD": CategoryLimits(100_000, 10_000, 500_000),
    "CHF": CategoryLimits(100_000, 10_000, 500_000),
    "CAD": CategoryLimits(100_000, 10_000, 500_000),
    "AUD": CategoryLimits(100_000, 10_000, 500_000),
    "NZD": CategoryLimits(100_000, 10_000, 500_000),
    "SEK": CategoryLimits(1_000_000, 100_000, 5_000_000),
    "NOK": CategoryLimits(1_000_000, 100_000, 5_000_000),
    "DKK": CategoryLimits(1_000_000, 100_000, 5_000_000),
    "PLN": CategoryLimits(400_000, 40_000, 2_000_000),
}

CATEGORY_NAMES = {
    "pay_now": "Pay now",
    "pay_later": "Pay later in 30 days",
    "pay_over_time": "Pay in 3 interest-free instalments",
}
CATEGORY_ORDER = ("pay_now", "pay_later", "pay_over_time")

# What create-order reports as authorized_payment_method, and GET order as initial_payment_method.
AUTHORIZED_PAYMENT_METHOD = {
    "pay_now": {"type": "direct_debit"},
    "pay_later": {"type": "invoice", "number_of_days": 30},
    "pay_over_time": {"type": "fixed_amount", "number_of_installments": 3},
}
INITIAL_PAYMENT_METHOD = {
    "pay_now": {"type": "DIRECT_DEBIT", "description": "Pay now", "number_of_installments": None},
    "pay_later": {"type": "INVOICE", "description": "Pay later in 30 days", "number_of_installments": None},
    "pay_over_time": {
        "type": "FIXED_AMOUNT",
        "description": "Pay in 3 interest-free instalments",
        "number_of_installments": 3,
    },
}


def categories_for(country: str, currency: str, order_amount: int) -> list[dict]:
    """The categories Klarna offers for this market and amount (identifier and name; the answer
    adds ``asset_urls`` on the caller's emulator origin, see ``payments.with_badges``)."""
    market = MARKETS.get(country.upper())
    limits = CATEGORY_LIMITS.get(currency.upper())
    if market is None or limits is None or market.currency != currency.upper():
        return []
    offered = {"pay_now"}
    if order_amount <= limits.pay_later_max:
        offered.add("pay_later")
    if limits.pay_over_time_min <= order_amount <= limits.pay_over_time_max:
        offered.add("pay_over_time")
    return [
        {"identifier": identifier, "name": CATEGORY_NAMES[identifier]}
        for identifier in CATEGORY_ORDER
        if identifier in offered
    ]
