"""createKlarnaPaymentsSession, cart.available_payment_methods and setPaymentMethodOnCart
with Klarna, through /graphql, with Klarna's HTTP faked by ``responses``."""

import json
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from payments_klarna.models import KlarnaApiCall, KlarnaSession
from shop.models import TaxRate

from .conftest import (
    ADDRESS,
    BASE,
    CLIENT_TOKEN,
    CREATE_SESSION,
    SESSIONS,
    klarna_error,
    session_created,
    session_read,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("klarna_playground")]

METHODS = "query($cart: String!) { cart(cart_id: $cart) { available_payment_methods { code title } } }"
SET_PAYMENT = """
mutation($cart: String!, $code: String!, $klarna: KlarnaInput) {
  setPaymentMethodOnCart(input: {cart_id: $cart, payment_method: {code: $code, klarna: $klarna}}) {
    cart { selected_payment_method { code title } }
  }
}
"""
BADGE = "https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg"


def calls(mock):
    return [(call.request.method, call.request.url.removeprefix(BASE)) for call in mock.calls]


# --- createKlarnaPaymentsSession -------------------------------------------------------------------


def test_create_session_returns_client_token_and_categories(gql, ready_cart, klarna_http):
    klarna_http.post(SESSIONS, json=session_created("s1"))

    data = gql.data(CREATE_SESSION, {"cart": ready_cart})

    assert data["createKlarnaPaymentsSession"] == {
        "client_token": CLIENT_TOKEN,
        "payment_method_categories": [
            {
                "identifier": "pay_later",
                "name": "Pay later in 30 days",
                "asset_urls": [{"descriptive": BADGE, "standard": BADGE}],
            },
            {"identifier": "pay_over_time", "name": "Buy now, pay later", "asset_urls": []},
        ],
    }
    assert calls(klarna_http) == [("POST", "/payments/v1/sessions")]
    sent = json.loads(klarna_http.calls[0].request.body)
    # The store locale (en-DE): the widget writes amounts as the page does.
    assert (sent["purchase_country"], sent["purchase_currency"], sent["locale"]) == ("DE", "EUR", "en-DE")
    assert sent["order_amount"] == 2 * 1999 + 500
    session = KlarnaSession.objects.get()
    assert (session.session_id, session.status, session.amount) == ("s1", "active", 4498)
    assert session.expires_at > timezone.now() + timedelta(hours=47)
    assert session.api_calls.count() == 1
    assert session.payload["billing_address"]["email"] == "[redacted]"


def test_create_session_again_without_cart_change_calls_klarna_not_at_all(gql, opened, klarna_http):
    data = gql.data(CREATE_SESSION, {"cart": opened})

    assert data["createKlarnaPaymentsSession"]["client_token"] == CLIENT_TOKEN
    assert calls(klarna_http) == []


def test_create_session_after_cart_change_updates_and_reads_back(gql, opened, klarna_http, product):
    klarna_http.post(f"{SESSIONS}/s1", status=204)
    klarna_http.get(
        f"{SESSIONS}/s1",
        json=session_read("s1", categories=[{"identifier": "klarna", "name": "Pay with Klarna"}]),
    )
    gql.data(
        "mutation($c: String!, $s: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: $s, quantity: 1}]) { cart { id } } }",
        {"c": opened, "s": product.sku},
    )

    data = gql.data(CREATE_SESSION, {"cart": opened})

    assert calls(klarna_http) == [("POST", "/payments/v1/sessions/s1"), ("GET", "/payments/v1/sessions/s1")]
    assert json.loads(klarna_http.calls[0].request.body)["order_amount"] == 3 * 1999 + 500
    assert data["createKlarnaPaymentsSession"]["payment_method_categories"][0]["identifier"] == "klarna"
    assert KlarnaSession.objects.get().amount == 6497


def test_expired_session_is_replaced_by_a_new_one(gql, opened, klarna_http):
    KlarnaSession.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    klarna_http.post(SESSIONS, json=session_created("s2"))

    gql.data(CREATE_SESSION, {"cart": opened})

    assert calls(klarna_http) == [("POST", "/payments/v1/sessions")]
    assert dict(KlarnaSession.objects.values_list("session_id", "status")) == {
        "s1": "replaced",
        "s2": "active",
    }


def test_session_unknown_to_klarna_is_replaced(gql, opened, klarna_http):
    KlarnaSession.objects.update(payload_hash="stale")
    klarna_http.post(f"{SESSIONS}/s1", status=404, json=klarna_error("NOT_FOUND", "Invalid session id"))
    klarna_http.post(SESSIONS, json=session_created("s2"))

    gql.data(CREATE_SESSION, {"cart": opened})

    assert calls(klarna_http) == [("POST", "/payments/v1/sessions/s1"), ("POST", "/payments/v1/sessions")]
    assert dict(KlarnaSession.objects.values_list("session_id", "status")) == {"s1": "gone", "s2": "active"}


