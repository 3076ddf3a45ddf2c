"""The order list's CSV export and the admin home's "needs attention" list.

The export writes exactly the orders the list shows (its search and filters applied), money in
the currency's precision. The attention list counts what staff should look at — orders on hold,
placements left unfinished, emails that failed — plus what each payment provider adds
(``PaymentProvider.attention``: Klarna's authorizations about to expire); each with a link to
the filtered list.
"""

import csv
from datetime import timedelta

from django.http import StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone

from cart.payment_methods import AttentionItem, providers
from shop.money import quantize

from .models import EmailOutbox, Order, OrderPlacement

CSV_COLUMNS = [
    ("number", lambda o, a: o.number),
    ("created_at", lambda o, a: timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M:%S")),
    ("status", lambda o, a: o.status),
    ("email", lambda o, a: o.email),
    ("billing_name", lambda o, a: f"{a.firstname} {a.lastname}".strip() if a else ""),
    ("billing_city", lambda o, a: a.city if a else ""),
    ("billing_postcode", lambda o, a: a.postcode if a else ""),
    ("billing_country", lambda o, a: a.country_code if a else ""),
    ("payment_method", lambda o, a: o.payment_method_code),
    ("currency", lambda o, a: o.currency),
    ("subtotal_incl_tax", lambda o, a: quantize(o.subtotal_incl_tax, o.currency)),
    ("discount", lambda o, a: quantize(o.discount_total, o.currency)),
    ("shipping_incl_tax", lambda o, a: quantize(o.shipping_incl_tax, o.currency)),
    ("tax", lambda o, a: quantize(o.tax_total, o.currency)),
    ("grand_total", lambda o, a: quantize(o.grand_total, o.currency)),
]
# A placement older than this in 'paying', 'authorized' or 'uncertain' is one recovery has
# not finished (klarna_reconcile runs every minute).
STUCK_AFTER = timedelta(minutes=15)


class _Echo:
    def write(self, value):
        return value


def _rows(queryset):
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _ in CSV_COLUMNS])
    for order in queryset.prefetch_related("addresses").iterator(chunk_size=500):
        billing = next((a for a in order.addresses.all() if a.kind == "billing"), None)
        yield writer.writerow([value(order, billing) for _, value in CSV_COLUMNS])


class OrderExportMixin:
    """``export.csv`` on the order list: the list's own search and filters, streamed."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        queryset = self.get_changelist_instance(request).get_queryset(request).order_by("-created_at", "-id")
        response = StreamingHttpResponse(_rows(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="orders-{timezone.localdate():%Y-%m-%d}.csv"'
        return response


def attention_items() -> list[AttentionItem]:
    """What needs a staff member now, with links to the filtered lists."""
    now = timezone.now()
    orders = reverse("admin:checkout_order_changelist")
    items = [
        AttentionItem(
            "Orders on hold (payment review)",
            Order.objects.filter(status=Order.Status.PAYMENT_REVIEW).count(),
            f"{orders}?status__exact={Order.Status.PAYMENT_REVIEW}",
        ),
        AttentionItem(
            "Placements unfinished for more than 15 minutes",
            OrderPlacement.objects.filter(
                state__in=[
                    OrderPlacement.State.PAYING,
                    OrderPlacement.State.AUTHORIZED,
                    OrderPlacement.State.UNCERTAIN,
                ],
                updated_at__lt=now - STUCK_AFTER,
            ).count(),
            reverse("admin:checkout_orderplacement_changelist"),
        ),
        AttentionItem(
            "Emails that failed",
            EmailOutbox.objects.filter(state=EmailOutbox.State.FAILED).count(),
            f"{reverse('admin:checkout_emailoutbox_changelist')}?state__exact={EmailOutbox.State.FAILED}",
        ),
    ]
    for provider in providers():
        items += provider.attention()
    return items
