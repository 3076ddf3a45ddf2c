"""Shipping carriers, Magento style: ``flatrate`` and ``freeshipping``.

Prices are in catalog terms (gross when prices include tax). Free shipping is offered only
when the items subtotal after discount reaches ``SHIPPING_FREESHIPPING_THRESHOLD``; how far a
cart is from it is part of the totals (``CartTotals.free_shipping_remaining``).

The storefront names the methods in the shopper's words, with a delivery estimate
(``storefront_name``); GraphQL keeps Magento's titles.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from shop.money import quantize


@dataclass(frozen=True)
class ShippingRate:
    carrier_code: str
    method_code: str
    carrier_title: str
    method_title: str
    amount: Decimal


@dataclass(frozen=True)
class ShippingName:
    """A method as the storefront presents it: "Standard delivery", "Arrives in 2–4 business days"."""

    name: str
    estimate: str


def qualifies_for_free_shipping(subtotal_after_discount: Decimal, threshold: Decimal | None = None) -> bool:
    """At or above the store's threshold (default: ``SHIPPING_FREESHIPPING_THRESHOLD``)."""
    if threshold is None:
        threshold = settings.SHIPPING_FREESHIPPING_THRESHOLD
    return subtotal_after_discount >= threshold


def free_shipping_remaining(
    subtotal_after_discount: Decimal, currency: str, threshold: Decimal | None = None
) -> Decimal | None:
    """How much more the items must come to for free shipping; None once they qualify."""
    if threshold is None:
        threshold = settings.SHIPPING_FREESHIPPING_THRESHOLD
    if qualifies_for_free_shipping(subtotal_after_discount, threshold):
        return None
    return quantize(threshold - subtotal_after_discount, currency)


def storefront_names() -> dict[str, ShippingName]:
    """``carrier_code|method_code`` -> the storefront's name and delivery estimate (settings)."""
    return {
        "flatrate|flatrate": ShippingName(
            settings.SHIPPING_FLATRATE_NAME, settings.SHIPPING_FLATRATE_ESTIMATE
        ),
        "freeshipping|freeshipping": ShippingName(
            settings.SHIPPING_FREESHIPPING_NAME, settings.SHIPPING_FREESHIPPING_ESTIMATE
        ),
    }


def storefront_names_for_pages() -> dict[str, dict[str, str]]:
    """``storefront_names`` as JSON-ready data for the pages' scripts."""
    return {
        key: {"name": shown.name, "estimate": shown.estimate} for key, shown in storefront_names().items()
    }


def storefront_name(carrier_code: str, method_code: str, fallback: str = "") -> str:
    """The storefront's name of a method (an order's stored title when it is not ours)."""
    known = storefront_names().get(f"{carrier_code}|{method_code}")
    return known.name if known else fallback


def shipping_rates(info, subtotal_after_discount: Decimal) -> list[ShippingRate]:
    """Methods offered for the cart's shipping address (none without an address)."""
    if info.shipping_address is None:
        return []
    store = info.store  # the cart's store: its currency, flat rate and free-shipping threshold
    currency = store.currency
    flat = quantize(store.flatrate_price, currency)
    rates = [ShippingRate("flatrate", "flatrate", "Flat Rate", "Fixed", flat)]
    if qualifies_for_free_shipping(subtotal_after_discount, store.free_shipping_threshold):
        rates.append(
            ShippingRate(
                "freeshipping", "freeshipping", "Free Shipping", "Free", quantize(Decimal(0), currency)
            )
        )
    return rates
