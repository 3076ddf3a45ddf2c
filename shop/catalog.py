"""Catalog search: the rules behind the ``products`` query, free of GraphQL.

``search_products`` validates paging the way Magento does, then runs exactly two queries
(a count and one page) whatever the page size or filters.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower

from shop.errors import DomainError
from shop.models import CategoryProduct, Product, VariantValue
from shop.prices import is_default_currency, priced_in

DEFAULT_PAGE_SIZE = 20
# Configurable attributes a shopper can filter by (``products(filter: {color: {eq: "Blue"}})``)
# and that the layered navigation counts: Magento's "filterable" attributes. A value is its label.
FILTERABLE_ATTRIBUTES = ("color", "size")


class MatchType(StrEnum):
    FULL = "FULL"  # every word of the phrase appears as a whole word
    PARTIAL = "PARTIAL"  # the phrase appears anywhere, also inside words


class SortField(StrEnum):
    # Applied in this order when several are given (GraphQL input objects carry no field order).
    NAME = "name"
    POSITION = "position"
    PRICE = "price"
    RELEVANCE = "relevance"


@dataclass(frozen=True)
class EqualFilter:
    eq: str | None = None
    in_: list[str] | None = None

    def values(self) -> list[str]:
        """``eq`` and ``in`` together (Magento: a value must equal ``eq`` or be in ``in``)."""
        values = [] if self.eq is None else [self.eq]
        return values + [value for value in self.in_ or [] if value is not None]


@dataclass(frozen=True)
class MatchFilter:
    match: str | None = None
    match_type: MatchType | None = None


@dataclass(frozen=True)
class RangeFilter:
    from_: str | None = None
    to: str | None = None


@dataclass(frozen=True)
class ProductFilter:
    sku: EqualFilter | None = None
    url_key: EqualFilter | None = None
    name: MatchFilter | None = None
    description: MatchFilter | None = None
    price: RangeFilter | None = None
    # Products linked to any of these categories (``CategoryTree.product_filter_ids`` expands a
    # category to its subtree); ``position_category``: list in that category's order.
    category_ids: list[int] | None = None
    position_category: int | None = None
    # Configurable attribute code -> value labels: products with an active variant in stock
    # having one of them (``FILTERABLE_ATTRIBUTES``).
    attributes: dict[str, EqualFilter] | None = None


@dataclass(frozen=True)
class ProductPage:
    items: list[Product]
    total_count: int
    page_size: int
    current_page: int

    @property
    def total_pages(self) -> int:
        return -(-self.total_count // self.page_size)


@dataclass(frozen=True)
class SortOption:
    value: str
    label: str


@dataclass(frozen=True)
class SortFields:
    default: str
    options: list[SortOption] = field(default_factory=list)


DEFAULT_CURRENT_PAGE = 1


def search_products(
    *,
    search: str | None = None,
    filter: ProductFilter | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    current_page: int = 1,
    sort: dict[SortField, str] | None = None,
    currency: str | None = None,
) -> ProductPage:
    """One page of active products matching ``search`` (name, sku, description) and ``filter``.

    Raises ``DomainError`` with Magento's codes: neither search nor filter, a page or page size
    below 1, or a page beyond the last one when there are results. Read-only; two queries.
    """
    if search is None and filter is None:
        raise DomainError("products_search_or_filter")
    # An explicit null (``currentPage: null``) means the default, as when the argument is left out.
    current_page = DEFAULT_CURRENT_PAGE if current_page is None else current_page
    page_size = DEFAULT_PAGE_SIZE if page_size is None else page_size
    if current_page < 1:
        raise DomainError("products_current_page")
    if page_size < 1:
        raise DomainError("products_page_size")

    products = matching_products(search=search, filter=filter, currency=currency)
    words = search.split() if search else []

    total_count = products.count()
    page = ProductPage(items=[], total_count=total_count, page_size=page_size, current_page=current_page)
    if total_count == 0:
        return page
    if current_page > page.total_pages:
        raise DomainError("products_page_beyond", current_page=current_page, total_pages=page.total_pages)

    position_category = filter.position_category if filter is not None else None
    products = _ordered(products, sort or default_sort(search), words, position_category)
    offset = (current_page - 1) * page_size
    return ProductPage(
        items=list(products[offset : offset + page_size]),
        total_count=total_count,
        page_size=page_size,
        current_page=current_page,
    )


def matching_products(
    *, search: str | None = None, filter: ProductFilter | None = None, currency: str | None = None
) -> QuerySet:
    """The listed products (active, no variants) matching ``search`` and ``filter``, and sold in
    ``currency`` (a store sells only what has a price in its currency, ``shop.prices``), unordered
    and not yet run: the page and the layered navigation (``shop.layered_navigation``) read it."""
    # A configurable product's variants are sold through it, never listed on their own.
    products = Product.objects.filter(is_active=True, parent__isnull=True)
    if currency is not None and not is_default_currency(currency):
        products = products.filter(priced_in(currency))
    if filter is not None:
        products = products.filter(_filter_condition(filter))
    for word in search.split() if search else []:
        products = products.filter(
            Q(name__icontains=word) | Q(sku__icontains=word) | Q(description__icontains=word)
        )
    return products


def default_sort(search: str | None) -> dict[SortField, str]:
    """Magento's default: most relevant first when searching, catalog position otherwise."""
    if search and search.split():
        return {SortField.RELEVANCE: "DESC"}
    return {SortField.POSITION: "ASC"}


