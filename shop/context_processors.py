import json

from django.conf import settings

from .accounts import page_token, storefront_customer
from .js_messages import script_messages
from .money import page_currency, script_money_format, store_locale


def store(request):
    """Store facts every template may show; the customer is looked up only when shown (the
    cart's facts come from ``cart.context_processors``)."""
    return {
        "STORE_NAME": settings.STORE_NAME,
        "STORE_CURRENCY": page_currency(),
        "STORE_CODE": _store(request).code if _store(request) else settings.STORE_CODE,
        "STORE_LOCALE": store_locale(),
        "SCRIPT_MESSAGES": script_messages,
        "MONEY_FORMAT": lambda: json.dumps(script_money_format(), ensure_ascii=False),
        "PRICES_INCLUDE_TAX": _store(request).prices_include_tax
        if _store(request)
        else settings.PRICES_INCLUDE_TAX,
        # The store switcher's and hreflang's links: this page in every store.
        "store_links": lambda: _store_links(request),
        "customer": lambda: storefront_customer(request),
        "customer_token": lambda: _customer_token(request),
    }


def _customer_token(request) -> str:
    """The signed-in customer's /graphql bearer token for the page's scripts (see shop.accounts)."""
    return page_token(request) if hasattr(request, "session") else ""


def _store(request):
    return getattr(request, "store", None)


def _store_links(request) -> list[dict]:
    from .store import all_stores
    from .store_urls import hreflang, path_in_store

    current = _store(request)
    current_code = current.code if current else settings.STORE_CODE
    links = []
    for found in all_stores():
        path = path_in_store(request, found)
        links.append(
            {
                "code": found.code,
                "name": found.name,
                "currency": found.currency,
                "hreflang": hreflang(found),
                "href": path,
                "url": request.build_absolute_uri(path),
                "is_current": found.code == current_code,
                "is_default": found.is_default,
            }
        )
    return links
