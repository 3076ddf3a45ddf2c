"""Shipping carriers, Magento style: ``flatrate`` and ``freeshipping``.

Prices are in catalog terms (gross when prices include tax). Free shipping is offered only
when the items subtotal after discount reaches ``SHIPPING_FREESHIPPING_THRESHOLD``.
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


def shipping_rates(info, subtotal_after_discount: Decimal) -> list[ShippingRate]:
    """Methods offered for the cart's shipping address (none without an address)."""
    if info.shipping_address is None:
        return []
    currency = settings.STORE_CURRENCY
    flat = quantize(settings.SHIPPING_FLATRATE_PRICE, currency)
    rates = [ShippingRate("flatrate", "flatrate", "Flat Rate", "Fixed", flat)]
    if subtotal_after_discount >= settings.SHIPPING_FREESHIPPING_THRESHOLD:
        rates.append(
            ShippingRate(
                "freeshipping", "freeshipping", "Free Shipping", "Free", quantize(Decimal(0), currency)
            )
        )
    return rates
