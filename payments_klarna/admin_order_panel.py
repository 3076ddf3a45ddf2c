"""The Klarna panel of the order page in the admin, and its actions.

The panel shows the Klarna order (id, reference, payment method, authorized / captured /
refunded / remaining amounts, expiry, fraud status), the staff operations and the API calls for
that Klarna order id. Each action button opens a small confirmation form (CSRF-protected, with a
fresh ``operation_id``) posted to ``<order>/klarna/<action>/``; the work is done by
``payments_klarna.order_management``. A button is shown only to staff holding the action's
permission (``order_management.PERMISSIONS``), and posting without it is a 403.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from shop.money import precision, to_minor_units

from . import order_management as om
from . import order_state
from .admin_display import api_call_rows, truncated
from .client import KlarnaError, get_client
from .models import KlarnaApiCall, KlarnaPayment

ACTIONS = {
    "capture": "Capture",
    "refund": "Refund",
    "cancel": "Cancel the Klarna order",
    "release": "Release remaining authorization",
    "extend": "Extend authorization time",
    "refresh": "Refresh from Klarna",
}
EXPLANATIONS = {
    "capture": "Klarna charges the customer for what you capture. Capture only what has shipped.",
    "refund": "Klarna pays the amount back to the customer.",
    "cancel": "Klarna cancels the whole order and the customer pays nothing. Not possible after a capture.",
    "release": "Klarna gives up what is left of the authorization; nothing more can be captured.",
    "extend": "Klarna gives more time to capture (up to 180 days after the order).",
    "refresh": "Reads the order from Klarna and updates the amounts and status shown here.",
}


def remaining_to_capture(payment: KlarnaPayment) -> int:
    if payment.remaining_authorized_amount is not None:
        return payment.remaining_authorized_amount
    return max(payment.authorized_amount - payment.captured_amount, 0)


def refundable(payment: KlarnaPayment) -> int:
    return max(payment.captured_amount - payment.refunded_amount, 0)


class ConfirmForm(forms.Form):
    operation_id = forms.UUIDField(widget=forms.HiddenInput)


class AmountForm(ConfirmForm):
    """Capture or refund: everything, an amount, or chosen quantities of Klarna's order lines."""

    mode = forms.ChoiceField(widget=forms.RadioSelect, initial="all")
    amount = forms.DecimalField(required=False, min_value=0, label="Amount")
    description = forms.CharField(required=False, max_length=255)

    def __init__(self, *args, payment: KlarnaPayment, klarna_lines: list[dict], full: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.payment = payment
        self.klarna_lines = klarna_lines
        self.full = full
        currency = payment.currency
        choices = [("all", f"Everything ({om.format_minor(full, currency)})"), ("amount", "An amount")]
        if klarna_lines:
            choices.append(("lines", "Chosen lines"))
        self.fields["mode"].choices = choices
        self.fields["amount"].decimal_places = precision(currency)
        self.fields["amount"].help_text = f"in {currency}"
        for index, line in enumerate(klarna_lines):
            self.fields[f"line_{index}"] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=int(line.get("quantity") or 0),
                initial=0,
                label=(
                    f"{line.get('name')} — {line.get('quantity')} × "
                    f"{om.format_minor(line.get('unit_price'), currency)}"
                ),
            )

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        data["lines"] = []
        if mode == "all":
            data["amount_minor"] = self.full
        elif mode == "amount":
            if not data.get("amount"):
                raise forms.ValidationError("Enter the amount.")
            data["amount_minor"] = to_minor_units(data["amount"], self.payment.currency)
        elif mode == "lines":
            quantities = {i: data.get(f"line_{i}") or 0 for i in range(len(self.klarna_lines))}
            try:
                data["lines"] = om.lines_for(self.klarna_lines, quantities)
            except om.OperationInvalid as error:
                raise forms.ValidationError(str(error)) from error
            data["amount_minor"] = sum(line["total_amount"] for line in data["lines"])
        if mode and data.get("amount_minor", 0) <= 0:
            raise forms.ValidationError("There is nothing to do for a zero amount.")
        return data


class CaptureForm(AmountForm):
    shipping_company = forms.CharField(required=False, max_length=100)
    tracking_number = forms.CharField(required=False, max_length=100)


