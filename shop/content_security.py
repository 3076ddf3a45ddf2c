"""The Content-Security-Policy of every response (served by django-csp's middleware).

PCI DSS 4.0 (6.4.3) asks a merchant to control every script of a payment page: scripts run only
from the shop and from Klarna; the few inline ones (GraphiQL) carry the request's nonce. Klarna's
hosts: its SDK (x.klarnacdn.net), widget frames and API calls (*.klarna.com,
*.klarnaservices.com), badges (*.klarnacdn.net) and its event beacon (*.klarnaevt.com). In
emulator mode no request leaves the shop, so only 'self' (plus the origin of a
``KLARNA_JS_SDK_URL`` that points elsewhere). Plain Python: read by ``shop.settings``.
"""

from csp.constants import NONCE, NONE, SELF

KLARNA_HOSTS = (
    "https://*.klarna.com",
    "https://*.klarnacdn.net",
    "https://*.klarnaservices.com",
    "https://*.klarnaevt.com",
)


def klarna_sources(*, emulator: bool, enabled: bool, sdk_url: str = "", extra=()) -> list[str]:
    """The origins Klarna's widget needs for this configuration."""
    sources = [] if emulator or not enabled else list(KLARNA_HOSTS)
    sources += [source for source in extra if source]
    if sdk_url.startswith(("https://", "http://")):
        sources.append("/".join(sdk_url.split("/", 3)[:3]))
    return sources


def policy(klarna: list[str]) -> dict:
    """django-csp's ``CONTENT_SECURITY_POLICY`` for the given Klarna origins."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE, *klarna],
            # Klarna's widget sets inline styles on the elements it adds to the page.
            "style-src": [SELF, "'unsafe-inline'", *klarna],
            "img-src": [SELF, "data:", *klarna],
            "font-src": [SELF, "data:", *klarna],
            "connect-src": [SELF, *klarna],
            "frame-src": [SELF, *klarna],
            "frame-ancestors": [NONE],
            "form-action": [SELF],
            "base-uri": [SELF],
            "object-src": [NONE],
        }
    }
