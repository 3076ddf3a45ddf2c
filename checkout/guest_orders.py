"""A guest finds an order again: order number, the email it was placed with and the billing
postcode (Magento's "Orders and Returns"). All three must match; attempts are throttled per
client address and per order number across every app server (``shop.throttle``), so neither
numbers nor postcodes can be guessed in bulk. A match is remembered in the visitor's session
only (``remember``/``remembered``); nothing is cacheable.
"""

from shop import throttle
from shop.errors import DomainError

from .models import Order, OrderAddress

SCOPE = "guest-order-lookup"
ATTEMPTS = 5
WINDOW = 15 * 60
SESSION_KEY = "guest_orders"


def _postcode(value: str) -> str:
    return "".join((value or "").split()).upper()


def find(number: str, email: str, postcode: str, *, client: str) -> Order:
    """The guest order matching all three, or ``guest_order_not_found`` (the same answer
    whichever part is wrong). Raises ``guest_order_too_many`` after ``ATTEMPTS`` failures per
    ``WINDOW`` for this client or this order number."""
    number, email = (number or "").strip().lstrip("#"), (email or "").strip()
    for key in (f"client:{client}", f"order:{number}"):
        if throttle.count(SCOPE, key, window=WINDOW) >= ATTEMPTS:
            raise DomainError("guest_order_too_many")
    order = (
        Order.objects.filter(number=number, customer__isnull=True, email__iexact=email)
        .prefetch_related("items", "addresses")
        .first()
        if number and email
        else None
    )
    billing = next(
        (a for a in (order.addresses.all() if order else []) if a.kind == OrderAddress.Kind.BILLING), None
    )
    if order is None or billing is None or _postcode(billing.postcode) != _postcode(postcode):
        for key in (f"client:{client}", f"order:{number}"):
            throttle.hit(SCOPE, key, limit=ATTEMPTS, window=WINDOW)
        raise DomainError("guest_order_not_found")
    return order


def remember(session, order: Order) -> None:
    """Let this browser session see ``order`` (after a successful lookup)."""
    numbers = [n for n in session.get(SESSION_KEY, []) if n != order.number][-9:]
    session[SESSION_KEY] = [*numbers, order.number]


def remembered(session, number: str) -> Order | None:
    """The guest order ``number`` if this session looked it up, else None."""
    if number not in session.get(SESSION_KEY, []):
        return None
    return Order.objects.filter(number=number, customer__isnull=True).prefetch_related("items", "addresses").first()
