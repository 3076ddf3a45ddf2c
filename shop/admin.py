"""Admin for the catalog and tax configuration."""

from django.contrib import admin

from .models import (
    AttributeValue,
    Category,
    CategoryProduct,
    CmsBlock,
    CmsPage,
    ConfigurableAttribute,
    Product,
    ProductPrice,
    Store,
    TaxRate,
    UrlRewrite,
    VariantValue,
)


class CategoryProductInline(admin.TabularInline):
    """A product's categories and its position in each category's listing."""

    model = CategoryProduct
    extra = 1
    fields = ["category", "position"]
    autocomplete_fields = ["category"]
    verbose_name = "category"
    verbose_name_plural = "categories"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The tree in reading order: each category right under its parent, indented by level."""

    list_display = ["indented_name", "url_path", "position", "is_active", "include_in_menu"]
    list_filter = ["is_active", "include_in_menu", "level"]
    search_fields = ["name", "url_key", "url_path"]
    prepopulated_fields = {"url_key": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["url_path", "path", "level"]
    fieldsets = [
        (None, {"fields": ["parent", "name", "url_key", "position", "is_active", "include_in_menu"]}),
        ("Content", {"fields": ["description", "image_url", "landing_page"]}),
        (
            "Search engines",
            {"fields": ["meta_title", "meta_keywords", "meta_description"], "classes": ["collapse"]},
        ),
        ("Place in the tree", {"fields": ["url_path", "path", "level"]}),
    ]

    # Ordered by the id path ("1/2" < "1/2/5" < "1/20": "/" sorts before any digit), each
    # subtree comes right after its parent.
    ordering = ["path"]

    @admin.display(description="name", ordering="path")
    def indented_name(self, category):
        return f"{'— ' * (category.level - 1)}{category.name}"


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "type", "parent", "price", "tax_class", "stock_qty", "is_active"]
    list_filter = ["type", "tax_class", "is_active"]
    search_fields = ["sku", "name", "url_key"]
    prepopulated_fields = {"url_key": ["name"]}
    # A product's type and parent are set when it is created (shop.configurable, seed_demo):
    # changing them here would leave variants without values or a parent without attributes.
    readonly_fields = ["type", "parent", "created_at", "updated_at"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["sku", "name", "url_key", "is_active"]}),
        ("Price and stock", {"fields": ["price", "tax_class", "stock_qty"]}),
        ("Content", {"fields": ["description", "image_url"]}),
        ("Configurable product", {"fields": ["type", "parent"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [CategoryProductInline]

    def get_inlines(self, request, obj):
        if obj is not None and obj.is_configurable:
            return [CategoryProductInline, ConfigurableAttributeInline]
        if obj is not None and obj.parent_id is not None:
            return [VariantValueInline]  # a variant is listed through its parent, in no category
        return [CategoryProductInline]


class ConfigurableAttributeInline(admin.TabularInline):
    model = ConfigurableAttribute
    fields = ["code", "label", "position"]
    extra = 0
    show_change_link = True  # its values are edited on the attribute's page


class VariantValueInline(admin.TabularInline):
    model = VariantValue
    fields = ["attribute", "value"]
    readonly_fields = ["attribute", "value"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    fields = ["label", "swatch", "position"]
    extra = 0


@admin.register(ConfigurableAttribute)
class ConfigurableAttributeAdmin(admin.ModelAdmin):
    list_display = ["product", "code", "label", "position"]
    search_fields = ["product__sku", "code", "label"]
    raw_id_fields = ["product"]
    inlines = [AttributeValueInline]


@admin.register(ProductPrice)
class ProductPriceAdmin(admin.ModelAdmin):
    """Prices in the other stores' currencies (``Product.price`` is the default store's); a
    product without one is not sold in the stores of that currency."""

    list_display = ["product", "currency", "price"]
    list_filter = ["currency"]
    search_fields = ["product__sku", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    """Markets. Klarna credentials are not here: a store names an account of the environment."""

    list_display = [
        "code",
        "name",
        "countries",
        "currency",
        "locales",
        "prices_include_tax",
        "klarna_account",
    ]
    list_filter = ["currency", "prices_include_tax", "is_active"]
    search_fields = ["code", "name", "countries"]
    fieldsets = [
        (None, {"fields": ["code", "name", "sort_order", "is_active"]}),
        ("Market", {"fields": ["countries", "currency", "locales"]}),
        ("Tax and shipping", {"fields": ["prices_include_tax", "flatrate_price", "free_shipping_threshold"]}),
        ("Klarna", {"fields": ["klarna_account"]}),
    ]


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "region", "tax_class", "rate", "label"]
    list_filter = ["country", "tax_class"]
    search_fields = ["country", "region", "label"]


@admin.register(CmsPage)
class CmsPageAdmin(admin.ModelAdmin):
    """CMS pages (``cmsPage``; the home page is ``home``). Content is HTML, sanitised on save."""

    list_display = ["identifier", "title", "page_layout", "is_active", "updated_at"]
    list_filter = ["is_active", "page_layout"]
    search_fields = ["identifier", "title"]
    fieldsets = [
        (None, {"fields": ["identifier", "title", "is_active", "page_layout"]}),
        ("Content", {"fields": ["content_heading", "content"]}),
        (
            "Search engines",
            {"fields": ["meta_title", "meta_keywords", "meta_description"], "classes": ["collapse"]},
        ),
    ]


@admin.register(CmsBlock)
class CmsBlockAdmin(admin.ModelAdmin):
    """CMS blocks (``cmsBlocks``). Content is HTML, sanitised on save."""

    list_display = ["identifier", "title", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["identifier", "title"]


@admin.register(UrlRewrite)
class UrlRewriteAdmin(admin.ModelAdmin):
    """Old urls answered as 301s; recorded when a url key changes. Delete one to retire it."""

    list_display = ["request_path", "entity_type", "entity_id", "redirect_type", "created_at"]
    list_filter = ["entity_type"]
    search_fields = ["request_path"]
    readonly_fields = ["entity_type", "request_path", "entity_id", "redirect_type", "created_at"]

    def has_add_permission(self, request):
        return False
