"""Catalog pages: the product list, a category's products (/c/<url_path>/) and one product.

Prices are shown as stored (tax-inclusive when PRICES_INCLUDE_TAX, else net) and labelled
accordingly; the cart page, which knows the destination, shows the taxes themselves.
"""

from babel.numbers import format_currency
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from .catalog import ProductFilter, search_products
from .categories import CategoryTree
from .errors import DomainError
from .models import Product


def format_price(amount, currency: str | None = None) -> str:
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    return format_currency(amount, currency or settings.STORE_CURRENCY, locale=locale)


def _for_display(product: Product) -> Product:
    product.price_display = format_price(product.price)
    return product


def catalog(request):
    products = [_for_display(p) for p in Product.objects.filter(is_active=True, parent=None)]
    menu = CategoryTree.load().menu()
    return render(request, "shop/catalog.html", {"products": products, "menu": menu})


CATEGORY_PAGE_SIZE = 24


def category(request, url_path):
    """A shown category's products (its subcategories' too), in the category's order, a page of
    ``CATEGORY_PAGE_SIZE`` at a time (``?page=2``). 404 for a path no shown category has."""
    tree = CategoryTree.load()
    category = tree.by_url_path(url_path.strip("/"))
    if category is None:
        raise Http404("No such category")
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit():
        raise Http404("No such page")
    try:
        page = search_products(
            filter=ProductFilter(category_ids=tree.subtree_ids(category), position_category=category.pk),
            page_size=CATEGORY_PAGE_SIZE,
            current_page=int(page_number),
        )
    except DomainError:
        raise Http404("No such page") from None
    context = {
        "category": category,
        "breadcrumbs": tree.breadcrumbs(category),
        "subcategories": tree.children(category),
        "menu": tree.menu(),
        "products": [_for_display(p) for p in page.items],
        "page": page,
    }
    return render(request, "shop/category.html", context)


def product_detail(request, url_key):
    """The add-to-cart button reads the session's cart id from ``cart.context_processors``."""
    product = _for_display(get_object_or_404(Product, url_key=url_key, is_active=True))
    return render(request, "shop/product.html", {"product": product, "max_quantity": product.stock_qty})