def test_country_change_replaces_the_session_with_the_new_market(gql, opened, klarna_http, settings):
    settings.KLARNA_ENVIRONMENT = "emulator"  # region check off; the URL still points at responses
    klarna_http.post(SESSIONS, json=session_created("s2"))
    gql.data(
        "mutation($c: String!, $a: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $c, billing_address: {address: $a}}) { cart { id } } }",
        {"c": opened, "a": {**ADDRESS, "country_code": "AT", "postcode": "1010", "city": "Wien"}},
    )

    gql.data(CREATE_SESSION, {"cart": opened})

    assert calls(klarna_http) == [("POST", "/payments/v1/sessions")]
    assert json.loads(klarna_http.calls[0].request.body)["locale"] == "en-AT"
    assert KlarnaSession.objects.get(status="active").market == ("AT", "EUR", "en-AT")


@pytest.mark.parametrize("cart_id", ["", None])
def test_missing_cart_id_is_refused(gql, cart_id):
    query = "mutation($c: String!) { createKlarnaPaymentsSession(input: {cart_id: $c}) { client_token } }"
    if cart_id is None:
        query = "mutation { createKlarnaPaymentsSession { client_token } }"

    error = gql.error(query, {"c": cart_id} if cart_id is not None else None)

    assert error["message"] == "Required parameter 'cart_id' is missing"
    assert error["extensions"]["category"] == "graphql-input"


def test_disabled_klarna_is_not_active(gql, ready_cart, settings, klarna_http):
    settings.KLARNA_ENABLED = False

    error = gql.error(CREATE_SESSION, {"cart": ready_cart})

    assert error["message"] == "Klarna Payments method is not active"
    assert calls(klarna_http) == []


def test_empty_cart_is_not_available_for_klarna(gql, new_cart, klarna_http):
    error = gql.error(CREATE_SESSION, {"cart": new_cart()})

    assert error["message"] == "Klarna Payments is not available for this cart."
    assert error["extensions"]["category"] == "graphql-input"
    assert calls(klarna_http) == []


def test_country_klarna_does_not_serve_in_store_currency_is_not_available(gql, ready_cart, klarna_http):
    TaxRate.objects.create(country="SE", tax_class="standard", rate=25, label="Moms")
    gql.data(
        "mutation($c: String!, $a: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $c, billing_address: {address: $a}}) { cart { id } } }",
        {"c": ready_cart, "a": {**ADDRESS, "country_code": "SE", "postcode": "11122", "city": "Stockholm"}},
    )

    error = gql.error(CREATE_SESSION, {"cart": ready_cart})

    assert error["message"] == "Klarna Payments is not available for this cart."
    assert calls(klarna_http) == []


def test_unknown_cart_gets_the_core_cart_error(gql, klarna_http):
    error = gql.error(CREATE_SESSION, {"cart": "nope"})

    assert error["message"] == 'Could not find a cart with ID "nope"'
    assert error["extensions"]["category"] == "graphql-no-such-entity"


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 401, "body": "Unauthorized"},
        {"status": 400, "json": klarna_error("BAD_VALUE", "Bad value: order_lines")},
        {"status": 503, "json": klarna_error("TEMPORARILY_UNAVAILABLE", "down")},
        {"body": requests.ReadTimeout("Read timed out. (read timeout=10)")},
    ],
)
def test_klarna_failure_is_a_safe_input_error(gql, ready_cart, klarna_http, failure):
    klarna_http.post(SESSIONS, **failure)

    error = gql.error(CREATE_SESSION, {"cart": ready_cart})

    assert error["message"] == (
        "Klarna Payments is temporarily unavailable. Please try again or choose another payment method."
    )
    assert error["extensions"] == {"category": "graphql-input"}
    assert not KlarnaSession.objects.exists()
    assert KlarnaApiCall.objects.count() == 1


# --- available_payment_methods ---------------------------------------------------------------------


def test_cart_without_klarna_session_lists_other_methods_without_calling_klarna(gql, ready_cart, klarna_http):
    data = gql.data(METHODS, {"cart": ready_cart})

    assert data["cart"]["available_payment_methods"] == [{"code": "checkmo", "title": "Check / Money order"}]
    assert calls(klarna_http) == []


def test_unchanged_cart_reads_klarna_once_and_lists_klarna_first(gql, opened, klarna_http):
    klarna_http.get(f"{SESSIONS}/s1", json=session_read("s1"))

    data = gql.data(METHODS, {"cart": opened})

    assert data["cart"]["available_payment_methods"] == [
        {"code": "klarna_pay_later", "title": "Pay later in 30 days"},
        {"code": "klarna_pay_over_time", "title": "Buy now, pay later"},
        {"code": "checkmo", "title": "Check / Money order"},
    ]
    assert calls(klarna_http) == [("GET", "/payments/v1/sessions/s1")]


