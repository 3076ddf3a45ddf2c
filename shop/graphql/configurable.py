"""Magento's ``ConfigurableProduct`` and its options, values, swatches and variants. The rules
and uids live in ``shop.configurable``; resolvers read what ``load_configurable_data``
prefetched for a page (``products``) or a cart, so variants add a fixed number of queries."""

import graphene

from shop import configurable

from .ids import encode_uid
from .routable import RoutableInterface
from .types import MediaGalleryInterface, ProductImage, ProductInterface, SimpleProduct


class SwatchDataInterface(graphene.Interface):
    value = graphene.String(
        description="The value can be represented as color (HEX code), image link, or text."
    )


class ColorSwatchData(graphene.ObjectType):
    class Meta:
        interfaces = (SwatchDataInterface,)

    @classmethod
    def is_type_of(cls, root, info):
        return root.value.startswith("#")


class TextSwatchData(graphene.ObjectType):
    class Meta:
        interfaces = (SwatchDataInterface,)

    @classmethod
    def is_type_of(cls, root, info):
        return not root.value.startswith("#")


class ImageSwatchData(graphene.ObjectType):
    """Declared as Magento's (Venia's fragments branch on it); this shop's swatches are colours
    or text, so no value has this type."""

    class Meta:
        interfaces = (SwatchDataInterface,)

    thumbnail = graphene.String()

    @classmethod
    def is_type_of(cls, root, info):
        return False


class _Swatch:
    def __init__(self, value: str):
        self.value = value


class ConfigurableProductOptionsValues(graphene.ObjectType):
    """One value of an option (root: ``AttributeValue``)."""

    uid = graphene.ID()
    value_index = graphene.Int(deprecation_reason="Use `uid` instead.")
    label = graphene.String()
    default_label = graphene.String()
    store_label = graphene.String()
    use_default_value = graphene.Boolean()
    swatch_data = graphene.Field(SwatchDataInterface)

    @staticmethod
    def resolve_uid(value, info):
        return configurable.value_uid(value.attribute_id, value.pk)

    @staticmethod
    def resolve_value_index(value, info):
        return value.pk

    @staticmethod
    def resolve_label(value, info):
        return value.label

    @staticmethod
    def resolve_default_label(value, info):
        return value.label

    @staticmethod
    def resolve_store_label(value, info):
        return value.label

    @staticmethod
    def resolve_use_default_value(value, info):
        return True

    @staticmethod
    def resolve_swatch_data(value, info):
        return _Swatch(value.swatch) if value.swatch else None


class ConfigurableProductOptions(graphene.ObjectType):
    """A configurable attribute of a product (root: ``ConfigurableAttribute``)."""

    id = graphene.Int(deprecation_reason="Use `uid` instead.")
    uid = graphene.ID(required=True)
    attribute_id = graphene.String(deprecation_reason="Use `attribute_uid` instead.")
    attribute_id_v2 = graphene.Int(deprecation_reason="Use `attribute_uid` instead.")
    attribute_uid = graphene.ID(required=True)
    attribute_code = graphene.String()
    label = graphene.String()
    position = graphene.Int()
    use_default = graphene.Boolean()
    values = graphene.List(ConfigurableProductOptionsValues)
    product_id = graphene.Int(
        deprecation_reason="`product_id` is not needed and can be obtained from its parent."
    )

    @staticmethod
    def resolve_id(attribute, info):
        return attribute.pk

    @staticmethod
    def resolve_uid(attribute, info):
        return configurable.option_uid(attribute.pk)

    @staticmethod
    def resolve_attribute_id(attribute, info):
        return str(attribute.pk)

    @staticmethod
    def resolve_attribute_id_v2(attribute, info):
        return attribute.pk

    @staticmethod
    def resolve_attribute_uid(attribute, info):
        return encode_uid(attribute.pk)

    @staticmethod
    def resolve_attribute_code(attribute, info):
        return attribute.code

    @staticmethod
    def resolve_use_default(attribute, info):
        return False

    @staticmethod
    def resolve_values(attribute, info):
        return list(attribute.values.all())

    @staticmethod
    def resolve_product_id(attribute, info):
        return attribute.product_id


class ConfigurableAttributeOption(graphene.ObjectType):
    """A variant's value for one attribute (root: ``VariantValue`` with its value)."""

    uid = graphene.ID(required=True)
    label = graphene.String()
    code = graphene.String()
    value_index = graphene.Int()

    @staticmethod
    def resolve_uid(variant_value, info):
        return configurable.value_uid(variant_value.attribute_id, variant_value.value_id)

    @staticmethod
    def resolve_label(variant_value, info):
        return variant_value.value.label

    @staticmethod
    def resolve_code(variant_value, info):
        return _attribute_code(variant_value)

    @staticmethod
    def resolve_value_index(variant_value, info):
        return variant_value.value_id


