"""Catalog queries: ``products``. The resolver maps input to ``shop.catalog`` and back
(categories: ``shop.graphql.categories``)."""

from types import SimpleNamespace

import graphene

from shop import catalog, configurable, layered_navigation
from shop.prices import show_in_currency
from shop.store import current_store

from .categories import category_tree, prefetch_product_categories
from .ids import decode_uid
from .inputs import ProductAttributeFilterInput, ProductAttributeSortInput
from .selection import selects
from .sort import enum_value as _enum_value
from .sort import product_sort
from .types import ProductInterface, Products


class CatalogQuery(graphene.ObjectType):
    products = graphene.Field(
        Products,
        search=graphene.String(description="One or more keywords matched in name, SKU and description."),
        filter=graphene.Argument(ProductAttributeFilterInput),
        pageSize=graphene.Int(default_value=catalog.DEFAULT_PAGE_SIZE),
        currentPage=graphene.Int(default_value=1),
        sort=graphene.Argument(ProductAttributeSortInput),
        description="Search for products that match the criteria specified in the search and filter attributes.",
    )

    @staticmethod
    def resolve_products(root, info, pageSize, currentPage, search=None, filter=None, sort=None):
        product_filter, requested_categories = _product_filter(filter, info)
        currency = current_store().currency
        page = catalog.search_products(
            search=search,
            filter=product_filter,
            page_size=pageSize,
            current_page=currentPage,
            sort=product_sort(sort),
            currency=currency,
        )
        if page.items and selects(info, "items", "categories"):
            prefetch_product_categories(page.items)
        # Attributes, values and variants of the page's configurable products: a fixed number
        # of queries, none for a page of simple products.
        configurable.load_configurable_data(page.items)
        show_in_currency(page.items, currency)  # no query in the default store's currency

        def aggregations(info, direct_children_only=False):
            if page.total_count == 0:
                return []
            return layered_navigation.aggregations(
                catalog.matching_products(search=search, filter=product_filter, currency=currency),
                category_tree(info),
                direct_children_of=requested_categories if direct_children_only else None,
            )

        return SimpleNamespace(page=page, sort_fields=catalog.sort_fields(search), aggregations=aggregations)


def _product_filter(value, info) -> tuple[catalog.ProductFilter | None, list[int | None]]:
    """The catalog's filter and the category ids asked for (before their subtrees are added)."""
    if value is None:
        return None, []

    def equal(v):
        return None if v is None else catalog.EqualFilter(eq=v.get("eq"), in_=v.get("in_"))

    def match(v):
        if v is None:
            return None
        match_type = v.get("match_type")
        return catalog.MatchFilter(
            match=v.get("match"),
            match_type=catalog.MatchType(_enum_value(match_type)) if match_type else None,
        )

    price = value.get("price")
    categories = _category_filter(value, info)
    requested = categories.pop("requested", [])
    attributes = {
        code: equal(value[code]) for code in catalog.FILTERABLE_ATTRIBUTES if value.get(code) is not None
    }
    product_filter = catalog.ProductFilter(
        sku=equal(value.get("sku")),
        url_key=equal(value.get("url_key")),
        name=match(value.get("name")),
        description=match(value.get("description")),
        price=None if price is None else catalog.RangeFilter(from_=price.get("from_"), to=price.get("to")),
        attributes=attributes or None,
        **categories,
    )
    return product_filter, requested


def _category_filter(value, info) -> dict:
    """``category_id``, ``category_uid`` and ``category_url_path`` (given together, a product
    must match each) as the catalog's ``category_ids`` and ``position_category``."""
    found = None

    def narrow(ids):
        nonlocal found
        found = ids if found is None else [pk for pk in found if pk in ids]

    if value.get("category_id") is not None:
        narrow(
            [
                int(v.strip()) if v.strip().isascii() and v.strip().isdigit() else None
                for v in _values(value["category_id"])
            ]
        )
    if value.get("category_uid") is not None:
        narrow([decode_uid(v) for v in _values(value["category_uid"])])
    if value.get("category_url_path") is not None:
        narrow(
            [
                getattr(category_tree(info).by_url_path(v), "pk", None)
                for v in _values(value["category_url_path"])
            ]
        )
    if found is None:
        return {}
    requested = list(dict.fromkeys(found))
    return {
        "category_ids": category_tree(info).product_filter_ids(requested),
        "position_category": requested[0] if len(requested) == 1 else None,
        "requested": requested,
    }


def _values(equal) -> list[str]:
    return catalog.EqualFilter(eq=equal.get("eq"), in_=equal.get("in_")).values()


__all__ = ["CatalogQuery", "ProductInterface"]
