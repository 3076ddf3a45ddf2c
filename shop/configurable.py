"""Configurable products (Magento's model): a parent with configurable attributes and values,
its variants simple products with one value per attribute. Free of GraphQL.

What the catalog, the cart and the storefront need: building a configurable product and its
variants (``create_configurable``, ``add_variant``), finding the variant a shopper chose
(``variant_for_options``, ``variant_for_sku``), Magento's uids for options and values, and
``load_configurable_data``, which reads the attributes, values and variants of any number of
parents in a fixed number of queries (so a page of products costs the same with 1 or 50).

A variant is named after its parent and its values ("T-shirt - Blue, M"): that name is what the
cart, the order item and Klarna's order line show, with the variant's SKU as reference.
"""

import base64
import binascii
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.text import slugify

from shop.errors import DomainError
from shop.models import AttributeValue, ConfigurableAttribute, Product, ProductType, VariantValue

OPTION_TYPE = "configurable"  # Magento's prefix of configurable option uids


# --- uids ---------------------------------------------------------------------------------------------
def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def option_uid(attribute_id: int) -> str:
    """``ConfigurableProductOptions.uid``: base64("configurable/<attribute id>")."""
    return _b64(f"{OPTION_TYPE}/{attribute_id}")


def value_uid(attribute_id: int, value_id: int) -> str:
    """A value's uid, what ``selected_options`` sends: base64("configurable/<attribute>/<value>")."""
    return _b64(f"{OPTION_TYPE}/{attribute_id}/{value_id}")


