import json

from django.conf import settings

from .accounts import page_token, storefront_customer
from .money import script_money_format, store_locale


def store(request):
    """Store facts every template may show; the customer is looked up only when shown (the
    cart's facts come from ``cart.context_processors``)."""
    return {
        "STORE_NAME": settings.STORE_NAME,
        "STORE_CURRENCY": settings.STORE_CURRENCY,
        "STORE_LOCALE": store_locale(),
        "MONEY_FORMAT": lambda: json.dumps(script_money_format(), ensure_ascii=False),
        "PRICES_INCLUDE_TAX": settings.PRICES_INCLUDE_TAX,
        "customer": lambda: storefront_customer(request),
        "customer_token": lambda: _customer_token(request),
    }


def _customer_token(request) -> str:
    """The signed-in customer's /graphql bearer token for the page's scripts (see shop.accounts)."""
    return page_token(request) if hasattr(request, "session") else ""
