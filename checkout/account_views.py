"""The storefront's "my orders" pages of a signed-in customer (URL namespace ``accounts``,
next to the account pages of ``shop.account_views``)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from shop.account_views import customer_or_sign_in

from .credit_memos import money, refunded_memos
from .customer_orders import customer_order, customer_orders
from .views import order_summary


@never_cache
@customer_or_sign_in
def orders(request):
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    page = customer_orders(request.user, current_page=page_number, page_size=20)
    return render(request, "account/orders.html", {"page": page})


@never_cache
@customer_or_sign_in
def order_detail(request, number):
    order = customer_order(request.user, number)
    if order is None:
        raise Http404("No such order")
    addresses = {address.kind: address for address in order.addresses.all()}
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
            "summary": order_summary(order),
            "billing_address": addresses.get("billing"),
            "refunds": refunds,
        },
    )