def _attribute_code(variant_value) -> str:
    # The parent's attributes are prefetched with it; the variant's value rows name only the id.
    parent = variant_value.variant.parent
    return next(a.code for a in configurable.attributes_of(parent) if a.pk == variant_value.attribute_id)


class ConfigurableVariant(graphene.ObjectType):
    attributes = graphene.List(ConfigurableAttributeOption)
    product = graphene.Field(SimpleProduct)

    @staticmethod
    def resolve_attributes(variant, info):
        return configurable.values_of(variant)

    @staticmethod
    def resolve_product(variant, info):
        return variant


class ConfigurableProductOptionValue(graphene.ObjectType):
    uid = graphene.ID(required=True)
    is_available = graphene.Boolean(required=True)
    is_use_default = graphene.Boolean(required=True)
    label = graphene.String(required=True)


class ConfigurableProductOption(graphene.ObjectType):
    uid = graphene.ID(required=True)
    attribute_code = graphene.String(required=True)
    label = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(ConfigurableProductOptionValue))


class ConfigurableOptionAvailableForSelection(graphene.ObjectType):
    option_value_uids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    attribute_code = graphene.String(required=True)


class ConfigurableProductOptionsSelection(graphene.ObjectType):
    """Root: (product, ``shop.configurable.OptionsSelection``)."""

    options_available_for_selection = graphene.List(graphene.NonNull(ConfigurableOptionAvailableForSelection))
    configurable_options = graphene.List(graphene.NonNull(ConfigurableProductOption))
    media_gallery = graphene.List(graphene.NonNull(MediaGalleryInterface))
    variant = graphene.Field(SimpleProduct)

    @staticmethod
    def resolve_options_available_for_selection(root, info):
        product, selection = root
        return [
            ConfigurableOptionAvailableForSelection(
                attribute_code=attribute.code,
                option_value_uids=[
                    configurable.value_uid(attribute.pk, value.pk)
                    for value in attribute.values.all()
                    if value.pk in selection.available[attribute.pk]
                ],
            )
            for attribute in configurable.attributes_of(product)
        ]

    @staticmethod
    def resolve_configurable_options(root, info):
        product, selection = root
        return [
            ConfigurableProductOption(
                uid=configurable.option_uid(attribute.pk),
                attribute_code=attribute.code,
                label=attribute.label,
                values=[
                    ConfigurableProductOptionValue(
                        uid=configurable.value_uid(attribute.pk, value.pk),
                        is_available=value.pk in selection.available[attribute.pk],
                        is_use_default=False,
                        label=value.label,
                    )
                    for value in attribute.values.all()
                ],
            )
            for attribute in configurable.attributes_of(product)
        ]

    @staticmethod
    def resolve_media_gallery(root, info):
        """The chosen variant's image, else the product's."""
        product, selection = root
        shown = selection.variant or product
        image = ProductInterface._image(shown, info)
        if not image["url"]:
            return []
        return [ProductImage(url=image["url"], label=image["label"], position=1, disabled=False)]

    @staticmethod
    def resolve_variant(root, info):
        return root[1].variant


class ConfigurableProduct(graphene.ObjectType):
    """A product sold in variants (sizes, colours): each variant a simple product of its own."""

    class Meta:
        interfaces = (ProductInterface, RoutableInterface)

    configurable_options = graphene.List(
        ConfigurableProductOptions, description="An array of options for the configurable product."
    )
    variants = graphene.List(ConfigurableVariant, description="An array of simple product variants.")
    configurable_product_options_selection = graphene.Field(
        ConfigurableProductOptionsSelection,
        configurableOptionValueUids=graphene.List(graphene.NonNull(graphene.ID)),
        description="The options still available after a partial choice, and the variant once "
        "every option is chosen.",
    )

    @classmethod
    def is_type_of(cls, root, info):
        from shop.models import Product

        return isinstance(root, Product) and root.is_configurable

    @staticmethod
    def resolve_configurable_options(product, info):
        _ensure_loaded(product)
        return configurable.attributes_of(product)

    @staticmethod
    def resolve_variants(product, info):
        _ensure_loaded(product)
        variants = configurable.variants_of(product)
        for variant in variants:
            variant.parent = product  # the variant's attribute codes are read from its parent
            for variant_value in variant.variant_values.all():
                variant_value.variant = variant
        return variants

    @staticmethod
    def resolve_configurable_product_options_selection(product, info, configurableOptionValueUids=None):
        _ensure_loaded(product)
        return (product, configurable.options_selection(product, configurableOptionValueUids or []))


def _ensure_loaded(product) -> None:
    """A product not prefetched by ``products`` or the cart (e.g. one read alone) loads here."""
    if "variants" not in getattr(product, "_prefetched_objects_cache", {}):
        configurable.load_configurable_data([product])


SWATCH_TYPES = [ColorSwatchData, TextSwatchData, ImageSwatchData]
