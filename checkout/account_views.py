"""The storefront's "my orders" pages of a signed-in customer, and a guest's order lookup (URL
namespace ``accounts``, next to the account pages of ``shop.account_views``)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shop.account_views import customer_or_sign_in
from shop.error_messages import message_for
from shop.errors import DomainError

from . import guest_orders
from .credit_memos import money, refunded_memos
from .customer_orders import customer_order, customer_orders, shipped_shipments
from .payment_display import payment_shown
from .views import order_summary


@never_cache
@customer_or_sign_in
def orders(request):
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    page = customer_orders(request.user, current_page=page_number, page_size=20)
    rows = [
        {"order": order, "total": money(order.grand_total, order.currency), "payment": payment_shown(order)}
        for order in page.items
    ]
    return render(request, "account/orders.html", {"page": page, "rows": rows})


@never_cache
@customer_or_sign_in
def order_detail(request, number):
    order = customer_order(request.user, number)
    if order is None:
        raise Http404("No such order")
    return _order_page(request, order)


def _order_page(request, order, *, guest: bool = False):
    """An order as its shopper sees it: summary, addresses, shipments, refunds."""
    addresses = {address.kind: address for address in order.addresses.all()}
    shipments = shipped_shipments(order)
    refunds = [
        {
            "number": memo.number,
            "date": memo.created_at,
            "total": money(memo.grand_total, memo.currency),
            "lines": [f"{item.quantity} × {item.name}" for item in memo.items.all()],
            "reason": memo.reason,
        }
        for memo in refunded_memos(order)
    ]
    return render(
        request,
        "account/order_detail.html",
        {
            "order": order,
            "summary": order_summary(order, shipped_at=shipments[0].shipped_at if shipments else None),
            "billing_address": addresses.get("billing"),
            "shipments": shipments,
            "refunds": refunds,
            "guest": guest,
        },
    )


@require_POST
@customer_or_sign_in
def send_orders_link(request):
    """Email the signed-in customer a link that adds earlier guest orders to the account."""
    try:
        guest_orders.send_link(request.user)
    except DomainError as error:
        messages.error(request, message_for(error))
    else:
        messages.success(
            request,
            f"We sent a link to {request.user.email}. Open it while signed in to add orders placed "
            "with that address to your account.",
        )
    return redirect("accounts:orders")


@never_cache
@customer_or_sign_in
def link_orders(request):
    """The emailed link: add the guest orders of the account's address."""
    try:
        count = guest_orders.link_orders(request.user, request.GET.get("token", ""))
    except DomainError as error:
        messages.error(request, message_for(error))
    else:
        if count:
            messages.success(
                request, f"{count} earlier order{'s' if count != 1 else ''} added to your account."
            )
        else:
            messages.info(request, f"We found no earlier orders placed with {request.user.email}.")
    return redirect("accounts:orders")


class GuestOrderForm(forms.Form):
    number = forms.CharField(label="Order number", max_length=32)
    email = forms.EmailField(
        label="Email used for the order", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    postcode = forms.CharField(
        label="Billing postcode", max_length=32, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@never_cache
def find_order(request):
    """A guest looks an order up by number, email and billing postcode (throttled)."""
    form = GuestOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = guest_orders.find(
                data["number"], data["email"], data["postcode"], client=_client(request)
            )
        except DomainError as error:
            form.add_error(None, message_for(error))
        else:
            guest_orders.remember(request.session, order)
            return redirect("accounts:guest-order", number=order.number)
    return render(request, "account/find_order.html", {"form": form})


@never_cache
def guest_order(request, number):
    """The guest order this session looked up; anyone else gets a 404."""
    order = guest_orders.remembered(request.session, number)
    if order is None:
        raise Http404("No such order")
    return _order_page(request, order, guest=True)
