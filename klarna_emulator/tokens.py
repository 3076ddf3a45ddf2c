"""The client token: a real HS256 JWT, signed with a key derived from SECRET_KEY.

Its payload carries ``session_id`` and ``base_url`` (the emulator root the widget talks to). The
browser-facing SDK endpoints accept the token as the shopper's credential, like Klarna's do.
"""

import base64
import hashlib
import hmac
import json

from django.conf import settings


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key() -> bytes:
    return hashlib.sha256(f"klarna-emulator:{settings.SECRET_KEY}".encode()).digest()


def issue_client_token(claims: dict) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = _b64(hmac.new(_key(), signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def read_client_token(token: str) -> dict | None:
    """The claims of a token this emulator signed, or None."""
    if not isinstance(token, str) or token.count(".") != 2:
        return None
    header, payload, signature = token.split(".")
    expected = _b64(hmac.new(_key(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        return json.loads(_unb64(payload))
    except ValueError:
        return None
