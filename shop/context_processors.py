from django.conf import settings
from django.db.models import Sum


def _cart_item_count(request) -> int:
    from cart.session_carts import session_cart

    if not hasattr(request, "session"):
        return 0
    cart = session_cart(request)
    if cart is None:
        return 0
    return cart.items.aggregate(total=Sum("quantity"))["total"] or 0


def store(request):
    """Store facts every template may show; the cart count is computed only when shown."""
    return {
        "STORE_NAME": settings.STORE_NAME,
        "STORE_CURRENCY": settings.STORE_CURRENCY,
        "PRICES_INCLUDE_TAX": settings.PRICES_INCLUDE_TAX,
        "cart_item_count": lambda: _cart_item_count(request),
        "customer": lambda: _customer(request),
        "customer_token": lambda: _customer_token(request),
    }


def _customer(request):
    from shop.accounts import storefront_customer

    return storefront_customer(request)


def _customer_token(request) -> str:
    """The signed-in customer's /graphql bearer token for the page's scripts (see shop.accounts)."""
    from shop.accounts import page_token

    return page_token(request) if hasattr(request, "session") else ""
