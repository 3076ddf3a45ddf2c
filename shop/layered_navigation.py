"""Layered navigation: Magento's ``products.aggregations`` for the products a query matches —
price ranges, categories and the filterable configurable attributes (colour, size) — each with
its options and how many of the matched products fall in each. Free of GraphQL.

Magento's rules, kept:

- **Price**: equal ranges whose width is a power of ten, chosen from the highest price (Magento's
  "automatic" step: 10^(digits of the highest price - 1), narrowed while it yields fewer than two
  ranges, never below 10). An option's value is ``"10_20"``, its label ``"10-20"``; a product at
  exactly 20 is in 20-30.
- **Category** (``category_id``, Magento's bucket name): every shown category below the store
  root holding matched products, counting its whole subtree (anchor categories); with
  ``direct_children_of`` (Magento's ``includeDirectChildrenOnly``) only those categories' children.
- **Attributes**: for each code of ``catalog.FILTERABLE_ATTRIBUTES``, the value labels of the
  matched products' active, in-stock variants, a product counted once per value; the option's
  value is the label (what ``products(filter: {color: {eq: ...}})`` takes).

No aggregation without matches (Magento answers ``[]``). Three queries whatever the number of
products: prices, category links, variant values (the category tree is the caller's snapshot).
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet

from shop.catalog import FILTERABLE_ATTRIBUTES
from shop.categories import CategoryTree
from shop.models import CategoryProduct, VariantValue

MIN_PRICE_RANGE = 10  # Magento's MIN_RANGE_POWER


@dataclass(frozen=True)
class AggregationOption:
    label: str
    value: str
    count: int


@dataclass(frozen=True)
class Aggregation:
    attribute_code: str
    label: str
    options: list[AggregationOption] = field(default_factory=list)
    position: int | None = None

    @property
    def count(self) -> int:
        """Magento's ``count``: how many options the aggregation has."""
        return len(self.options)


def aggregations(
    products: QuerySet, tree: CategoryTree, *, direct_children_of: list[int] | None = None
) -> list[Aggregation]:
    """Aggregations of ``products`` (``catalog.matching_products``), in Magento's order: price,
    category, then the attributes."""
    found = []
    price = _price(products)
    if price is None:
        return []  # nothing matched
    found.append(price)
    category = _categories(products, tree, direct_children_of)
    if category is not None:
        found.append(category)
    found += _attributes(products)
    return found


def price_range(max_price: Decimal, prices: list[Decimal]) -> int:
    """The width of the price ranges (Magento's automatic step)."""
    digits = len(str(int(max_price)))
    index = 1
    while True:
        width = 10 ** max(digits - index, 0)
        buckets = {math.floor(p / width) for p in prices}
        index += 1
        if width <= MIN_PRICE_RANGE or len(buckets) >= 2:
            return width


def _price(products: QuerySet) -> Aggregation | None:
    counts = dict(products.order_by().values_list("price").annotate(n=Count("id")))
    if not counts:
        return None
    width = price_range(max(counts), list(counts))
    buckets: dict[int, int] = {}
    for price, n in counts.items():
        bucket = math.floor(price / width)
        buckets[bucket] = buckets.get(bucket, 0) + n
    options = [
        AggregationOption(
            label=f"{bucket * width}-{(bucket + 1) * width}",
            value=f"{bucket * width}_{(bucket + 1) * width}",
            count=n,
        )
        for bucket, n in sorted(buckets.items())
    ]
    return Aggregation(attribute_code="price", label="Price", options=options)


def _categories(
    products: QuerySet, tree: CategoryTree, direct_children_of: list[int] | None
) -> Aggregation | None:
    links = CategoryProduct.objects.filter(product__in=products.order_by().values("pk")).values_list(
        "category_id", "product_id"
    )
    in_category: dict[int, set[int]] = {}
    for category_id, product_id in links:
        in_category.setdefault(category_id, set()).add(product_id)
    root = tree.store_root()
    if root is None:
        return None
    if direct_children_of:
        shown = [c for pk in direct_children_of if pk in tree.by_id for c in tree.children(tree.by_id[pk])]
    else:
        shown = [c for c in tree.in_tree_order(root) if c.pk != root.pk]
    options = []
    for category in shown:
        matched = set()
        for pk in tree.subtree_ids(category):
            matched |= in_category.get(pk, set())
        if matched:
            options.append(AggregationOption(label=category.name, value=str(category.pk), count=len(matched)))
    if not options:
        return None
    return Aggregation(attribute_code="category_id", label="Category", options=options)


def _attributes(products: QuerySet) -> list[Aggregation]:
    rows = (
        VariantValue.objects.filter(
            variant__parent__in=products.order_by().values("pk"),
            variant__is_active=True,
            variant__stock_qty__gt=0,
            attribute__code__in=FILTERABLE_ATTRIBUTES,
        )
        .values_list(
            "attribute__code", "attribute__label", "value__label", "value__position", "variant__parent_id"
        )
        .order_by()
    )
    labels: dict[str, str] = {}
    values: dict[str, dict[str, tuple[int, set[int]]]] = {}
    for code, attribute_label, value_label, value_position, parent_id in rows:
        labels.setdefault(code, attribute_label)
        by_value = values.setdefault(code, {})
        position, parents = by_value.get(value_label, (value_position, set()))
        parents.add(parent_id)
        by_value[value_label] = (min(position, value_position), parents)
    found = []
    for position, code in enumerate(FILTERABLE_ATTRIBUTES):
        if code not in values:
            continue
        options = [
            AggregationOption(label=label, value=label, count=len(parents))
            for label, (_, parents) in sorted(values[code].items(), key=lambda item: (item[1][0], item[0]))
        ]
        found.append(Aggregation(attribute_code=code, label=labels[code], options=options, position=position))
    return found
