"""The cart page, and the guest cart kept in the Django session.

The cart page is rendered by the server, complete (lines with thumbnails and options, coupon,
totals, free-shipping notice: ``cart.page``). Its basic actions are plain forms POSTing here
(CSRF-protected, redirect after post, Magento's messages shown in the page), so they work
without JavaScript; ``static/js/cart.js`` submits the same forms in the background and swaps
in the server's new markup. The product page's script talks to ``/graphql``; the session only
remembers which guest cart belongs to this visitor (its masked id), so a returning shopper
finds it and the pages can hand it to their scripts.
"""

from django.contrib import messages
from django.core.validators import ProhibitNullCharactersValidator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shop.error_messages import message
from shop.errors import DomainError

from . import locks, services
from .page import cart_summary, stock_message
from .session_carts import session_cart, session_cart_or_create


def free_shipping_notice(cart) -> dict | None:
    """What the cart says about free shipping, read from the totals engine (None: no items)."""
    if cart is None:
        return None
    notice = cart_summary(cart).free_shipping
    return {"qualifies": notice.qualifies, "text": notice.text} if notice else None


def cart_page(request):
    cart = session_cart(request)
    summary = cart_summary(cart) if cart is not None else None
    context = {"cart_id": cart.masked_id if cart else "", "summary": summary}
    if summary is not None:
        # The header's count from the lines just read (no second query for it).
        context["cart_item_count"] = summary.total_quantity
    return render(request, "cart/cart.html", context)


@require_GET
def free_shipping(request):
    """The free-shipping notice of this session's cart as JSON (the cart page itself renders it)."""
    return JsonResponse({"notice": free_shipping_notice(session_cart(request))})


@require_POST
def cart_session(request):
    """Give the page's script this session's cart id, creating the cart on first use."""
    cart = session_cart_or_create(request)
    return JsonResponse({"cart_id": cart.masked_id})


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
    messages.success(request, _("Added to your cart."))
    return redirect("cart:page")


# --- the cart page's forms (no JavaScript needed) --------------------------------------------------


def _item_id(request) -> int | None:
    raw = request.POST.get("item_id", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _line_name(cart, item_id) -> str:
    item = cart.items.select_related("product__parent").filter(pk=item_id).first() if item_id else None
    if item is None:
        return "The item"
    return (item.product.parent or item.product).name


def _change(request, change) -> bool:
    """Run ``change(locked cart)`` on this session's cart; show its problems. True when it
    worked without problems. No cart (session expired, ordered meanwhile): nothing to change."""
    cart = session_cart(request)
    if cart is None:
        messages.info(request, _("Your cart is empty."))
        return False
    try:
        with locks.locked(cart) as locked:
            problems = list(change(cart, locked) or ())
    except DomainError as error:
        problems = [error]
    for problem in problems:
        messages.error(request, shopper_message(problem))
    return not problems


@require_POST
def update_quantity(request):
    """Set a line's quantity (0 removes it, as Magento's updateCartItems does)."""
    item_id = _item_id(request)
    raw = request.POST.get("quantity", "").strip()
    if item_id is None or not (raw.isascii() and raw.isdigit()):
        messages.error(request, _("Please enter a whole number."))
        return redirect("cart:page")
    # Past any shop's limit anyway: services answer "The most you may purchase is N."
    quantity = int(raw) if len(raw) <= 18 else 10**18
    name = ""

    def change(cart, locked):
        nonlocal name
        name = _line_name(cart, item_id)
        return services.update_items(locked, [(item_id, quantity)]).user_errors

    if _change(request, change):
        messages.success(request, f"{name} removed from your cart." if quantity == 0 else "Quantity updated.")
    return redirect("cart:page")


@require_POST
def remove_line(request):
    item_id = _item_id(request)
    if item_id is None:
        messages.error(request, message("cart_item_id_missing"))
        return redirect("cart:page")
    name = ""

    def change(cart, locked):
        nonlocal name
        name = _line_name(cart, item_id)
        services.remove_item(locked, item_id)

    if _change(request, change):
        messages.success(request, f"{name} removed from your cart.")
    return redirect("cart:page")


@require_POST
def apply_coupon(request):
    code = request.POST.get("coupon_code", "").strip()
    if "\x00" in code:
        messages.error(request, ProhibitNullCharactersValidator.message)
        return redirect("cart:page")

    applied = code

    def change(cart, locked):
        nonlocal applied
        applied = services.apply_coupon(locked, code).cart.coupon.code  # as the shop writes it

    if _change(request, change):
        messages.success(request, f"Discount code {applied} applied.")
    return redirect("cart:page")


@require_POST
def remove_coupon(request):
    def change(cart, locked):
        services.remove_coupon(locked)

    if _change(request, change):
        messages.success(request, _("Discount code removed."))
    return redirect("cart:page")
