"""Admin for coupons (editable) and carts (read-only: carts change only through cart.services)."""

from django.contrib import admin

from shop.admin_store_filter import StoreListFilter

from .models import Cart, CartAddress, CartItem, Coupon


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "discount_type",
        "value",
        "min_subtotal",
        "active_from",
        "active_to",
        "usage_limit",
        "times_used",
        "is_active",
    ]
    list_filter = ["discount_type", "is_active"]
    search_fields = ["code", "label"]
    # Counted by placed orders; editing it by hand would hide or re-open usage.
    readonly_fields = ["times_used"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CartItemInline(ReadOnlyInline):
    model = CartItem
    fields = ["product", "quantity", "created_at"]
    readonly_fields = fields


class CartAddressInline(ReadOnlyInline):
    model = CartAddress
    fields = [
        "kind",
        "firstname",
        "lastname",
        "company",
        "street",
        "city",
        "region_code",
        "postcode",
        "country_code",
        "telephone",
        "shipping_carrier_code",
        "shipping_method_code",
    ]
    readonly_fields = fields


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["short_masked_id", "email", "is_active", "created_at", "updated_at"]
    list_filter = ["is_active", StoreListFilter]
    search_fields = ["masked_id", "email"]
    list_select_related = False
    inlines = [CartItemInline, CartAddressInline]

    @admin.display(description="Cart", ordering="masked_id")
    def short_masked_id(self, cart):
        return f"{cart.masked_id[:8]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
