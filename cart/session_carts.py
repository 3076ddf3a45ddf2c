"""The guest cart kept in the Django session (storefront pages only; /graphql never reads
cookies). The session remembers which cart belongs to this visitor (its masked id), so a
returning shopper finds it and the pages can hand it to their scripts."""

import logging

from shop.accounts import storefront_customer
from shop.errors import DomainError
from shop.store import requested_store

from . import customer_carts, services
from .models import Cart

logger = logging.getLogger("cart.session_carts")

SESSION_CART_KEY = "guest_cart_id"
# Every cart this session has owned, so the confirmation page can tell "my order" from
# someone else's after the cart became inactive.
SESSION_CART_HISTORY_KEY = "guest_cart_ids"
MAX_HISTORY = 20


def _cart_key() -> str:
    """The session key of this store's guest cart: each store (its /<code>/ pages) has its own
    cart in its own currency; the default store's key is the one used before markets."""
    found = requested_store()
    if found is None or found.is_default:
        return SESSION_CART_KEY
    return f"{SESSION_CART_KEY}:{found.code}"


def session_cart(request) -> Cart | None:
    """The active guest cart this session owns, or None.

    A cart that became inactive (it was ordered) is forgotten here, so the next add starts a
    new one. A signed-in customer's cart is their customer cart (``cart.customer_carts``).
    """
    customer = storefront_customer(request)
    if customer is not None:
        return customer_carts.active_customer_cart(customer)
    key = _cart_key()
    masked_id = request.session.get(key)
    if not masked_id:
        return None
    cart = Cart.objects.filter(masked_id=masked_id, customer__isnull=True).first()
    if cart is None or not cart.is_active:
        del request.session[key]
        return None
    return cart


def session_cart_or_create(request) -> Cart:
    """The session's active guest cart, created (and remembered) when there is none; for a
    signed-in customer, their customer cart."""
    customer = storefront_customer(request)
    if customer is not None:
        return customer_carts.customer_cart(customer)
    cart = session_cart(request)
    if cart is None:
        cart = services.create_guest_cart()
        request.session[_cart_key()] = cart.masked_id
        history = [cart.masked_id, *request.session.get(SESSION_CART_HISTORY_KEY, [])]
        request.session[SESSION_CART_HISTORY_KEY] = history[:MAX_HISTORY]
    return cart


def session_owns_cart(request, masked_id: str) -> bool:
    """Whether this session created the guest cart ``masked_id`` (active or ordered)."""
    return bool(masked_id) and masked_id in request.session.get(SESSION_CART_HISTORY_KEY, [])


def bring_guest_cart(sender, request, customer, **kwargs) -> None:
    """The cart follows the shopper at sign-in (``shop.accounts.customer_signed_in``): merge the
    session's guest cart into the customer's cart (``mergeCarts``). A cart that cannot be
    merged (being ordered right now, already gone) stays where it is; signing in never fails
    because of it."""
    guest_cart_id = request.session.pop(_cart_key(), None)
    if not guest_cart_id:
        return
    try:
        customer_carts.merge_carts(guest_cart_id, None, customer)
    except DomainError as error:
        logger.info("guest cart not merged at sign-in: %s", error.code)
