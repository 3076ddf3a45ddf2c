"""Klarna test helpers: playground settings so ``responses`` intercepts, no real sleeping."""

import pytest
import responses

BASE = "https://api.playground.klarna.com"
CLIENT_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiczEifQ.c2lnbmF0dXJl"
CATEGORIES = [
    {
        "identifier": "pay_later",
        "name": "Pay later in 30 days",
        "asset_urls": {
            "descriptive": "https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg",
            "standard": "https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg",
        },
    },
    {"identifier": "pay_over_time", "name": "Buy now, pay later", "asset_urls": {}},
]


@pytest.fixture
def klarna_playground(settings, monkeypatch):
    settings.KLARNA_API_URL = BASE
    settings.KLARNA_ENVIRONMENT = "playground"
    settings.KLARNA_REGION = "eu"
    settings.KLARNA_API_USERNAME = "u"
    settings.KLARNA_API_PASSWORD = "p-secret-password"
    settings.KLARNA_ENABLED = True
    monkeypatch.setattr("payments_klarna.client._sleep", lambda seconds: None)
    return settings


@pytest.fixture
def klarna_http(klarna_playground):
    """Every HTTP call must be registered; anything else fails the test (no real network)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def session_created(session_id="s1", categories=None):
    return {
        "session_id": session_id,
        "client_token": CLIENT_TOKEN,
        "payment_method_categories": CATEGORIES if categories is None else categories,
    }


def session_read(session_id="s1", categories=None, status="incomplete"):
    return {
        **session_created(session_id, categories),
        "status": status,
        "expires_at": "2030-01-01T00:00:00Z",
    }


def klarna_error(code="BAD_VALUE", message="Bad value: order_lines", correlation="corr-1"):
    return {"error_code": code, "error_messages": [message], "correlation_id": correlation}
