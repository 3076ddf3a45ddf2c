"""The order page's "Refund (credit memo)" action: form → confirmation → confirm.

The form (lines with quantities, the shipping, or an amount; a reason, required) moves
nothing. Once valid and allowed (``credit_memos.plan_credit_memo``) it becomes a confirmation
page showing exactly the amount, currency and lines that will be refunded, carrying what staff
asked for signed (``django.core.signing``) with a fresh operation id and the order's refund
state as seen. Only the Confirm POST of that token calls ``credit_memos.create_credit_memo``,
with the signed values only, and only while the order's refund state is unchanged; a double
submit finds the memo of the same operation id and refunds nothing again. No choice is preset.

The payment provider (Klarna) is read fresh for the form, the confirmation and the confirm
(``refresh=True``), never inside a transaction. Needs ``checkout.refund_payment``.
"""

import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from shop.money import precision

from . import credit_memos
from .credit_memos import CreditMemoInput, CreditMemoRefused

PERMISSION = "checkout.refund_payment"
SALT = "checkout.admin_credit_memos"
MAX_AGE_SECONDS = 12 * 3600
STALE = "The order's refunds changed since you reviewed this credit memo; review it again."
INVALID = (
    "This confirmation is not valid (altered, expired, or made for another order or staff member); "
    "nothing was refunded. Fill in the credit memo again."
)


class CreditMemoForm(forms.Form):
    """Quantities per order item (``qty_<item id>``), the shipping, or an amount; a reason."""

    shipping = forms.BooleanField(required=False)
    amount = forms.DecimalField(required=False, min_value=0, label="Or an amount")
    reason = forms.CharField(
        required=True,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required. The customer sees it with the refund (My orders, Magento's credit memo comments).",
        error_messages={"required": credit_memos.REFUSALS["reason_missing"]},
    )

    def __init__(self, *args, order, state, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        currency = order.currency
        self.item_fields = []
        for item in order.items.all():
            left = item.quantity - state.refunded_quantities.get(item.pk, 0)
            name = f"qty_{item.pk}"
            self.fields[name] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=left,
                label=f"{item.name} ({item.sku}) — {left} of {item.quantity} left to refund",
            )
            self.item_fields.append(name)
        show_shipping = order.shipping_incl_tax and not state.shipping_refunded
        if show_shipping:
            self.fields[
                "shipping"
            ].label = f"Refund the shipping ({credit_memos.money(order.shipping_incl_tax, currency)})"
        else:
            del self.fields["shipping"]
        self.fields["amount"].decimal_places = precision(currency)
        self.fields["amount"].widget.attrs["step"] = str(Decimal(1).scaleb(-precision(currency)))
        self.fields[
            "amount"
        ].help_text = f"in {currency}; at most {credit_memos.money(state.limit, currency)} can be refunded"
        self.order_fields([*self.item_fields, "shipping", "amount", "reason"])

    def wanted(self) -> CreditMemoInput:
        data = self.cleaned_data
        return CreditMemoInput(
            reason=data["reason"].strip(),
            quantities={int(name[4:]): data[name] for name in self.item_fields if data.get(name)},
            shipping=bool(data.get("shipping")),
            amount=data.get("amount"),
        )


@dataclass(frozen=True)
class CreditMemoReview:
    """What one Confirm refunds, signed into the confirmation page."""

    order_id: int
    user_id: int
    reason: str
    quantities: dict
    shipping: bool
    amount: str | None
    state: dict
    operation_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def wanted(self) -> CreditMemoInput:
        return CreditMemoInput(
            reason=self.reason,
            quantities={int(k): v for k, v in self.quantities.items()},
            shipping=self.shipping,
            amount=Decimal(self.amount) if self.amount is not None else None,
        )

    def sign(self) -> str:
        return signing.dumps(asdict(self), salt=SALT, compress=True)

    @classmethod
    def unsign(cls, token: str, *, order, user) -> "CreditMemoReview":
        try:
            review = cls(**signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS))
        except (signing.BadSignature, TypeError, InvalidOperation) as error:
            raise ValueError(INVALID) from error
        if (review.order_id, review.user_id) != (order.pk, user.pk):
            raise ValueError(INVALID)
        return review


