"""The order page's shipments and its "Ship" action (``checkout.shipments`` does the work).

Two steps, both CSRF-protected POSTs to ``<order>/ship/``: the form (lines and quantities
prefilled with what is left to ship, carrier, tracking number, optional tracking URL) is planned
into a confirmation page showing exactly what ships and what the payment provider captures
(amount, currency, lines); only its Confirm, carrying the request signed
(``django.core.signing``) with a fresh operation id and the amount shown, ships and captures.
A Confirm posted twice finds its shipment and moves money once; one whose order changed since
(another shipment, a refresh from Klarna) is refused and sent back to the form.

Shipping captures the payment, so it needs the ``checkout.capture_payment`` permission.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from shop.money import format_money, from_minor_units

from . import shipments
from .models import Shipment

PERMISSION = "checkout.capture_payment"
SALT = "checkout.admin_shipments"
MAX_AGE_SECONDS = 12 * 3600
INVALID = (
    "This confirmation is not valid (altered, expired, or made for another order or staff "
    "member); nothing was shipped. Review the shipment again."
)


def money(amount_minor: int, currency: str) -> str:
    """Minor units as the shop writes money everywhere (``shop.money.format_money``)."""
    return format_money(from_minor_units(amount_minor, currency), currency)


class ShipForm(forms.Form):
    carrier = forms.CharField(max_length=100, label="Carrier (shipping company)")
    tracking_number = forms.CharField(max_length=100)
    tracking_url = forms.CharField(
        required=False, max_length=1024, label="Tracking URL", help_text="optional; http:// or https://"
    )

    def __init__(self, *args, order, remaining: dict[int, int], shipped: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [item for item in order.items.all() if remaining.get(item.pk, 0) > 0]
        for item in self.items:
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                min_value=0,
                required=False,
                initial=remaining[item.pk],
                label=f"{item.name} ({item.sku})",
                help_text=f"ordered {item.quantity}, shipped {shipped.get(item.pk, 0)}, left {remaining[item.pk]}",
            )
        self.order_fields([*(f"qty_{item.pk}" for item in self.items), "carrier", "tracking_number"])

    def shipment_request(self) -> shipments.ShipmentRequest:
        data = self.cleaned_data
        return shipments.ShipmentRequest(
            quantities={item.pk: data.get(f"qty_{item.pk}") or 0 for item in self.items},
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            tracking_url=data.get("tracking_url") or "",
        )


def _sign(order, user, plan: shipments.ShipmentPlan) -> str:
    request = plan.request
    return signing.dumps(
        {
            "order_id": order.pk,
            "user_id": user.pk,
            "operation_id": plan.operation_id,
            "quantities": {str(pk): quantity for pk, quantity in request.quantities.items()},
            "carrier": request.carrier,
            "tracking_number": request.tracking_number,
            "tracking_url": request.tracking_url,
            "amount": plan.capture.amount if plan.capture else None,
        },
        salt=SALT,
        compress=True,
    )


def _unsign(token: str, order, user) -> dict:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise shipments.ShipmentError(INVALID) from error
    if (data.get("order_id"), data.get("user_id")) != (order.pk, user.pk):
        raise shipments.ShipmentError(INVALID)
    return data


class ShipmentAdminMixin:
    """Mix into the Order ``ModelAdmin``: the shipments on the change page, and the Ship action."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/ship/",
                self.admin_site.admin_view(self.ship_view),
                name=f"{opts.app_label}_{opts.model_name}_ship",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        order = self.get_object(request, unquote(object_id))
        if order is not None:
            extra_context["shipping"] = self.shipping_panel(request, order)
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def shipping_panel(self, request, order) -> dict:
        refusal = shipments.refusal(order)
        rows = (
            Shipment.objects.filter(order=order)
            .select_related("staff_user")
            .prefetch_related("items__order_item")
        )
        return {
            "shipments": [
                {
                    "shipment": shipment,
                    "items": [
                        (row.order_item.name, row.order_item.sku, row.quantity)
                        for row in shipment.items.all()
                    ],
                    "captured": (
                        format_money(shipment.capture_amount, order.currency)
                        if shipment.capture_amount
                        else "—"
                    ),
                }
                for shipment in rows
            ],
            "ship_url": self._ship_url(order)
            if refusal is None and request.user.has_perm(PERMISSION)
            else "",
            "refusal": refusal,
        }

    def _ship_url(self, order) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_ship", args=[order.pk])

    def _ship_order_url(self, order) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[order.pk])

    def ship_view(self, request, object_id):
        order = self.get_object(request, unquote(object_id))
        if order is None or not self.has_view_permission(request, order):
            raise Http404("no such order")
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._ship_confirm(request, order)
        reason = shipments.refusal(order)
        if reason is not None:
            messages.error(request, reason)
            return HttpResponseRedirect(self._ship_order_url(order))
        shipped = shipments.shipped_quantities(order)
        remaining = shipments.remaining_quantities(order)
        form = ShipForm(
            request.POST if request.method == "POST" else None,
            order=order,
            remaining=remaining,
            shipped=shipped,
        )
        if form.is_valid():
            try:
                plan = shipments.plan_shipment(order, form.shipment_request())
            except shipments.ShipmentError as error:
                form.add_error(None, str(error))
            else:
                return self._ship_review_page(request, order, plan, _sign(order, request.user, plan))
        context = {**self._ship_context(request, order, "Ship"), "form": form}
        return TemplateResponse(request, "admin/checkout/order_ship.html", context)

    def _ship_confirm(self, request, order):
        try:
            data = _unsign(request.POST.get("token"), order, request.user)
            # Confirmed before (double submit, retry after an unknown answer): the shipment
            # decides, with its stored capture and idempotency key.
            result = shipments.continue_shipment(order, data["operation_id"], user=request.user)
            if result is None:
                ship_request = shipments.ShipmentRequest(
                    quantities={int(pk): q for pk, q in data["quantities"].items()},
                    carrier=data["carrier"],
                    tracking_number=data["tracking_number"],
                    tracking_url=data["tracking_url"],
                )
                plan = shipments.plan_shipment(order, ship_request, operation_id=data["operation_id"])
                if (plan.capture.amount if plan.capture else None) != data["amount"]:
                    raise shipments.ShipmentError(shipments.STALE)
                result = shipments.ship(order, plan, user=request.user)
        except shipments.ShipmentError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self._ship_order_url(order))
        if result.ok:
            messages.success(request, result.message)
        elif result.pending:
            messages.warning(request, result.message)
        else:
            messages.error(request, result.message)
        return HttpResponseRedirect(self._ship_order_url(order))

    def _ship_context(self, request, order, title) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": order,
            "title": f"{title} — order {order.number}",
            "change_url": self._ship_order_url(order),
            "ship_url": self._ship_url(order),
        }

    def _ship_review_page(self, request, order, plan: shipments.ShipmentPlan, token: str):
        capture = plan.capture
        if capture is not None:
            headline = (
                f"The customer will be charged {money(capture.amount, capture.currency)} for this shipment."
            )
            confirm_label = f"Confirm: ship and capture {money(capture.amount, capture.currency)}"
            capture_rows = [
                (name, quantity, money(total, capture.currency)) for name, quantity, total in capture.rows
            ]
        else:
            headline = (
                f"Nothing is charged for this shipment ({order.payment_method_title}: nothing to capture)."
            )
            confirm_label = "Confirm: ship"
            capture_rows = []
        left = sum(p.order_item.quantity - p.shipped_before - p.quantity for p in plan.parts)
        context = {
            **self._ship_context(request, order, "Confirm: ship"),
            "plan": plan,
            "token": token,
            "headline": headline,
            "confirm_label": confirm_label,
            "amount": money(capture.amount, capture.currency) if capture else "",
            "currency": capture.currency if capture else order.currency,
            "shipped_rows": [(p.order_item.name, p.order_item.sku, p.quantity) for p in plan.shipped_parts],
            "capture_rows": capture_rows,
            "afterwards": "The order is complete."
            if plan.completes_order
            else f"{left} unit(s) left to ship.",
        }
        return TemplateResponse(request, "admin/checkout/order_ship_confirm.html", context)
