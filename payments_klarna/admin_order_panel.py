"""The Klarna panel of the order page in the admin, and its actions.

The panel shows the Klarna order (id, reference, payment method, authorized / captured /
refunded / remaining amounts, expiry, fraud status), the staff operations and the API calls for
that Klarna order id. An action button is shown only when the order's state allows the action
(``order_management.refusal``) and only to staff holding its permission
(``order_management.PERMISSIONS``); posting without it is a 403, posting an action the state
does not allow is refused in plain words.

Refund opens checkout's credit memo form (``checkout.admin_credit_memos``): a refund is always a
credit memo, by lines or by an amount, with a reason.

Money actions (capture, cancel, release) take two steps, both CSRF-protected POSTs to
``<order>/klarna/<action>/``: the capture form is reviewed into a signed confirmation
page showing exactly what moves (``admin_order_review``), and only its Confirm — checked again
against the order as read from Klarna at that moment — calls Klarna. Extend and refresh move no
money and are done by their one-button form. The work is done by
``payments_klarna.order_management`` under stored idempotency keys, so a double submit or a
retry moves money once.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import order_management as om
from . import order_state
from .admin_display import api_call_rows, truncated
from .admin_order_review import (
    MONEY_ACTIONS,
    STALE,
    CaptureForm,
    Review,
    ReviewInvalid,
    state_of,
)
from .client import KlarnaError
from .models import KlarnaApiCall, KlarnaPayment
from .services import read_klarna_order

# Actions that move money (their permission lets staff act on the payment). Refund is one, but its
# button opens checkout's credit memo form; the others go through ``admin_order_review``.
MOVES_MONEY = frozenset({*MONEY_ACTIONS, "refund"})
ACTIONS = {
    "capture": "Capture",
    "refund": "Refund (credit memo)",
    "cancel": "Cancel the Klarna order",
    "release": "Release remaining authorization",
    "extend": "Extend authorization time",
    "refresh": "Refresh from Klarna",
}
EXPLANATIONS = {
    "capture": (
        "Klarna charges the customer for what you capture. Capture only what has shipped. "
        "Enter an amount or line quantities (or choose everything); you confirm on the next page."
    ),
    "cancel": "Klarna cancels the whole order and the customer pays nothing. Not possible after a capture.",
    "release": "Klarna gives up what is left of the authorization; nothing more can be captured.",
    "extend": "Klarna gives more time to capture (up to 180 days after the order).",
    "refresh": "Reads the order from Klarna and updates the amounts and status shown here.",
}


class ConfirmForm(forms.Form):
    """Extend and refresh: one button, with a fresh ``operation_id`` per rendered form."""

    operation_id = forms.UUIDField(widget=forms.HiddenInput)


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
        allowed = set(om.available(payment, order)) | {"refresh"}
        permitted = {name for name in ACTIONS if request.user.has_perm(om.PERMISSIONS[name])}
        return {
            "payment": payment,
            "authorization_token": truncated(payment.authorization_token),
            "amounts": [
                ("Authorized", om.format_minor(payment.authorized_amount, currency)),
                ("Captured", om.format_minor(payment.captured_amount, currency)),
                ("Refunded", om.format_minor(payment.refunded_amount, currency)),
                ("Remaining authorization", om.format_minor(om.remaining_to_capture(payment), currency)),
            ],
            "actions": [
                (name, label, self._panel_action_url(order, name))
                for name, label in ACTIONS.items()
                if name in permitted and name in allowed
            ],
            "can_move_money": bool(permitted & MOVES_MONEY),
            "nothing_to_do": bool(permitted & MOVES_MONEY) and not allowed & MOVES_MONEY,
            "operations": [
                (op, om.format_minor(op.amount, currency) if op.amount is not None else "—")
                for op in payment.operations.select_related("staff_user")[:20]
            ],
            "api_calls": api_call_rows(
                KlarnaApiCall.objects.filter(klarna_order_id=payment.klarna_order_id)[:50]
            ),
        }

    def _action_url(self, order, action: str) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_klarna", args=[order.pk, action])

    def _panel_action_url(self, order, action: str) -> str:
        # Refunds are credit memos (checkout's order admin): lines or an amount, with a reason.
        if action == "refund":
            return self.credit_memo_url(order)
        return self._action_url(order, action)

    def _change_url(self, order) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[order.pk])

    def klarna_action_view(self, request, object_id, action):
        if action not in ACTIONS:
            raise Http404("unknown Klarna action")
        order = self.get_object(request, unquote(object_id))
        if order is None or not self.has_view_permission(request, order):
            raise Http404("no such order")
        if not request.user.has_perm(om.PERMISSIONS[action]):
            raise PermissionDenied
        if action == "refund":
            # Refunds are credit memos now (lines or an amount, with a reason): the form, its
            # confirmation and its Confirm live on checkout's order admin. An old refund form or
            # confirmation posted here moves nothing.
            return HttpResponseRedirect(self.credit_memo_url(order))
        payment = KlarnaPayment.objects.filter(order_id=order.pk).first()
        if payment is None:
            raise Http404("this order was not paid with Klarna")
        change_url = self._change_url(order)

        klarna_lines: list[dict] = []
        if action in MONEY_ACTIONS:
            # Review, check and confirm against Klarna's current state, not a stale copy.
            klarna_lines = self._read_klarna(request, payment)
            order.refresh_from_db()
        if request.method == "POST" and action in MONEY_ACTIONS and "token" in request.POST:
            return self._confirm(request, order, payment, action)

        reason = om.refusal(payment, order, action)
        if reason is not None:
            messages.error(request, reason)
            return HttpResponseRedirect(change_url)

        if action == "capture":
            return self._capture_form(request, order, payment, klarna_lines)
        if action in ("cancel", "release"):
            # Nothing to choose: the confirmation page straight away.
            review = Review(
                order_id=order.pk,
                action=action,
                user_id=request.user.pk,
                currency=payment.currency,
                amount_minor=om.remaining_to_capture(payment),
                lines=klarna_lines if action == "cancel" else [],
                state=state_of(payment, order),
            )
            return self._review_page(request, order, payment, review)
        return self._one_button_form(request, order, payment, action)

    def _capture_form(self, request, order, payment, klarna_lines):
        """Capture: the form, and once it is valid and allowed, its confirmation page."""
        action = "capture"
        form = CaptureForm(
            request.POST if request.method == "POST" else None,
            payment=payment,
            klarna_lines=klarna_lines,
            full=om.remaining_to_capture(payment),
        )
        if form.is_valid():
            data = form.cleaned_data
            reason = om.refusal(payment, order, action, data["amount_minor"])
            if reason is None:
                review = Review(
                    order_id=order.pk,
                    action=action,
                    user_id=request.user.pk,
                    currency=payment.currency,
                    amount_minor=data["amount_minor"],
                    lines=data["lines"],
                    shipping_company=(data.get("shipping_company") or "").strip(),
                    tracking_number=(data.get("tracking_number") or "").strip(),
                    description=(data.get("description") or "").strip(),
                    state=state_of(payment, order),
                )
                return self._review_page(request, order, payment, review)
            form.add_error(None, reason)
        return self._action_page(request, order, payment, action, form)

    def _one_button_form(self, request, order, payment, action):
        """Extend and refresh move no money: the form's own button is the confirmation."""
        if request.method == "POST":
            form = ConfirmForm(request.POST)
            try:
                result = None
                if action != "refresh":  # a form submitted again continues its stored operation
                    result = om.resubmitted(order, action, request.POST.get("operation_id"))
                if result is None and form.is_valid():
                    result = self._perform_other(request, order, action, form.cleaned_data)
            except om.OperationInvalid as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(self._change_url(order))
            if result is not None:
                messages.add_message(request, _level(result), result.message)
                return HttpResponseRedirect(self._change_url(order))
        else:
            form = ConfirmForm(initial={"operation_id": uuid.uuid4()})
        return self._action_page(request, order, payment, action, form)

    def _read_klarna(self, request, payment) -> list[dict]:
        """Read and apply the Klarna order; its order lines (none if Klarna could not be read)."""
        try:
            klarna_order = read_klarna_order(payment.klarna_order_id)  # with the order's account
            order_state.apply_klarna_order(payment.pk, klarna_order)
        except KlarnaError as error:
            messages.warning(
                request, f"Klarna could not be read; amounts shown may be out of date ({error})."
            )
            return []
        payment.refresh_from_db()
        return list(klarna_order.raw.get("order_lines") or [])

    def _confirm(self, request, order, payment, action):
        """The Confirm POST: carry out exactly the signed review, if the order is unchanged."""
        change_url = self._change_url(order)
        try:
            review = Review.unsign(request.POST.get("token"), order=order, action=action, user=request.user)
        except ReviewInvalid as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(change_url)
        try:
            # Confirmed before (double submit, retry after a timeout): the stored operation
            # decides, with its stored idempotency key, whatever the order holds now.
            result = om.resubmitted(order, action, review.operation_id)
            if result is None:
                if state_of(payment, order) != review.state:
                    messages.error(request, STALE)
                    return HttpResponseRedirect(self._action_url(order, action))
                result = self._perform_money(request, order, review)
        except om.OperationInvalid as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(change_url)
        messages.add_message(request, _level(result), result.message)
        if result.pending:  # Klarna's answer is unknown: the same confirmation again retries safely
            payment.refresh_from_db()
            return self._review_page(request, order, payment, review)
        return HttpResponseRedirect(change_url)

    def _perform_money(self, request, order, review: Review) -> om.OperationResult:
        """Call Order Management with the signed values only."""
        common = {"operation_id": review.operation_id, "user": request.user}
        if review.action == "capture":
            return om.capture(
                order,
                amount=review.amount_minor,
                lines=review.lines,
                shipping_company=review.shipping_company,
                tracking_number=review.tracking_number,
                description=review.description,
                **common,
            )
        if review.action == "cancel":
            return om.cancel(order, **common)
        return om.release_remaining(order, **common)

    def _perform_other(self, request, order, action, data) -> om.OperationResult:
        if action == "extend":
            return om.extend_authorization(order, operation_id=data["operation_id"], user=request.user)
        return om.refresh(order)

    def _page_context(self, request, order, action, title) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": order,
            "title": f"{title} — order {order.number}",
            "action": action,
            "action_label": ACTIONS[action],
            "explanation": EXPLANATIONS[action],
            "panel": self.klarna_panel(request, order),
            "change_url": self._change_url(order),
            "action_url": self._action_url(order, action),
        }

    def _action_page(self, request, order, payment, action, form):
        context = {
            **self._page_context(request, order, action, ACTIONS[action]),
            "form": form,
            "payment": payment,
            "submit_label": f"Review the {action}" if action in MONEY_ACTIONS else ACTIONS[action],
        }
        return TemplateResponse(request, "admin/payments_klarna/order_action.html", context)

    def _review_page(self, request, order, payment, review: Review):
        context = {
            **self._page_context(request, order, review.action, f"Confirm: {ACTIONS[review.action]}"),
            "payment": payment,
            "review": review,
            "token": review.sign(),
            "order_number": order.number,
            "editable": review.action == "capture",
        }
        return TemplateResponse(request, "admin/payments_klarna/order_confirm.html", context)


def _level(result: om.OperationResult) -> int:
    if result.ok:
        return messages.SUCCESS
    return messages.WARNING if result.pending else messages.ERROR
