"""Admin for the catalog and tax configuration."""

from django.contrib import admin

from .models import Category, CategoryProduct, Product, TaxRate


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
        ("Content", {"fields": ["description", "image_url"]}),
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
    list_display = ["sku", "name", "price", "tax_class", "stock_qty", "is_active"]
    list_filter = ["tax_class", "is_active"]
    search_fields = ["sku", "name", "url_key"]
    prepopulated_fields = {"url_key": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["sku", "name", "url_key", "is_active"]}),
        ("Price and stock", {"fields": ["price", "tax_class", "stock_qty"]}),
        ("Content", {"fields": ["description", "image_url"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [CategoryProductInline]


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "region", "tax_class", "rate", "label"]
    list_filter = ["country", "tax_class"]
    search_fields = ["country", "region", "label"]
