"""Admin for the catalog and tax configuration."""

from django.contrib import admin

from .models import Product, TaxRate


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


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "region", "tax_class", "rate", "label"]
    list_filter = ["country", "tax_class"]
    search_fields = ["country", "region", "label"]
