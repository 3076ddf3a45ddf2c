"""Klarna in the Django admin: sessions, the API call log, staff operations and the reconcile
ledger. Everything here is read-only: staff act on payments only from the order page's Klarna
panel (``payments_klarna.admin_order_panel``), through Order Management.

Client tokens and authorization tokens are never shown in full anywhere in the admin: the model
fields are left out of every form and only ``truncated`` versions (first 8 characters) appear.
"""

import json

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import KlarnaApiCall, KlarnaOperation, KlarnaReconcileUnit, KlarnaSession
from .order_management import format_minor

TRUNCATED_LENGTH = 8


def truncated(token: str | None) -> str:
    """First 8 characters and an ellipsis: enough to tell tokens apart, useless to an attacker."""
    if not token:
        return "—"
    return token[:TRUNCATED_LENGTH] + "…"


def pretty_json(value) -> str:
    if value in (None, "", {}, []):
        return "—"
    return format_html(
        '<pre style="white-space: pre-wrap; max-height: 24em; overflow: auto; margin: 0">{}</pre>',
        json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True),
    )


def api_call_rows(calls) -> str:
    """A small table of API calls, each linking to its detail page."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td><a href='{}'>{} {}</a></td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{} ms</td><td>{}</td></tr>",
        (
            (
                call.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                reverse("admin:payments_klarna_klarnaapicall_change", args=[call.pk]),
                call.method,
                call.path,
                call.status or "no answer",
                call.error_code or "",
                call.attempt,
                call.duration_ms,
                call.correlation_id or "",
            )
            for call in calls
        ),
    )
    if not rows:
        return "No API calls recorded."
    return format_html(
        "<table class='klarna-api-calls'><thead><tr><th>time</th><th>call</th><th>status</th>"
        "<th>error</th><th>attempt</th><th>duration</th><th>correlation id</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        rows,
    )


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
