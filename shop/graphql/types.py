"""Catalog GraphQL types in Magento's shape (``ProductInterface`` and friends)."""

from types import SimpleNamespace

import graphene

from shop import configurable, store
from shop.store import current_store

from .custom_attributes import CustomAttribute
from .ids import encode_uid
from .layered_navigation import Aggregation, AggregationsFilterInput
from .money import Money, money
from .routable import RoutableInterface


class ProductStockStatus(graphene.Enum):
    IN_STOCK = "IN_STOCK"
    OUT_OF_STOCK = "OUT_OF_STOCK"


class ProductDiscount(graphene.ObjectType):
    amount_off = graphene.Float()
    percent_off = graphene.Float()


class ProductPrice(graphene.ObjectType):
    regular_price = graphene.Field(Money, required=True)
    final_price = graphene.Field(Money, required=True)
    discount = graphene.Field(ProductDiscount)

    @staticmethod
    def resolve_regular_price(product, info):
        return money(product.price, current_store().currency)

    @staticmethod
    def resolve_final_price(product, info):
        return money(product.price, current_store().currency)

    @staticmethod
    def resolve_discount(product, info):
        return {"amount_off": 0.0, "percent_off": 0.0}


def _priced(amount):
    """What ``ProductPrice`` and ``Price`` read: a price (a product, or one end of a range)."""
    return SimpleNamespace(price=amount)


class PriceRange(graphene.ObjectType):
    """A simple product's one price, or the lowest and highest of a configurable's variants."""

    minimum_price = graphene.Field(ProductPrice, required=True)
    maximum_price = graphene.Field(ProductPrice)

    @staticmethod
    def resolve_minimum_price(product, info):
        return _priced(configurable.price_range(product).minimum)

    @staticmethod
    def resolve_maximum_price(product, info):
        return _priced(configurable.price_range(product).maximum)


class Price(graphene.ObjectType):
    """Magento's deprecated product price (``ProductInterface.price``), still read by Venia."""

    amount = graphene.Field(Money)

    @staticmethod
    def resolve_amount(product, info):
        return money(product.price, current_store().currency)


class ProductPrices(graphene.ObjectType):
    """A simple product has one price: regular, minimal and maximal are all the catalog price."""

    regularPrice = graphene.Field(Price, deprecation_reason="Use `price_range.minimum_price.regular_price`.")
    minimalPrice = graphene.Field(Price, deprecation_reason="Use `price_range.minimum_price`.")
    maximalPrice = graphene.Field(Price, deprecation_reason="Use `price_range.maximum_price`.")

    @staticmethod
    def resolve_regularPrice(product, info):
        return _priced(configurable.price_range(product).minimum)

    @staticmethod
    def resolve_minimalPrice(product, info):
        return _priced(configurable.price_range(product).minimum)

    @staticmethod
    def resolve_maximalPrice(product, info):
        return _priced(configurable.price_range(product).maximum)


class ComplexTextValue(graphene.ObjectType):
    html = graphene.String(required=True)


class MediaGalleryInterface(graphene.Interface):
    url = graphene.String()
    label = graphene.String()
    position = graphene.Int()
    disabled = graphene.Boolean()


class ProductImage(graphene.ObjectType):
    class Meta:
        interfaces = (MediaGalleryInterface,)


class MediaGalleryEntry(graphene.ObjectType):
    """Magento's deprecated gallery entry: the product's one image (``position`` 1, ``types``
    the three roles it plays). ``file`` is the image's absolute URL."""

    id = graphene.Int(deprecation_reason="Use `uid` instead.")
    uid = graphene.ID(required=True)
    media_type = graphene.String()
    label = graphene.String()
    position = graphene.Int()
    disabled = graphene.Boolean()
    types = graphene.List(graphene.String)
    file = graphene.String()


