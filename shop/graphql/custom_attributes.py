"""Magento PWA's ``custom_attributes`` of a product (the magento/pwa metapackage's
CatalogGraphQlAux/EavGraphQlAux schema, which Venia's product page selects): the storefront
attributes a merchant marked for the product page, listings or comparison, with their metadata.

This shop has no such attributes: a product's only attributes are a configurable product's
options, which ``configurable_options`` already answers. So ``custom_attributes`` is Magento's
answer for a product without any — an empty list — and the types exist for Venia's fragments
(``... on ProductAttributeMetadata``) to validate."""

import graphene


class ObjectDataTypeEnum(graphene.Enum):
    STRING = "STRING"
    FLOAT = "FLOAT"
    INT = "INT"
    BOOLEAN = "BOOLEAN"
    COMPLEX = "COMPLEX"


class AttributeEntityTypeEnum(graphene.Enum):
    PRODUCT = "PRODUCT"


class UiInputTypeEnum(graphene.Enum):
    BOOLEAN = "BOOLEAN"
    DATE = "DATE"
    DATETIME = "DATETIME"
    GALLERY = "GALLERY"
    IMAGE = "IMAGE"
    MEDIA_IMAGE = "MEDIA_IMAGE"
    MULTISELECT = "MULTISELECT"
    PRICE = "PRICE"
    SELECT = "SELECT"
    TEXT = "TEXT"
    TEXTAREA = "TEXTAREA"
    TEXTEDITOR = "TEXTEDITOR"
    WEIGHT = "WEIGHT"
    FIXED_PRODUCT_TAX = "FIXED_PRODUCT_TAX"
    PAGEBUILDER = "PAGEBUILDER"


class CustomAttributesListsEnum(graphene.Enum):
    PRODUCT_DETAILS_PAGE = "PRODUCT_DETAILS_PAGE"
    PRODUCTS_LISTING = "PRODUCTS_LISTING"
    PRODUCTS_COMPARE = "PRODUCTS_COMPARE"
    PRODUCT_SORT = "PRODUCT_SORT"
    PRODUCT_FILTER = "PRODUCT_FILTER"
    PRODUCT_SEARCH_RESULTS_FILTER = "PRODUCT_SEARCH_RESULTS_FILTER"
    ADVANCED_CATALOG_SEARCH = "ADVANCED_CATALOG_SEARCH"


class StoreLabels(graphene.ObjectType):
    store_code = graphene.String(description="The assigned store code.")
    label = graphene.String(description="The label assigned to the attribute.")


class UiInputTypeInterface(graphene.Interface):
    ui_input_type = graphene.Field(UiInputTypeEnum, description="The frontend input type of the attribute.")
    is_html_allowed = graphene.Boolean(
        description="Indicates whether the attribute value is allowed to have html content."
    )


class UiAttributeTypeAny(graphene.ObjectType):
    class Meta:
        interfaces = (UiInputTypeInterface,)


class AttributeOptionInterface(graphene.Interface):
    uid = graphene.ID(required=True, description="The unique ID of an attribute option.")
    label = graphene.String(description="The label assigned to the attribute option.")
    is_default = graphene.Boolean(description="Indicates whether the option is the default.")


class AttributeOption(graphene.ObjectType):
    class Meta:
        interfaces = (AttributeOptionInterface,)


class AttributeMetadataInterface(graphene.Interface):
    uid = graphene.ID(required=True, description="The unique ID of an attribute.")
    code = graphene.String(required=True, description="The unique identifier for an attribute code.")
    label = graphene.String(description="The label assigned to the attribute.")
    attribute_labels = graphene.List(
        StoreLabels, description="Attribute labels defined for the current store."
    )
    data_type = graphene.Field(ObjectDataTypeEnum, description="The data type of the attribute.")
    sort_order = graphene.Int(description="The relative position of the attribute.")
    entity_type = graphene.Field(
        AttributeEntityTypeEnum, required=True, description="The type of entity that defines the attribute."
    )
    is_system = graphene.Boolean(
        required=True, description="Indicates whether the attribute is a system attribute."
    )
    ui_input = graphene.Field(UiInputTypeInterface, required=True, description="Frontend UI properties.")


class ProductAttributeMetadata(graphene.ObjectType):
    class Meta:
        interfaces = (AttributeMetadataInterface,)

    used_in_components = graphene.List(
        graphene.NonNull(CustomAttributesListsEnum),
        description="Places in the store front where the attribute is used.",
    )


class SelectedAttributeOption(graphene.ObjectType):
    attribute_option = graphene.List(graphene.NonNull(AttributeOptionInterface))


class EnteredAttributeValue(graphene.ObjectType):
    value = graphene.String()


class CustomAttribute(graphene.ObjectType):
    attribute_metadata = graphene.Field(AttributeMetadataInterface)
    entered_attribute_value = graphene.Field(EnteredAttributeValue)
    selected_attribute_options = graphene.Field(SelectedAttributeOption)


# Reachable only through interfaces and fragments: the schema lists them.
CUSTOM_ATTRIBUTE_TYPES = [UiAttributeTypeAny, AttributeOption, ProductAttributeMetadata]
