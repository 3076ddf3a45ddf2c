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

ADDRESS = {
    "firstname": "Erika",
    "lastname": "Mustermann",
    "street": ["Heidestraße 17"],
    "city": "Köln",
    "postcode": "51147",
    "country_code": "DE",
    "telephone": "+49 221 1234567",
}
READY_CART = """
mutation Ready($cart: String!, $sku: String!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: $sku, quantity: 2}]) { user_errors { code message } }
  setGuestEmailOnCart(input: {cart_id: $cart, email: "erika@example.com"}) { cart { email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""
CREATE_SESSION = """
mutation($cart: String!) {
  createKlarnaPaymentsSession(input: {cart_id: $cart}) {
    client_token
    payment_method_categories { identifier name asset_urls { descriptive standard } }
  }
}
"""
SESSIONS = f"{BASE}/payments/v1/sessions"


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


@pytest.fixture
def new_cart(gql):
    return lambda: gql.data("mutation { createGuestCart { cart { id } } }")["createGuestCart"]["cart"]["id"]


@pytest.fixture
def ready_cart(gql, new_cart, tax_rates, product):
    cart_id = new_cart()
    result = gql.data(READY_CART, {"cart": cart_id, "sku": product.sku, "address": ADDRESS})
    assert result["addProductsToCart"]["user_errors"] == []
    return cart_id


@pytest.fixture
def opened(gql, ready_cart, klarna_http):
    """A ready cart with a Klarna session s1; the HTTP log is cleared afterwards."""
    klarna_http.post(SESSIONS, json=session_created("s1"))
    gql.data(CREATE_SESSION, {"cart": ready_cart})
    klarna_http.calls.reset()
    klarna_http.reset()
    return ready_cart
