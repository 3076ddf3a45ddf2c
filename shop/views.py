"""Catalog pages: the product list and one product.

Prices are shown as stored (tax-inclusive when PRICES_INCLUDE_TAX, else net) and labelled
accordingly; the cart page, which knows the destination, shows the taxes themselves.
"""

from babel.numbers import format_currency
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from .models import Product


def format_price(amount, currency: str | None = None) -> str:
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    return format_currency(amount, currency or settings.STORE_CURRENCY, locale=locale)


def _for_display(product: Product) -> Product:
    product.price_display = format_price(product.price)
    return product


def catalog(request):
    products = [_for_display(p) for p in Product.objects.filter(is_active=True)]
    return render(request, "shop/catalog.html", {"products": products})


def product_detail(request, url_key):
    """The add-to-cart button reads the session's cart id from ``cart.context_processors``."""
    product = _for_display(get_object_or_404(Product, url_key=url_key, is_active=True))
    return render(request, "shop/product.html", {"product": product, "max_quantity": product.stock_qty})
