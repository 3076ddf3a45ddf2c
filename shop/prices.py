"""Catalog prices per currency (markets, issue 17).

``Product.price`` is the price in the default store's currency (``STORE_CURRENCY``); a
``ProductPrice`` row gives it in another currency. A product without a price in a store's
currency is not sold in that store: absent from its catalog, refused when added by SKU.
Nothing converts amounts between currencies.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef

from .models import Product, ProductPrice


def is_default_currency(currency: str) -> bool:
    return currency == settings.STORE_CURRENCY


def priced_in(currency: str):
    """A filter condition: products with a price in ``currency``."""
    return Exists(ProductPrice.objects.filter(product=OuterRef("pk"), currency=currency))


def prices_in(currency: str, product_ids) -> dict[int, Decimal] | None:
    """Prices in ``currency`` by product id (one query); None for the default store's currency,
    whose price is ``Product.price`` (no query). Products without a price are absent."""
    if is_default_currency(currency):
        return None
    ids = set(product_ids)
    if not ids:
        return {}
    return dict(
        ProductPrice.objects.filter(currency=currency, product_id__in=ids).values_list("product_id", "price")
    )


def show_in_currency(products: list[Product], currency: str) -> None:
    """Set the in-memory ``price`` of ``products`` and of their loaded variants to their price in
    ``currency`` (one query; none in the default currency), for a response in that store. A
    variant without a price there is treated as inactive (not sold). Never saved."""
    if is_default_currency(currency) or not products:
        return
    variants = []
    for product in products:
        cached = getattr(product, "_prefetched_objects_cache", {}).get("variants")
        if cached is not None:
            variants.extend(cached)
    everything = [*products, *variants]
    prices = prices_in(currency, [p.pk for p in everything]) or {}
    for product in everything:
        if product.pk in prices:
            product.price = prices[product.pk]
        elif product.parent_id is not None:
            product.is_active = False