def parse_value_uid(uid: str) -> tuple[int, int] | None:
    """(attribute id, value id) of a value uid, or None when it is not a configurable value uid."""
    try:
        text = base64.b64decode((uid or "").encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = text.split("/")
    if (
        len(parts) != 3
        or parts[0] != OPTION_TYPE
        or not (parts[1].isascii() and parts[1].isdigit() and parts[2].isascii() and parts[2].isdigit())
    ):
        return None
    return int(parts[1]), int(parts[2])


# --- reading ------------------------------------------------------------------------------------------
def _variants_queryset():
    values = VariantValue.objects.select_related("value").order_by("attribute__position", "attribute_id")
    return Product.objects.order_by("id").prefetch_related(Prefetch("variant_values", queryset=values))


def load_configurable_data(products: list[Product]) -> None:
    """Prefetch, for the configurable ones among ``products``, their attributes with values and
    their variants with each variant's values: four queries whatever the number of products
    (none when there is no configurable product)."""
    parents = [p for p in products if p.is_configurable]
    if not parents:
        return

    attributes = ConfigurableAttribute.objects.prefetch_related("values")
    prefetch_related_objects(
        parents,
        Prefetch("configurable_attributes", queryset=attributes),
        Prefetch("variants", queryset=_variants_queryset()),
    )


def load_variant_details(variants: list[Product]) -> None:
    """For products sold as variants (a cart's lines): their parents, their values with the
    attribute of each, and the parents' attributes and variants. Six queries whatever the
    number of lines; none when no product is a variant."""
    variants = [v for v in variants if v.parent_id is not None]
    if not variants:
        return
    load_variant_options(variants)
    load_configurable_data(list({v.parent_id: v.parent for v in variants}.values()))


def load_variant_options(variants: list[Product]) -> None:
    """For products sold as variants (a cart page's lines): their parents and their values with
    the attribute of each, nothing else. Two queries whatever the number of lines; none when
    no product is a variant."""
    variants = [v for v in variants if v.parent_id is not None]
    if not variants:
        return
    values = VariantValue.objects.select_related("value", "attribute").order_by(
        "attribute__position", "attribute_id"
    )
    prefetch_related_objects(variants, "parent", Prefetch("variant_values", queryset=values))


def selected_options(variant: Product) -> list[VariantValue]:
    """The variant's chosen values, each with its attribute (``load_variant_details``)."""
    return list(variant.variant_values.all())


def attributes_of(parent: Product) -> list[ConfigurableAttribute]:
    return list(parent.configurable_attributes.all())


def variants_of(parent: Product) -> list[Product]:
    """The parent's active variants, oldest first."""
    return [v for v in parent.variants.all() if v.is_active]


def values_of(variant: Product) -> list[VariantValue]:
    """The variant's value per attribute, in the parent's attribute order."""
    return list(variant.variant_values.all())


@dataclass(frozen=True)
class PriceRange:
    minimum: Decimal
    maximum: Decimal


def price_range(product: Product) -> PriceRange:
    """Lowest and highest price a shopper can pay: over the in-stock variants of a configurable
    product (all its active variants when none is in stock, as Magento shows a price even
    then), the product's own price otherwise."""
    if not product.is_configurable:
        return PriceRange(product.price, product.price)
    variants = variants_of(product)
    priced = [v.price for v in variants if v.in_stock] or [v.price for v in variants]
    if not priced:
        return PriceRange(product.price, product.price)
    return PriceRange(min(priced), max(priced))


def is_in_stock(product: Product) -> bool:
    """A configurable product is in stock while one of its variants is."""
    if product.is_configurable:
        return product.is_active and any(v.in_stock for v in variants_of(product))
    return product.in_stock


# --- choosing a variant --------------------------------------------------------------------------------
def variant_for_options(parent: Product, selected_uids: list[str]) -> Product:
    """The parent's variant with exactly the selected values, one per attribute.

    Raises ``configurable_options_missing`` (Magento: "You need to choose options for your
    item.") for no options, an unknown uid or one of another product, an attribute chosen twice
    or left out, or a combination no active variant has. Reads the parent's attributes and
    variants (prefetched by ``load_configurable_data`` or two queries here).
    """
    attributes = {a.pk: {v.pk for v in a.values.all()} for a in attributes_of(parent)}
    chosen: dict[int, int] = {}
    for uid in selected_uids or []:
        parsed = parse_value_uid(uid)
        if parsed is None or parsed[0] not in attributes or parsed[1] not in attributes[parsed[0]]:
            raise DomainError("configurable_options_missing")
        if chosen.get(parsed[0], parsed[1]) != parsed[1]:
            raise DomainError("configurable_options_missing")
        chosen[parsed[0]] = parsed[1]
    if not attributes or set(chosen) != set(attributes):
        raise DomainError("configurable_options_missing")
    for variant in variants_of(parent):
        if {vv.attribute_id: vv.value_id for vv in values_of(variant)} == chosen:
            return variant
    raise DomainError("configurable_options_missing")


@dataclass(frozen=True)
class OptionsSelection:
    """What a product page can offer after a partial choice (Magento's
    ``configurable_product_options_selection``): per attribute id, the value ids that still
    lead to an in-stock variant given the values chosen for the *other* attributes, and the
    variant once every attribute is chosen (None before, or for a combination no variant has)."""

    chosen: dict[int, int]
    available: dict[int, set[int]]
    variant: Product | None


def options_selection(parent: Product, selected_uids: list[str]) -> OptionsSelection:
    """Uids that are not values of this product are left out, as Magento does."""
    attributes = attributes_of(parent)
    values_by_attribute = {a.pk: {v.pk for v in a.values.all()} for a in attributes}
    chosen: dict[int, int] = {}
    for uid in selected_uids or []:
        parsed = parse_value_uid(uid)
        if parsed is not None and parsed[1] in values_by_attribute.get(parsed[0], ()):
            chosen[parsed[0]] = parsed[1]
    combinations = [({vv.attribute_id: vv.value_id for vv in values_of(v)}, v) for v in variants_of(parent)]
    available: dict[int, set[int]] = {}
    for attribute in attributes:
        others = {a: v for a, v in chosen.items() if a != attribute.pk}
        available[attribute.pk] = {
            combination[attribute.pk]
            for combination, variant in combinations
            if variant.in_stock
            and attribute.pk in combination
            and all(combination.get(a) == v for a, v in others.items())
        }
    variant = None
    if attributes and set(chosen) == set(values_by_attribute):
        variant = next((v for combination, v in combinations if combination == chosen), None)
    return OptionsSelection(chosen=chosen, available=available, variant=variant)


def variant_for_sku(parent: Product, sku: str) -> Product:
    """The parent's active variant with this SKU (``addConfigurableProductsToCart``), else
    ``configurable_variant_not_found`` ("Could not find specified product.")."""
    for variant in variants_of(parent):
        if variant.sku == sku:
            return variant
    raise DomainError("configurable_variant_not_found")


def variant_label(parent_name: str, value_labels: list[str]) -> str:
    """ "T-shirt - Blue, M": the variant's name in the cart, on the order and at Klarna."""
    return f"{parent_name} - {', '.join(value_labels)}" if value_labels else parent_name


# --- writing ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AttributeSpec:
    code: str
    label: str
    values: list[tuple[str, str]]  # (label, swatch) in display order


@transaction.atomic
def create_configurable(
    *, sku: str, name: str, url_key: str | None = None, attributes: list[AttributeSpec], **fields
) -> Product:
    """A configurable parent with its attributes and values (no variants yet). Its ``price``
    is the listing's "from" price until variants exist; ``add_variant`` keeps it the lowest."""
    fields.setdefault("price", Decimal("0"))
    parent = Product.objects.create(
        sku=sku,
        name=name,
        url_key=url_key or slugify(name),
        type=ProductType.CONFIGURABLE,
        stock_qty=0,
        **fields,
    )
    for position, spec in enumerate(attributes):
        attribute = ConfigurableAttribute.objects.create(
            product=parent, code=spec.code, label=spec.label, position=position
        )
        AttributeValue.objects.bulk_create(
            [
                AttributeValue(attribute=attribute, label=label, swatch=swatch, position=n)
                for n, (label, swatch) in enumerate(spec.values)
            ]
        )
    return parent


@transaction.atomic
def add_variant(
    parent: Product, *, sku: str, values: dict[str, str], price: Decimal, stock_qty: int = 0, **fields
) -> Product:
    """A variant of ``parent`` with one value per attribute (``{"color": "Blue", "size": "M"}``,
    matched by attribute code and value label). Raises ValueError for a missing or unknown
    attribute or value, or a combination another variant already has."""
    if not parent.is_configurable:
        raise ValueError(f"{parent.sku} is not a configurable product")
    attributes = list(parent.configurable_attributes.prefetch_related("values"))
    if set(values) != {a.code for a in attributes}:
        raise ValueError(f"{sku}: give exactly one value for each of {', '.join(a.code for a in attributes)}")
    chosen = []
    for attribute in attributes:
        value = next((v for v in attribute.values.all() if v.label == values[attribute.code]), None)
        if value is None:
            raise ValueError(f"{sku}: {values[attribute.code]!r} is no value of {attribute.code}")
        chosen.append((attribute, value))
    combination = {a.pk: v.pk for a, v in chosen}
    for other in parent.variants.prefetch_related("variant_values"):
        if {vv.attribute_id: vv.value_id for vv in other.variant_values.all()} == combination:
            raise ValueError(f"{sku}: {other.sku} already has these values")
    fields.setdefault("tax_class", parent.tax_class)
    fields.setdefault("image_url", parent.image_url)
    variant = Product.objects.create(
        sku=sku,
        name=variant_label(parent.name, [v.label for _, v in chosen]),
        url_key=slugify(sku),
        parent=parent,
        price=price,
        stock_qty=stock_qty,
        **fields,
    )
    VariantValue.objects.bulk_create([VariantValue(variant=variant, attribute=a, value=v) for a, v in chosen])
    lowest = min(parent.variants.values_list("price", flat=True))
    if parent.price != lowest:
        Product.objects.filter(pk=parent.pk).update(price=lowest)
        parent.price = lowest
    return variant
