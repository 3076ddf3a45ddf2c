from django.conf import settings


def store(request):
    """Store facts every template may show."""
    return {
        "STORE_NAME": settings.STORE_NAME,
        "STORE_CURRENCY": settings.STORE_CURRENCY,
        "PRICES_INCLUDE_TAX": settings.PRICES_INCLUDE_TAX,
    }