class ProductInterface(graphene.Interface):
    uid = graphene.ID(required=True)
    id = graphene.Int(deprecation_reason="Use the `uid` field instead.")
    sku = graphene.String()
    name = graphene.String()
    url_key = graphene.String()
    url_suffix = graphene.String(
        description="The store's product url suffix: a product's url is url_key + url_suffix."
    )
    stock_status = graphene.Field(ProductStockStatus)
    only_x_left_in_stock = graphene.Float()
    price_range = graphene.Field(PriceRange, required=True)
    description = graphene.Field(ComplexTextValue)
    image = graphene.Field(ProductImage)
    small_image = graphene.Field(ProductImage)
    thumbnail = graphene.Field(ProductImage)
    media_gallery_entries = graphene.List(
        MediaGalleryEntry, deprecation_reason="Use `media_gallery` instead."
    )
    price = graphene.Field(
        ProductPrices, deprecation_reason="Use `price_range` for product price information."
    )
    categories = graphene.List(lambda: _category_interface(), description="The categories the product is in.")
    # The shop takes no product reviews: Magento's values for a product nobody has rated
    # (Venia's category and search listings select rating_summary).
    rating_summary = graphene.Float(
        required=True, description="The average of all the ratings given to the product."
    )
    review_count = graphene.Int(
        required=True, description="The total count of all the reviews given to the product."
    )
    # Venia's product page reads these; the shop stores no short description or meta data of a
    # product, so Magento's answers for a product without them (an empty short description,
    # null meta fields: Venia falls back to the name) and no custom storefront attributes.
    short_description = graphene.Field(ComplexTextValue)
    meta_title = graphene.String()
    meta_keyword = graphene.String()
    meta_description = graphene.String()
    custom_attributes = graphene.List(
        CustomAttribute, required=True, description="Product custom attributes (Magento PWA)."
    )

    @staticmethod
    def resolve_short_description(product, info):
        return {"html": ""}

    @staticmethod
    def resolve_custom_attributes(product, info):
        return []

    @staticmethod
    def resolve_rating_summary(product, info):
        return 0.0

    @staticmethod
    def resolve_review_count(product, info):
        return 0

    @staticmethod
    def resolve_uid(product, info):
        return encode_uid(product.pk)

    @staticmethod
    def resolve_id(product, info):
        return product.pk

    @staticmethod
    def resolve_stock_status(product, info):
        in_stock = configurable.is_in_stock(product)
        return ProductStockStatus.IN_STOCK if in_stock else ProductStockStatus.OUT_OF_STOCK

    @staticmethod
    def resolve_only_x_left_in_stock(product, info):
        # Magento shows the remainder only under its "only X left" threshold (default off).
        return None

    @staticmethod
    def resolve_price_range(product, info):
        return product

    @staticmethod
    def resolve_description(product, info):
        return {"html": product.description}

    @staticmethod
    def _image(product, info):
        url = product.image_url
        if url.startswith("/"):
            # Magento answers absolute URLs; local images are stored as paths on this site.
            url = info.context.build_absolute_uri(url)
        return {"url": url or None, "label": product.name}

    @staticmethod
    def resolve_image(product, info):
        return ProductInterface._image(product, info)

    @staticmethod
    def resolve_small_image(product, info):
        return ProductInterface._image(product, info)

    @staticmethod
    def resolve_thumbnail(product, info):
        return ProductInterface._image(product, info)

    @staticmethod
    def resolve_media_gallery_entries(product, info):
        if not product.image_url:
            return []
        return [
            MediaGalleryEntry(
                id=product.pk,
                uid=encode_uid(product.pk),
                media_type="image",
                label=product.name,
                position=1,
                disabled=False,
                types=["image", "small_image", "thumbnail"],
                # Magento's ``file`` is relative to its media folder's catalog/product/; this
                # shop has no media folder (images are static files or URLs of their own), so
                # the image's absolute URL, which PWA Studio's makeUrl takes as it is (a site
                # path would be joined to the media URL and miss).
                file=ProductInterface._image(product, info)["url"],
            )
        ]

    @staticmethod
    def resolve_price(product, info):
        return product

    @staticmethod
    def resolve_categories(product, info):
        from .categories import resolve_product_categories

        return resolve_product_categories(product, info)

    @staticmethod
    def resolve_url_suffix(product, info):
        return store.PRODUCT_URL_SUFFIX


def _category_interface():
    from .categories import CategoryInterface  # categories.py builds on this module's types

    return CategoryInterface


class SimpleProduct(graphene.ObjectType):
    """A simple product: sold as it is, or a configurable product's variant."""

    class Meta:
        interfaces = (ProductInterface, RoutableInterface)

    @classmethod
    def is_type_of(cls, root, info):
        from shop.models import Product

        return isinstance(root, Product) and not root.is_configurable


class SearchResultPageInfo(graphene.ObjectType):
    current_page = graphene.Int()
    page_size = graphene.Int()
    total_pages = graphene.Int()


def page_info(page) -> dict:
    """``SearchResultPageInfo`` of a page of results (anything with current_page, page_size,
    total_pages)."""
    return {"current_page": page.current_page, "page_size": page.page_size, "total_pages": page.total_pages}


class SortField(graphene.ObjectType):
    value = graphene.String(description="The attribute code of the sort field.")
    label = graphene.String(description="The label of the sort field.")


class SortFields(graphene.ObjectType):
    default = graphene.String(description="The default sort field value.")
    options = graphene.List(SortField, description="An array of possible sort fields.")


class Products(graphene.ObjectType):
    """One page of products (``shop.catalog.ProductPage``) plus the query's sort options."""

    items = graphene.List(ProductInterface)
    total_count = graphene.Int()
    page_info = graphene.Field(SearchResultPageInfo)
    sort_fields = graphene.Field(SortFields)
    aggregations = graphene.List(
        Aggregation,
        filter=graphene.Argument(AggregationsFilterInput),
        description="Layered navigation: price ranges, categories and filterable attributes of the matches.",
    )

    @staticmethod
    def resolve_items(result, info):
        return result.page.items

    @staticmethod
    def resolve_total_count(result, info):
        return result.page.total_count

    @staticmethod
    def resolve_page_info(result, info):
        return page_info(result.page)

    @staticmethod
    def resolve_sort_fields(result, info):
        return result.sort_fields

    @staticmethod
    def resolve_aggregations(result, info, filter=None):
        direct = bool(((filter or {}).get("category") or {}).get("includeDirectChildrenOnly"))
        return result.aggregations(info, direct_children_only=direct)


class SortEnum(graphene.Enum):
    """Magento's one shared sort direction (products and cart items use it)."""

    ASC = "ASC"
    DESC = "DESC"
