"""The session's cart for every storefront page (the header's count, the product page's
add-to-cart button), computed only when a template shows it."""

from django.db.models import Sum

from .session_carts import session_cart


def _item_count(request) -> int:
    if not hasattr(request, "session"):
        return 0
    cart = session_cart(request)
    if cart is None:
        return 0
    return cart.items.aggregate(total=Sum("quantity"))["total"] or 0


def _masked_id(request) -> str:
    cart = session_cart(request) if hasattr(request, "session") else None
    return cart.masked_id if cart else ""


def session_cart_facts(request):
    return {
        "cart_item_count": lambda: _item_count(request),
        "session_cart_id": lambda: _masked_id(request),
    }
