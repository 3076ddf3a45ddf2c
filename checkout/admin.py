"""Orders in the Django admin: read-only records of what was sold (staff act on payments
through the Klarna panel's actions, never by editing amounts).

The Klarna panel and its actions (capture, refund, cancel, release, extend, refresh) come from
``payments_klarna.admin_order_panel``; Klarna's amounts in the list are read from the order's
``KlarnaPayment`` (integer minor units, shown as money).
"""

from django.contrib import admin

from payments_klarna.admin_order_panel import KlarnaOrderPanelMixin
from payments_klarna.order_management import format_minor
from shop.money import quantize

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


MONEY_FIELDS = [
    "subtotal_excl_tax",
    "subtotal_incl_tax",
    "discount_total",
    "shipping_excl_tax",
    "shipping_incl_tax",
    "tax_total",
    "grand_total",
]


def _money_display(name: str):
    @admin.display(description=Order._meta.get_field(name).verbose_name, ordering=name)
    def show(self, obj):
        return f"{quantize(getattr(obj, name), obj.currency)} {obj.currency}"

    return show


@admin.register(Order)
class OrderAdmin(KlarnaOrderPanelMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "created_at",
        "email",
        "grand_total_display",
        "status",
        "klarna_fraud_status",
        "klarna_captured",
        "klarna_refunded",
    ]
    list_select_related = ["klarna_payment"]
    list_filter = ["status", "klarna_payment__fraud_status", "payment_method_code", "created_at"]
    search_fields = [
        "number",
        "email",
        "=klarna_payment__klarna_order_id",
        "=klarna_payment__klarna_reference",
    ]
    date_hierarchy = "created_at"
    inlines = [OrderItemInline, OrderAddressInline]
    # The order's own access token (guest order page) is left out, like Klarna's tokens; money
    # is shown in the currency's precision rather than the column's four decimals.
    readonly_fields = [
        f"{f.name}_display" if f.name in MONEY_FIELDS else f.name
        for f in Order._meta.fields
        if f.name != "token"
    ]
    exclude = ["token", *MONEY_FIELDS]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Orders are records: staff act on them through the Klarna panel's actions only.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def _payment(obj):
        return getattr(obj, "klarna_payment", None)

    @admin.display(description="Klarna fraud status", ordering="klarna_payment__fraud_status")
    def klarna_fraud_status(self, obj):
        payment = self._payment(obj)
        return payment.fraud_status if payment else "—"

    @admin.display(description="captured", ordering="klarna_payment__captured_amount")
    def klarna_captured(self, obj):
        payment = self._payment(obj)
        return format_minor(payment.captured_amount, payment.currency) if payment else "—"

    @admin.display(description="refunded", ordering="klarna_payment__refunded_amount")
    def klarna_refunded(self, obj):
        payment = self._payment(obj)
        return format_minor(payment.refunded_amount, payment.currency) if payment else "—"


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


for _name in MONEY_FIELDS:
    setattr(OrderAdmin, f"{_name}_display", _money_display(_name))