class KlarnaOrderPanelMixin:
    """Mix into the Order ``ModelAdmin``: adds the panel to the change page and the action URLs."""

    change_form_template = "admin/payments_klarna/order_change_form.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/klarna/<str:action>/",
                self.admin_site.admin_view(self.klarna_action_view),
                name=f"{opts.app_label}_{opts.model_name}_klarna",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        order = self.get_object(request, unquote(object_id))
        if order is not None:
            extra_context["klarna"] = self.klarna_panel(request, order)
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def klarna_panel(self, request, order) -> dict | None:
        payment = KlarnaPayment.objects.filter(order_id=order.pk).first()
        if payment is None:
            return None
        currency = payment.currency
        opts = self.model._meta
        return {
            "payment": payment,
            "authorization_token": truncated(payment.authorization_token),
            "amounts": [
                ("Authorized", om.format_minor(payment.authorized_amount, currency)),
                ("Captured", om.format_minor(payment.captured_amount, currency)),
                ("Refunded", om.format_minor(payment.refunded_amount, currency)),
                ("Remaining authorization", om.format_minor(remaining_to_capture(payment), currency)),
            ],
            "actions": [
                (
                    name,
                    label,
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_klarna", args=[order.pk, name]),
                )
                for name, label in ACTIONS.items()
                if request.user.has_perm(om.PERMISSIONS[name])
            ],
            "can_move_money": any(
                request.user.has_perm(om.PERMISSIONS[name]) for name in ACTIONS if name != "refresh"
            ),
            "operations": [
                (op, om.format_minor(op.amount, currency) if op.amount is not None else "—")
                for op in payment.operations.select_related("staff_user")[:20]
            ],
            "api_calls": api_call_rows(
                KlarnaApiCall.objects.filter(klarna_order_id=payment.klarna_order_id)[:50]
            ),
        }

    def klarna_action_view(self, request, object_id, action):
        if action not in ACTIONS:
            raise Http404("unknown Klarna action")
        order = self.get_object(request, unquote(object_id))
        if order is None or not self.has_view_permission(request, order):
            raise Http404("no such order")
        if not request.user.has_perm(om.PERMISSIONS[action]):
            raise PermissionDenied
        payment = KlarnaPayment.objects.filter(order_id=order.pk).first()
        if payment is None:
            raise Http404("this order was not paid with Klarna")
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[order.pk]
        )

        klarna_lines: list[dict] = []
        if action in ("capture", "refund"):
            # Show (and compute "everything") from Klarna's current state, not a stale copy.
            try:
                klarna_order = get_client().read_order(payment.klarna_order_id)
                order_state.apply_klarna_order(payment.pk, klarna_order)
                klarna_lines = list(klarna_order.raw.get("order_lines") or [])
                payment.refresh_from_db()
            except KlarnaError as error:
                messages.warning(
                    request, f"Klarna could not be read; amounts shown may be out of date ({error})."
                )
        form_class = {"capture": CaptureForm, "refund": AmountForm}.get(action, ConfirmForm)
        form_kwargs = {}
        if form_class is not ConfirmForm:
            full = remaining_to_capture(payment) if action == "capture" else refundable(payment)
            form_kwargs = {"payment": payment, "klarna_lines": klarna_lines, "full": full}

        if request.method == "POST":
            form = form_class(request.POST, **form_kwargs)
            try:
                # A form submitted again continues its stored operation, whatever the amounts now.
                result = None
                if action != "refresh":
                    result = om.resubmitted(order, action, request.POST.get("operation_id"))
                if result is None and form.is_valid():
                    result = self._perform(request, order, action, form.cleaned_data)
            except om.OperationInvalid as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(change_url)
            if result is not None:
                level = (
                    messages.SUCCESS
                    if result.ok
                    else (messages.WARNING if result.pending else messages.ERROR)
                )
                messages.add_message(request, level, result.message)
                return HttpResponseRedirect(change_url)
        else:
            form = form_class(initial={"operation_id": uuid.uuid4()}, **form_kwargs)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": order,
            "title": f"{ACTIONS[action]} — order {order.number}",
            "action": action,
            "action_label": ACTIONS[action],
            "explanation": EXPLANATIONS[action],
            "form": form,
            "payment": payment,
            "panel": self.klarna_panel(request, order),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/payments_klarna/order_action.html", context)

    def _perform(self, request, order, action, data) -> om.OperationResult:
        user, operation_id = request.user, data.get("operation_id")
        if action == "capture":
            return om.capture(
                order,
                operation_id=operation_id,
                user=user,
                amount=data["amount_minor"],
                lines=data["lines"],
                shipping_company=data.get("shipping_company") or "",
                tracking_number=data.get("tracking_number") or "",
                description=data.get("description") or "",
            )
        if action == "refund":
            return om.refund(
                order,
                operation_id=operation_id,
                user=user,
                amount=data["amount_minor"],
                lines=data["lines"],
                description=data.get("description") or "",
            )
        if action == "cancel":
            return om.cancel(order, operation_id=operation_id, user=user)
        if action == "release":
            return om.release_remaining(order, operation_id=operation_id, user=user)
        if action == "extend":
            return om.extend_authorization(order, operation_id=operation_id, user=user)
        return om.refresh(order)
