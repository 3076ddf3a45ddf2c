"""Orders placed without an account.

Finding one again: order number, the email it was placed with and the billing postcode
(Magento's "Orders and Returns"). All three must match; attempts are throttled per client
address and per order number across every app server (``shop.throttle``), so neither numbers
nor postcodes can be guessed in bulk. A match is remembered in the visitor's session only
(``remember``/``remembered``); nothing is cacheable.

Adding them to an account: a customer whose account uses the email of earlier guest orders
asks for a link (``send_link``), sent to that address; opening it while signed in
(``link_orders``) moves every guest order of the address into the account. Until the address
is proven that way nothing about those orders is shown (not even whether there are any).
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from shop import throttle
from shop.errors import DomainError

from .models import Order, OrderAddress

logger = logging.getLogger("checkout.guest_orders")

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
    return (
        Order.objects.filter(number=number, customer__isnull=True)
        .prefetch_related("items", "addresses")
        .first()
    )


# --- adding guest orders to an account ------------------------------------------------------------

LINK_SCOPE = "guest-orders-link"
LINKS_PER_HOUR = 3


class _LinkTokens(PasswordResetTokenGenerator):
    """Django's timestamped HMAC, salted for this purpose and bound to the account's current
    email: a link stops working when the email changes, and expires with password-reset links."""

    key_salt = "checkout.guest_orders.link"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email.lower()}{timestamp}"


link_tokens = _LinkTokens()


def send_link(user) -> None:
    """Email the customer a link that adds the guest orders of their address to the account.
    Sent whether or not there are any (the page must not tell). Throttled per account."""
    if not throttle.hit(LINK_SCOPE, str(user.pk), limit=LINKS_PER_HOUR, window=3600).allowed:
        raise DomainError("guest_order_too_many")
    link = f"{settings.SITE_URL}{reverse('accounts:link-orders')}?token={link_tokens.make_token(user)}"
    context = {
        "customer": user,
        "link": link,
        "store_name": settings.STORE_NAME,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"Add your earlier orders to your {settings.STORE_NAME} account",
        body=render_to_string("emails/link_orders.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/link_orders.html", context), "text/html")
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail backend
        logger.warning("order link email for user %s not sent: %s", user.pk, type(error).__name__)
        raise DomainError("email_not_sent") from None


def link_orders(user, token: str) -> int:
    """With a valid link token of this customer: every guest order placed with the account's
    email joins the account. Returns how many; raises ``guest_orders_link_invalid``."""
    if not token or not link_tokens.check_token(user, token):
        raise DomainError("guest_orders_link_invalid")
    with transaction.atomic():
        count = Order.objects.filter(customer__isnull=True, email__iexact=user.email).update(customer=user)
    logger.info("%s guest orders added to user %s", count, user.pk)
    return count