class CreditMemoAdminMixin:
    """Mix into the Order ``ModelAdmin``: the credit memo URL and its pages."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/credit-memo/",
                self.admin_site.admin_view(self.credit_memo_view),
                name=f"{opts.app_label}_{opts.model_name}_credit_memo",
            ),
            *super().get_urls(),
        ]

    def credit_memo_url(self, order) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_credit_memo", args=[order.pk])

    def _order_change_url(self, order) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[order.pk])

    def credit_memo_view(self, request, object_id):
        order = self.get_object(request, unquote(object_id))
        if order is None or not self.has_view_permission(request, order):
            raise Http404("no such order")
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        change_url = self._order_change_url(order)
        # Read the payment provider afresh: what staff see and confirm is Klarna's current state.
        state = credit_memos.refund_state(order, refresh=True)
        order.refresh_from_db()
        if request.method == "POST" and "token" in request.POST:
            return self._confirm_credit_memo(request, order, state)
        refusal = _refusal_before_form(order, state)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(change_url)
        form = CreditMemoForm(request.POST if request.method == "POST" else None, order=order, state=state)
        if form.is_valid():
            wanted = form.wanted()
            try:
                plan = credit_memos.plan_credit_memo(order, wanted, state)
            except CreditMemoRefused as error:
                form.add_error(None, str(error))
            else:
                review = CreditMemoReview(
                    order_id=order.pk,
                    user_id=request.user.pk,
                    reason=wanted.reason,
                    quantities={str(k): v for k, v in wanted.quantities.items()},
                    shipping=wanted.shipping,
                    amount=str(wanted.amount) if wanted.amount is not None else None,
                    state=state.fingerprint(),
                )
                return self._credit_memo_page(
                    request, order, "admin/checkout/credit_memo_confirm.html", review=review, plan=plan
                )
        return self._credit_memo_page(
            request, order, "admin/checkout/credit_memo_form.html", form=form, state=state
        )

    def _confirm_credit_memo(self, request, order, state):
        change_url = self._order_change_url(order)
        try:
            review = CreditMemoReview.unsign(request.POST.get("token"), order=order, user=request.user)
        except ValueError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(change_url)
        already = credit_memos.CreditMemo.objects.filter(operation_id=review.operation_id).exists()
        if not already and state.fingerprint() != review.state:
            messages.error(request, STALE)
            return HttpResponseRedirect(self.credit_memo_url(order))
        try:
            result = credit_memos.create_credit_memo(
                order, review.wanted(), operation_id=review.operation_id, user=request.user
            )
        except CreditMemoRefused as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(change_url)
        level = messages.SUCCESS if result.ok else messages.WARNING if result.pending else messages.ERROR
        messages.add_message(request, level, result.message)
        if result.pending:  # the provider's answer is unknown: the same confirmation retries safely
            return self._credit_memo_page(
                request, order, "admin/checkout/credit_memo_confirm.html", review=review, memo=result.memo
            )
        return HttpResponseRedirect(change_url)

    def _credit_memo_page(self, request, order, template, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": order,
            "order": order,
            "title": f"Refund (credit memo) — order {order.number}",
            "change_url": self._order_change_url(order),
            "action_url": self.credit_memo_url(order),
            **extra,
        }
        if "state" in extra:
            context["limit_text"] = credit_memos.money(extra["state"].limit, order.currency)
        if "review" in extra:
            context["token"] = extra["review"].sign()
            context["reason"] = extra["review"].reason
            plan, memo = extra.get("plan"), extra.get("memo")
            if plan is not None:
                lines = [(p.line.name, p.line.quantity, p.line.total) for p in plan.lines]
                total, currency, offline = plan.grand_total, plan.currency, plan.offline
            else:  # a pending memo shown again: exactly what it holds
                lines = [(i.name, i.quantity, i.total) for i in memo.items.all()]
                total, currency, offline = memo.grand_total, memo.currency, memo.offline
            context["amount"] = credit_memos.money(total, currency)
            context["currency"] = currency
            context["rows"] = [(name, qty, credit_memos.money(t, currency)) for name, qty, t in lines]
            context["where"] = (
                "Recorded offline: this payment method moves no money in the shop; give it back yourself."
                if offline
                else "Klarna pays it back to the customer: one refund, with these order lines."
            )
        return TemplateResponse(request, template, context)


def _refusal_before_form(order, state) -> str | None:
    """Why the form is not worth showing at all (nothing can be refunded), or None."""
    if order.status == order.Status.CANCELED:
        return credit_memos.REFUSALS["cancelled"].format(number=order.number)
    if state.position is not None and state.position.captured <= 0:
        return credit_memos.REFUSALS["nothing_captured"]
    if state.limit <= 0 and order.grand_total > 0:
        return credit_memos.REFUSALS["all_refunded"]
    return None
