"""Klarna in the Django admin: the order page's Klarna panel and columns (attached to
checkout's ``OrderAdmin`` from here), sessions, the API call log, staff operations and the
reconcile ledger. Everything here is read-only: staff act on payments only from the order page's Klarna
panel (``payments_klarna.admin_order_panel``), through Order Management.

Client tokens and authorization tokens are never shown in full anywhere in the admin: the model
fields are left out of every form and only ``truncated`` versions (first 8 characters) appear.
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from checkout.admin import OrderAdmin
from checkout.models import Order
from shop.admin_store_filter import StoreListFilter

from .admin_display import api_call_rows, pretty_json, truncated
from .admin_order_panel import KlarnaOrderPanelMixin
from .expiry import expiring_payments
from .models import KlarnaApiCall, KlarnaOperation, KlarnaReconcileUnit, KlarnaSession
from .order_management import format_minor


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KlarnaSession)
class KlarnaSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "session_id",
        "cart_masked_id",
        "market",
        "amount_sent",
        "status",
        "expires_at",
        "updated_at",
    ]
    list_select_related = ["cart"]
    list_filter = ["status", "country", "currency", "created_at"]
    search_fields = ["session_id", "cart__masked_id", "cart__email"]
    date_hierarchy = "created_at"
    # client_token and authorization_token are deliberately absent: only truncated versions.
    fields = [
        "session_id",
        "cart_masked_id",
        "cart_email",
        "status",
        "market",
        "amount_sent",
        "expires_at",
        "client_token_truncated",
        "authorization_token_truncated",
        "authorized_category",
        "authorized_at",
        "authorization_callback_at",
        "authorization_callback_handled_at",
        "categories",
        "payload_sent",
        "payload_history",
        "api_calls",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="cart", ordering="cart__masked_id")
    def cart_masked_id(self, obj):
        return obj.cart.masked_id

    @admin.display(description="cart email")
    def cart_email(self, obj):
        return obj.cart.email or "—"

    @admin.display(description="market")
    def market(self, obj):
        return f"{obj.country} / {obj.currency} / {obj.locale}"

    @admin.display(description="amount last sent", ordering="amount")
    def amount_sent(self, obj):
        return format_minor(obj.amount, obj.currency)

    @admin.display(description="client token")
    def client_token_truncated(self, obj):
        return truncated(obj.client_token)

    @admin.display(description="authorization token")
    def authorization_token_truncated(self, obj):
        return truncated(obj.authorization_token)

    @admin.display(description="payment method categories")
    def categories(self, obj):
        items = format_html_join(
            "",
            "<li>{} <code>{}</code></li>",
            ((c.get("name") or "", c.get("identifier") or "") for c in obj.payment_method_categories or []),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"

    @admin.display(description="payload Klarna holds (redacted)")
    def payload_sent(self, obj):
        return pretty_json(obj.payload)

    @admin.display(description="payload history (redacted request bodies, newest first)")
    def payload_history(self, obj):
        calls = [c for c in self._calls(obj) if c.request_body]
        if not calls:
            return "—"
        return format_html_join(
            "",
            "<details><summary>{} {} {} → {}</summary>{}</details>",
            (
                (
                    c.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                    c.method,
                    c.path,
                    c.status or c.error_code or "no answer",
                    pretty_json(c.request_body),
                )
                for c in calls
            ),
        )

    @admin.display(description="API calls")
    def api_calls(self, obj):
        return api_call_rows(self._calls(obj))

    def _calls(self, obj):
        cache = getattr(self, "_calls_cache", None)
        if cache is None or cache[0] != obj.pk:
            calls = list(
                KlarnaApiCall.objects.filter(session_id=obj.pk)
                | KlarnaApiCall.objects.filter(klarna_session_id=obj.session_id)
            )
            self._calls_cache = cache = (obj.pk, calls)
        return cache[1]


@admin.register(KlarnaApiCall)
class KlarnaApiCallAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "method",
        "path",
        "status",
        "error_code",
        "attempt",
        "duration_ms",
        "klarna_session_id",
        "klarna_order_id",
        "correlation_id",
    ]
    list_filter = ["status", "error_code", "method", "created_at"]
    search_fields = [
        "correlation_id",
        "klarna_order_id",
        "klarna_session_id",
        "request_id",
        "http_request_id",
    ]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "method",
        "path",
        "status",
        "error_code",
        "attempt",
        "duration_ms",
        "request_id",
        "http_request_id",
        "correlation_id",
        "idempotency_key",
        "klarna_session_id",
        "klarna_order_id",
        "session",
        "request_body_pretty",
        "response_body_pretty",
    ]
    readonly_fields = fields

    @admin.display(description="request body (redacted)")
    def request_body_pretty(self, obj):
        return pretty_json(obj.request_body)

    @admin.display(description="response body (redacted)")
    def response_body_pretty(self, obj):
        return pretty_json(obj.response_body)


@admin.register(KlarnaOperation)
class KlarnaOperationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "order_number",
        "amount_display",
        "status",
        "error_code",
        "staff_user",
        "attempts",
    ]
    list_select_related = ["payment__order", "staff_user"]
    list_filter = ["kind", "status", "error_code"]
    search_fields = ["payment__klarna_order_id", "payment__order__number", "idempotency_key"]
    fields = [
        "order_number",
        "kind",
        "amount_display",
        "status",
        "idempotency_key",
        "operation_id",
        "klarna_capture_id",
        "klarna_refund_id",
        "error_code",
        "error_message",
        "description",
        "lines_pretty",
        "shipping_info_pretty",
        "staff_user",
        "attempts",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="order", ordering="payment__order__number")
    def order_number(self, obj):
        return obj.payment.order.number

    @admin.display(description="amount")
    def amount_display(self, obj):
        return format_minor(obj.amount, obj.payment.currency) if obj.amount is not None else "—"

    @admin.display(description="lines")
    def lines_pretty(self, obj):
        return pretty_json(obj.lines)

    @admin.display(description="shipping info")
    def shipping_info_pretty(self, obj):
        return pretty_json(obj.shipping_info)


@admin.register(KlarnaReconcileUnit)
class KlarnaReconcileUnitAdmin(ReadOnlyAdmin):
    list_display = ["key", "claimed_until", "resolved_at", "note", "updated_at"]
    search_fields = ["key", "note"]
    fields = list_display
    readonly_fields = fields


class KlarnaExpiryFilter(admin.SimpleListFilter):
    """Orders whose Klarna authorization expires soon with money still to capture."""

    title = "Klarna authorization"
    parameter_name = "klarna_expiry"

    def lookups(self, request, model_admin):
        return [("soon", "expires soon (capture or extend)")]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return queryset.filter(klarna_payment__in=expiring_payments())
        return queryset


class KlarnaOrderAdmin(KlarnaOrderPanelMixin, OrderAdmin):
    """Checkout's order admin with the Klarna panel, its actions and Klarna's amounts in the
    list (read from the order's ``KlarnaPayment``, integer minor units shown as money)."""

    list_display = [*OrderAdmin.list_display, "klarna_fraud_status", "klarna_captured", "klarna_refunded"]
    list_select_related = ["klarna_payment"]
    list_filter = [
        "status",
        StoreListFilter,
        "currency",
        "klarna_payment__fraud_status",
        KlarnaExpiryFilter,
        "payment_method_code",
        "created_at",
    ]
    search_fields = [
        *OrderAdmin.search_fields,
        "=klarna_payment__klarna_order_id",
        "=klarna_payment__klarna_reference",
    ]

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


# checkout.admin registered the plain OrderAdmin (installed before this app): replace it.
admin.site.unregister(Order)
admin.site.register(Order, KlarnaOrderAdmin)
