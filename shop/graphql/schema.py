"""Catalog queries: ``products``. The resolver maps input to ``shop.catalog`` and back."""

from types import SimpleNamespace

import graphene

from shop import catalog

from .inputs import ProductAttributeFilterInput, ProductAttributeSortInput
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
        page = catalog.search_products(
            search=search,
            filter=_product_filter(filter),
            page_size=pageSize,
            current_page=currentPage,
            sort=_sort(sort),
        )
        return SimpleNamespace(page=page, sort_fields=catalog.sort_fields(search))


def _product_filter(value) -> catalog.ProductFilter | None:
    if value is None:
        return None

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
    return catalog.ProductFilter(
        sku=equal(value.get("sku")),
        url_key=equal(value.get("url_key")),
        name=match(value.get("name")),
        description=match(value.get("description")),
        price=None if price is None else catalog.RangeFilter(from_=price.get("from_"), to=price.get("to")),
    )


def _sort(value) -> dict[catalog.SortField, str] | None:
    if not value:
        return None
    sort = {
        catalog.SortField(key): _enum_value(direction)
        for key, direction in value.items()
        if direction is not None
    }
    return sort or None


def _enum_value(member) -> str:
    return getattr(member, "value", member)


__all__ = ["CatalogQuery", "ProductInterface"]