def test_changed_cart_is_sent_to_klarna_then_read_back(gql, opened, klarna_http):
    klarna_http.post(f"{SESSIONS}/s1", status=204)
    klarna_http.get(
        f"{SESSIONS}/s1",
        json=session_read("s1", categories=[{"identifier": "klarna", "name": "Pay with Klarna"}]),
    )
    gql.data(
        'mutation($c: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: "new@example.com"}) { cart { email } } }',
        {"c": opened},
    )

    data = gql.data(METHODS, {"cart": opened})

    assert calls(klarna_http) == [("POST", "/payments/v1/sessions/s1"), ("GET", "/payments/v1/sessions/s1")]
    assert data["cart"]["available_payment_methods"][0] == {
        "code": "klarna_klarna",
        "title": "Pay with Klarna",
    }
    klarna_http.calls.reset()
    gql.data(METHODS, {"cart": opened})
    assert calls(klarna_http) == [("GET", "/payments/v1/sessions/s1")]  # the update was remembered


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 503, "json": klarna_error("TEMPORARILY_UNAVAILABLE", "down")},
        {"body": requests.ConnectionError("reset")},
    ],
)
def test_klarna_down_leaves_klarna_out_and_the_query_still_answers(gql, opened, klarna_http, failure):
    klarna_http.get(f"{SESSIONS}/s1", **failure)

    data = gql.data(METHODS, {"cart": opened})

    assert data["cart"]["available_payment_methods"] == [{"code": "checkmo", "title": "Check / Money order"}]
    assert len(klarna_http.calls) == 1  # no retries inside the cart query
    assert KlarnaApiCall.objects.filter(method="GET").count() == 1


# --- setPaymentMethodOnCart ------------------------------------------------------------------------


def test_klarna_method_stores_the_token_without_echoing_it_or_calling_klarna(gql, opened, klarna_http):
    result = gql.post(
        SET_PAYMENT,
        {"cart": opened, "code": "klarna_pay_later", "klarna": {"authorization_token": "auth-tok-123"}},
    )

    assert result["data"]["setPaymentMethodOnCart"]["cart"]["selected_payment_method"] == {
        "code": "klarna_pay_later",
        "title": "Pay later",
    }
    assert "auth-tok-123" not in json.dumps(result)
    assert calls(klarna_http) == []
    session = KlarnaSession.objects.get()
    assert (session.authorization_token, session.authorized_category) == ("auth-tok-123", "pay_later")
    assert session.authorized_payload_hash == session.payload_hash
    klarna_http.get(f"{SESSIONS}/s1", json=session_read("s1"))
    everything = gql.post(
        "query($c: String!) { cart(cart_id: $c) { selected_payment_method { code title } available_payment_methods { code title } } }",
        {"c": opened},
    )
    assert "auth-tok-123" not in json.dumps(everything)


@pytest.mark.parametrize("klarna", [None, {"authorization_token": ""}, {"authorization_token": "  "}])
def test_klarna_method_without_token_is_refused(gql, opened, klarna):
    error = gql.error(SET_PAYMENT, {"cart": opened, "code": "klarna_pay_later", "klarna": klarna})

    assert error["message"] == "No authorization token provided!"
    assert error["extensions"]["category"] == "graphql-input"


def test_klarna_category_not_offered_is_not_available(gql, opened):
    error = gql.error(
        SET_PAYMENT, {"cart": opened, "code": "klarna_pay_now", "klarna": {"authorization_token": "t"}}
    )

    assert error["message"] == "The requested Payment Method is not available."


def test_klarna_method_without_session_is_not_available(gql, ready_cart):
    error = gql.error(
        SET_PAYMENT, {"cart": ready_cart, "code": "klarna_pay_later", "klarna": {"authorization_token": "t"}}
    )

    assert error["message"] == "The requested Payment Method is not available."


def test_klarna_method_without_shipping_address_is_refused(gql, new_cart, tax_rates, product, klarna_http):
    cart_id = new_cart()
    gql.data(
        "mutation($c: String!, $s: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: $s, quantity: 1}]) { cart { id } } }",
        {"c": cart_id, "s": product.sku},
    )
    klarna_http.post(SESSIONS, json=session_created("s1"))
    gql.data(CREATE_SESSION, {"cart": cart_id})

    error = gql.error(
        SET_PAYMENT, {"cart": cart_id, "code": "klarna_pay_later", "klarna": {"authorization_token": "t"}}
    )

    assert error["message"] == "The shipping address is missing. Set the address and try again."
