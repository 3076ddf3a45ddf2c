"""The storefront's signed-in customer: cookie sessions for the pages, a bearer token for
the pages' scripts.

Pages use Django's session login (CSRF-protected forms). /graphql never trusts that cookie;
it authenticates only by ``Authorization: Bearer``. So at sign-in we issue a customer token,
keep it in the server-side session and render it into each page for ``static/js/graphql.js``.

Trade-off: a script running in the page can read the token, exactly as it could read a token
returned by a fetch endpoint; it is short-lived (CUSTOMER_TOKEN_LIFETIME, renewed while the
session lasts), revoked at sign-out, and never put in a cookie, so a cross-site request cannot
use it. Pages that carry it vary on the session cookie and are not cacheable by shared caches.
"""

from datetime import datetime, timedelta

from django.dispatch import Signal
from django.utils import timezone

from shop import customers

# Sent right after a storefront sign-in (session login), with ``request`` and ``customer``: the
# cart app brings the session's guest cart along (``cart.session_carts.bring_guest_cart``).
customer_signed_in = Signal()

SESSION_TOKEN_KEY = "customer_token"
# Renew the page token this long before it expires, so a script never starts with a dying one.
RENEW_BEFORE = timedelta(minutes=10)


def storefront_customer(request):
    """The signed-in customer of a page request, or None (guests, staff users)."""
    user = getattr(request, "user", None)
    return user if customers.is_customer(user) else None


def page_token(request) -> str:
    """The bearer token for this page's scripts ("" for guests); issued and renewed as needed."""
    customer = storefront_customer(request)
    if customer is None:
        return ""
    stored = request.session.get(SESSION_TOKEN_KEY) or {}
    expires = stored.get("expires_at")
    fresh = expires and datetime.fromisoformat(expires) - RENEW_BEFORE > timezone.now()
    if stored.get("token") and fresh and customers.customer_for_token(stored["token"]) == customer:
        return stored["token"]
    if stored.get("token"):
        customers.revoke_token(stored["token"])
    issued = customers.issue_token(customer)
    request.session[SESSION_TOKEN_KEY] = {"token": issued.token, "expires_at": issued.expires_at.isoformat()}
    return issued.token


def forget_page_token(request) -> None:
    stored = request.session.pop(SESSION_TOKEN_KEY, None) or {}
    if stored.get("token"):
        customers.revoke_token(stored["token"])
