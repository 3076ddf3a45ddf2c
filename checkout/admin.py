"""Orders in the Django admin: read-only records of what was sold (staff act on payments
through the Klarna panel's actions, never by editing amounts)."""

from django.contrib import admin

from .models import Order, OrderAddress, OrderItem, OrderPlacement


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = [
        "sku",
        "name",
        "quantity",
        "price_incl_tax",
        "discount",
        "tax_rate",
        "tax_amount",
        "total_incl_tax",
    ]
    readonly_fields = fields


class OrderAddressInline(ReadOnlyInline):
    model = OrderAddress
    fields = [
        "kind",
        "firstname",
        "lastname",
        "company",
        "street",
        "postcode",
        "city",
        "region_label",
        "country_code",
        "telephone",
    ]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "created_at",
        "email",
        "grand_total",
        "currency",
        "status",
        "payment_method_code",
    ]
    list_filter = ["status", "payment_method_code", "created_at"]
    search_fields = ["number", "email"]
    date_hierarchy = "created_at"
    inlines = [OrderItemInline, OrderAddressInline]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderPlacement)
class OrderPlacementAdmin(admin.ModelAdmin):
    list_display = [
        "order_number",
        "state",
        "payment_method_code",
        "payment_reference",
        "attempts",
        "updated_at",
    ]
    list_filter = ["state", "payment_method_code"]
    search_fields = ["order_number", "payment_reference", "cart__masked_id"]
    readonly_fields = [f.name for f in OrderPlacement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
