"""Secrets and URLs of Klarna's calls to the shop that are set on the *session*
(``merchant_urls.authorization``).

The authorization-callback secret is derived, not stored: HMAC-SHA256 of the cart's masked id
under ``SECRET_KEY``. Klarna gets it in the session's ``merchant_urls.authorization`` at
create-session time; the callback handler recomputes it for the session named in the body
and compares in constant time, so a URL for one cart can never act on another.
"""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

AUTHORIZATION_PURPOSE = "klarna-authorization:"


def authorization_secret(masked_id: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), (AUTHORIZATION_PURPOSE + masked_id).encode(), hashlib.sha256
    ).hexdigest()


def authorization_secret_matches(secret: str, masked_id: str) -> bool:
    return hmac.compare_digest(secret.encode(), authorization_secret(masked_id).encode())


def authorization_url(masked_id: str) -> str:
    return settings.SITE_URL + reverse("klarna:authorization", args=[authorization_secret(masked_id)])
