"""Catalog pages: the product list, a category's products (/c/<url_path>/) and one product.

Prices are shown as stored (tax-inclusive when PRICES_INCLUDE_TAX, else net) and labelled
accordingly; the cart page, which knows the destination, shows the taxes themselves.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import configurable
from .catalog import ProductFilter, search_products
from .categories import CategoryTree
from .errors import DomainError
from .models import Product
from .money import format_money
from .prices import is_default_currency, priced_in, show_in_currency
from .store import current_store


def format_price(amount, currency: str | None = None) -> str:
    """The storefront's money: ``shop.money.format_money`` (currency precision, active locale)."""
    return format_money(amount, currency)


def _for_display(product: Product) -> Product:
    """Price and stock as a listing shows them: a configurable product's price range over its
    variants and "in stock" while one variant is (its variants loaded by the caller)."""
    prices = configurable.price_range(product)
    product.price_display = format_price(prices.minimum)
    if prices.maximum != prices.minimum:
        product.price_display += f" – {format_price(prices.maximum)}"
    product.available = configurable.is_in_stock(product)
    return product


def _listed(products: list[Product]) -> list[Product]:
    configurable.load_configurable_data(products)  # no query for a page of simple products
    show_in_currency(products, current_store().currency)  # the store's prices (none by default)
    return [_for_display(p) for p in products]


def catalog(request):
    listed = Product.objects.filter(is_active=True, parent=None)
    currency = current_store().currency
    if not is_default_currency(currency):  # a store sells what has a price in its currency
        listed = listed.filter(priced_in(currency))
    products = _listed(list(listed))
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
    if not (page_number.isascii() and page_number.isdigit()):
        raise Http404("No such page")
    try:
        page = search_products(
            filter=ProductFilter(category_ids=tree.subtree_ids(category), position_category=category.pk),
            page_size=CATEGORY_PAGE_SIZE,
            current_page=int(page_number),
            currency=current_store().currency,
        )
    except DomainError:
        raise Http404("No such page") from None
    context = {
        "category": category,
        "breadcrumbs": tree.breadcrumbs(category),
        "subcategories": tree.children(category),
        "menu": tree.menu(),
        "products": _listed(page.items),
        "page": page,
    }
    return render(request, "shop/category.html", context)


def product_detail(request, url_key):
    """The add-to-cart button reads the session's cart id from ``cart.context_processors``.

    A configurable product's page offers a <select> per attribute (values named by their uids,
    as ``selected_options`` sends them) and lists every variant with its price and stock, so
    it works without script; ``static/js/product.js`` shows the chosen variant's price and stock.
    """
    currency = current_store().currency
    products = Product.objects.filter(url_key=url_key, is_active=True, parent=None)
    if not is_default_currency(currency):
        products = products.filter(priced_in(currency))
    product = get_object_or_404(products)
    configurable.load_configurable_data([product])
    show_in_currency([product], currency)
    product = _for_display(product)
    context = {"product": product, "max_quantity": product.stock_qty}
    if product.is_configurable:
        context.update(_configurable_context(product))
    return render(request, "shop/product.html", context)


def _configurable_context(product: Product) -> dict:
    attributes = configurable.attributes_of(product)
    options = [
        {
            "code": attribute.code,
            "label": attribute.label,
            "values": [
                {
                    "uid": configurable.value_uid(attribute.pk, value.pk),
                    "label": value.label,
                    "swatch": value.swatch if value.swatch.startswith("#") else "",
                }
                for value in attribute.values.all()
            ],
        }
        for attribute in attributes
    ]
    variants = []
    for variant in configurable.variants_of(product):
        chosen = {vv.attribute_id: vv for vv in configurable.values_of(variant)}
        variants.append(
            {
                "sku": variant.sku,
                "image_url": variant.image_url,
                "label": ", ".join(chosen[a.pk].value.label for a in attributes if a.pk in chosen),
                "uids": [
                    configurable.value_uid(a.pk, chosen[a.pk].value_id) for a in attributes if a.pk in chosen
                ],
                "price_display": format_price(variant.price),
                "stock_qty": variant.stock_qty if variant.in_stock else 0,
                "in_stock": variant.in_stock,
            }
        )
    return {
        "options": options,
        "variants": variants,
        "max_quantity": max((v["stock_qty"] for v in variants), default=0),
        "variants_data": [
            {k: v[k] for k in ("sku", "uids", "price_display", "stock_qty", "in_stock", "label", "image_url")}
            for v in variants
        ],
    }
