"""Magento's catalog input types for ``products``: filters and sort."""

import graphene

from .types import SortEnum


class FilterMatchTypeEnum(graphene.Enum):
    FULL = "FULL"
    PARTIAL = "PARTIAL"


class FilterEqualTypeInput(graphene.InputObjectType):
    """Filter by an exact value (``eq``) or one of several (``in``)."""

    eq = graphene.String()
    in_ = graphene.List(graphene.String, name="in")


class FilterMatchTypeInput(graphene.InputObjectType):
    """Case-insensitive text match: PARTIAL finds the phrase anywhere, FULL needs whole words."""

    match = graphene.String()
    match_type = graphene.Field(FilterMatchTypeEnum)


class FilterRangeTypeInput(graphene.InputObjectType):
    """An inclusive range; bounds are decimal strings."""

    from_ = graphene.String(name="from")
    to = graphene.String()


class ProductAttributeFilterInput(graphene.InputObjectType):
    sku = graphene.Field(FilterEqualTypeInput)
    url_key = graphene.Field(FilterEqualTypeInput)
    name = graphene.Field(FilterMatchTypeInput)
    description = graphene.Field(FilterMatchTypeInput)
    price = graphene.Field(FilterRangeTypeInput)
    category_id = graphene.Field(FilterEqualTypeInput, description="Deprecated: use `category_uid`.")
    category_uid = graphene.Field(FilterEqualTypeInput)
    category_url_path = graphene.Field(FilterEqualTypeInput)
    # The filterable configurable attributes (shop.catalog.FILTERABLE_ATTRIBUTES); a value is its label.
    color = graphene.Field(FilterEqualTypeInput)
    size = graphene.Field(FilterEqualTypeInput)


class ProductAttributeSortInput(graphene.InputObjectType):
    name = graphene.Field(SortEnum)
    position = graphene.Field(SortEnum)
    price = graphene.Field(SortEnum)
    relevance = graphene.Field(SortEnum)