def sort_fields(search: str | None) -> SortFields:
    """The sort options a storefront may offer for this query (``Products.sort_fields``)."""
    options = [
        SortOption("position", "Position"),
        SortOption("name", "Product Name"),
        SortOption("price", "Price"),
    ]
    if search and search.split():
        options.insert(0, SortOption("relevance", "Relevance"))
    return SortFields(default=next(iter(default_sort(search))).value, options=options)


def _filter_condition(filter: ProductFilter) -> Q:
    condition = Q()
    for field_name in ("sku", "url_key"):
        equal: EqualFilter | None = getattr(filter, field_name)
        if equal is None:
            continue
        if equal.eq is not None:
            condition &= Q(**{field_name: equal.eq})
        if equal.in_ is not None:
            condition &= Q(**{f"{field_name}__in": [value for value in equal.in_ if value is not None]})
    for field_name in ("name", "description"):
        match: MatchFilter | None = getattr(filter, field_name)
        if match is not None and match.match and match.match.strip():
            condition &= _match_condition(field_name, match)
    if filter.price is not None:
        if filter.price.from_ not in (None, ""):
            condition &= Q(price__gte=_decimal(filter.price.from_, "price.from"))
        if filter.price.to not in (None, ""):
            condition &= Q(price__lte=_decimal(filter.price.to, "price.to"))
    if filter.category_ids is not None:
        links = CategoryProduct.objects.filter(category_id__in=filter.category_ids)
        condition &= Q(pk__in=links.values("product_id"))
    for code, equal in (filter.attributes or {}).items():
        variants = VariantValue.objects.filter(
            attribute__code=code,
            value__label__in=equal.values(),
            variant__is_active=True,
            variant__stock_qty__gt=0,
        )
        condition &= Q(pk__in=variants.values("variant__parent_id"))
    return condition


def _match_condition(field_name: str, match: MatchFilter) -> Q:
    phrase = match.match.strip()
    if match.match_type != MatchType.FULL:
        return Q(**{f"{field_name}__icontains": phrase})
    # \W and alternation mean the same in Python's re (SQLite) and PostgreSQL's regex flavour.
    condition = Q()
    for word in phrase.split():
        condition &= Q(**{f"{field_name}__iregex": rf"(^|\W){re.escape(word)}(\W|$)"})
    return condition


def _decimal(value: str, field_name: str) -> Decimal:
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise DomainError("products_filter_invalid", field=field_name, value=value)
    return amount


def _ordered(
    products: QuerySet, sort: dict[SortField, str], words: list[str], position_category: int | None = None
) -> QuerySet:
    order_by = []
    for sort_field in SortField:  # fixed precedence: name, position, price, relevance
        direction = sort.get(sort_field)
        if direction is None:
            continue
        if sort_field == SortField.NAME:
            expression = Lower("name")
        elif sort_field == SortField.PRICE:
            expression = F("price")
        elif sort_field == SortField.POSITION and position_category is not None:
            # Listing one category: its own order; products of subcategories after, by creation.
            expression = Coalesce(
                Subquery(
                    CategoryProduct.objects.filter(
                        category_id=position_category, product_id=OuterRef("pk")
                    ).values("position")[:1]
                ),
                Value(2**31 - 1),
            )
        elif sort_field == SortField.POSITION:
            # Not listing one category: a product's position is its place in the catalog (creation order).
            expression = F("id")
        elif words:
            products = products.annotate(relevance=_relevance(words))
            expression = F("relevance")
        else:
            continue  # relevance without a search term ranks nothing
        order_by.append(expression.desc() if direction == "DESC" else expression.asc())
    order_by.append(F("id").asc())  # stable pages
    return products.order_by(*order_by)


def _relevance(words: list[str]):
    """A match in the name weighs most, then the SKU (an exact SKU most of all), then the description."""
    score = Value(0)
    for word in words:
        score = (
            score
            + Case(When(sku__iexact=word, then=Value(8)), default=Value(0), output_field=IntegerField())
            + Case(When(name__icontains=word, then=Value(4)), default=Value(0), output_field=IntegerField())
            + Case(When(sku__icontains=word, then=Value(2)), default=Value(0), output_field=IntegerField())
            + Case(
                When(description__icontains=word, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    return score
