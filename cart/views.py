"""The cart page, and the guest cart kept in the Django session.

The browser talks to ``/graphql`` for every cart change; the session only remembers which
guest cart belongs to this visitor (its masked id), so a returning shopper finds it and the
pages can hand it to their scripts. The two POST views here are CSRF-protected: one hands the
script a cart id on the first "Add to cart", the other is the no-JavaScript form fallback.
"""

from django.contrib import messages
from django.core.validators import ProhibitNullCharactersValidator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from shop.errors import DomainError
from shop.views import format_price

from . import locks, services
from .fetch import load_cart_info
from .session_carts import session_cart, session_cart_or_create
from .shipping import storefront_names_for_pages
from .totals import compute_totals


def free_shipping_notice(cart) -> dict | None:
    """What the cart says about free shipping, read from the totals engine (None: no items)."""
    if cart is None:
        return None
    totals = compute_totals(load_cart_info(cart))
    if not totals.lines:
        return None
    remaining = totals.free_shipping_remaining
    if remaining is None:
        return {"qualifies": True, "text": "Your order ships free."}
    return {
        "qualifies": False,
        "text": f"Add {format_price(remaining, totals.currency)} more for free shipping.",
    }


def cart_page(request):
    cart = session_cart(request)
    return render(
        request,
        "cart/cart.html",
        {
            "cart_id": cart.masked_id if cart else "",
            "free_shipping": free_shipping_notice(cart),
            "shipping_names": storefront_names_for_pages(),
        },
    )


@require_GET
def free_shipping(request):
    """The free-shipping notice of this session's cart, for the cart page's script after a change."""
    return JsonResponse({"notice": free_shipping_notice(session_cart(request))})


@require_POST
def cart_session(request):
    """Give the page's script this session's cart id, creating the cart on first use."""
    cart = session_cart_or_create(request)
    return JsonResponse({"cart_id": cart.masked_id})


def stock_message(available) -> str:
    """The storefront's words for "not that many" (Magento's message names no number)."""
    left = max(0, int(available))
    return f"Only {left} left in stock." if left else "This item is out of stock."


def shopper_message(problem) -> str:
    if isinstance(problem, services.CartUserError) and problem.code == "INSUFFICIENT_STOCK":
        if problem.quantity is not None:
            return stock_message(problem.quantity)
    return getattr(problem, "message", None) or str(problem)


@require_POST
def add_to_cart(request):
    """Form fallback for "Add to cart" when the page's script is not running."""
    sku = request.POST.get("sku", "")
    if "\x00" in sku:  # no SKU holds NUL, and PostgreSQL refuses it in a query
        messages.error(request, ProhibitNullCharactersValidator.message)
        return redirect("cart:page")
    try:
        quantity = float(request.POST.get("quantity", "1"))
    except ValueError:
        quantity = 0
    cart = session_cart_or_create(request)
    try:
        with locks.locked(cart) as locked:
            # A configurable product's page sends one value uid per attribute.
            choice = services.VariantChoice(value_uids=tuple(request.POST.getlist("selected_options")))
            problems = services.add_products(locked, [(sku, quantity, choice)]).user_errors
    except DomainError as error:
        problems = [error]
    if problems:
        for problem in problems:
            messages.error(request, shopper_message(problem))
        return redirect("cart:page")
    messages.success(request, "Added to your cart.")
    return redirect("cart:page")
