"""Orders in the Django admin: read-only records of what was sold (staff act on payments
through their provider's panel, never by editing amounts).

A payment app extends ``OrderAdmin`` from its own admin module (``payments_klarna.admin``
registers it again with the Klarna panel, its actions and Klarna's columns); checkout knows
nothing of it.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from shop.admin_store_filter import StoreListFilter
from shop.money import format_money

from . import email_outbox, history
from .admin_credit_memos import CreditMemoAdminMixin
from .admin_order_page import order_page
from .admin_reports import OrderExportMixin
from .admin_shipments import ShipmentAdminMixin
from .credit_memos import money
from .models import EmailOutbox, Order, OrderPlacement

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
        return format_money(getattr(obj, name), obj.currency)

    return show


@admin.register(Order)
class OrderAdmin(OrderExportMixin, ShipmentAdminMixin, CreditMemoAdminMixin, admin.ModelAdmin):
    list_display = ["number", "created_at", "email", "grand_total_display", "status"]
    list_filter = ["status", StoreListFilter, "currency", "payment_method_code", "created_at"]
    # Order number, email, the customer's name, city or postcode (billing or shipping).
    search_fields = [
        "number",
        "email",
        "addresses__firstname",
        "addresses__lastname",
        "addresses__city",
        "=addresses__postcode",
    ]
    date_hierarchy = "created_at"
    change_list_template = "admin/checkout/order_change_list.html"
    change_form_template = "admin/checkout/order_change_form.html"
    # The order's own access token (guest order page) is left out, like Klarna's tokens; money
    # is shown in the currency's precision rather than the column's four decimals.
    readonly_fields = [
        f"{f.name}_display" if f.name in MONEY_FIELDS else f.name
        for f in Order._meta.fields
        if f.name != "token"
    ] + ["credit_memos_display", "history_display"]
    exclude = ["token", *MONEY_FIELDS]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page is ``admin/checkout/order_page.html`` (summary, addresses, items), the payment
        # panel, the timeline and the actions, not the field dump of the model's columns.
        extra_context = dict(extra_context or {})
        order = self.get_object(request, unquote(object_id))
        if order is not None:
            extra_context["order_page"] = order_page(order)
            extra_context["order_timeline"] = self.history_display(order)
            extra_context["order_credit_memos"] = self.credit_memos_display(order)
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def get_fieldsets(self, request, obj=None):
        # The order page renders its own summary (``order_page``): the form reads nothing else.
        return [(None, {"fields": ["number"]})] if obj is not None else super().get_fieldsets(request, obj)

    @admin.display(description="History")
    def history_display(self, obj):
        """What happened to the order, newest first (``checkout.history.timeline``)."""
        rows = format_html_join(
            "",
            '<tr class="history-row{}"><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>',
            (
                (
                    " history-row--problem" if entry.problem else "",
                    timezone.localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.who,
                    "⚠ " if entry.problem else "",
                    entry.what,
                    entry.reference,
                )
                for entry in history.timeline(obj)
            ),
        )
        return format_html(
            '<table id="order-history"><thead><tr><th>when</th><th>who</th><th>what</th><th>reference</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Credit memos (refunds)")
    def credit_memos_display(self, obj):
        rows = format_html_join(
            "",
            '<tr class="credit-memo-row"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    memo.number,
                    memo.created_at.strftime("%Y-%m-%d %H:%M"),
                    money(memo.grand_total, memo.currency),
                    memo.get_state_display() + (" · offline" if memo.offline else ""),
                    ", ".join(f"{item.quantity} × {item.name}" for item in memo.items.all()) or "amount",
                    memo.reason,
                )
                for memo in obj.credit_memos.prefetch_related("items")
            ),
        )
        table = (
            format_html(
                '<table id="credit-memos"><thead><tr><th>number</th><th>date</th><th>refunded</th>'
                "<th>state</th><th>lines</th><th>reason</th></tr></thead><tbody>{}</tbody></table>",
                rows,
            )
            if rows
            else format_html("<p>{}</p>", "None yet.")
        )
        if obj.status != obj.Status.CANCELED:  # the page itself needs the refund permission
            link = format_html(
                '<p><a class="button" id="credit-memo-new" href="{}">Refund (credit memo)</a></p>',
                self.credit_memo_url(obj),
            )
            return format_html("{}{}", table, link)
        return table

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Orders are records: staff act on them through the payment panel's actions only.
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


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin):
    """The outbox, read-only: staff see what was sent, what waits and what failed (with the
    mail server's last answer), and may put rows back in the queue."""

    list_display = ["id", "kind", "order", "recipient", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "order__number", "subject"]
    readonly_fields = [f.name for f in EmailOutbox._meta.fields]
    actions = ["retry"]

    @admin.action(description="Retry: send the selected failed emails again")
    def retry(self, request, queryset):
        count = email_outbox.retry(queryset)
        self.message_user(request, f"{count} email(s) queued again; send_outbox sends them within a minute.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _name in MONEY_FIELDS:
    setattr(OrderAdmin, f"{_name}_display", _money_display(_name))
