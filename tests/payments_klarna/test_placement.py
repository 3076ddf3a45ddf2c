"""The services placeOrder calls: prepare (cart changed?), create order, release, cancel."""

import json

import pytest
import requests

from cart.models import Cart
from payments_klarna import services
from payments_klarna.models import KlarnaSession
from shop.errors import DomainError

from .conftest import BASE, klarna_error
from .test_session_graphql import SET_PAYMENT, calls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("klarna_playground")]

URLS = {"confirmation": "https://shop.example/checkout/success/100000001/"}
ORDER_URL = f"{BASE}/payments/v1/authorizations/auth-tok/order"


@pytest.fixture
def authorized(gql, opened, klarna_http):
    gql.data(
        SET_PAYMENT,
        {"cart": opened, "code": "klarna_pay_later", "klarna": {"authorization_token": "auth-tok"}},
    )
    return Cart.objects.get(masked_id=opened)


def test_prepare_without_token_is_token_missing(opened):
    with pytest.raises(DomainError) as caught:
        services.prepare_klarna_placement(Cart.objects.get(masked_id=opened))

    assert str(caught.value) == "No authorization token provided!"


def test_prepare_unchanged_cart_returns_the_authorized_payload_without_calling_klarna(
    authorized, klarna_http
):
    placement = services.prepare_klarna_placement(authorized)

    assert placement.authorization_token == "auth-tok"
    assert placement.order_amount == placement.payload["order_amount"] == 4498
    assert (placement.currency, placement.country, placement.authorized_category) == (
        "EUR",
        "DE",
        "pay_later",
    )
    assert "auth-tok" not in repr(placement)
    assert calls(klarna_http) == []


def test_prepare_changed_cart_resyncs_klarna_and_asks_to_authorize_again(gql, authorized, klarna_http):
    klarna_http.post(f"{BASE}/payments/v1/sessions/s1", status=204)
    gql.data(
        'mutation($c: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: "other@example.com"}) { cart { email } } }',
        {"c": authorized.masked_id},
    )

    with pytest.raises(DomainError) as caught:
        services.prepare_klarna_placement(authorized)

    assert caught.value.code == "klarna_cart_changed"
    assert "authorize the payment again" in str(caught.value)
    assert calls(klarna_http) == [("POST", "/payments/v1/sessions/s1")]
    with pytest.raises(DomainError):  # the stale token never becomes chargeable; no second update
        services.prepare_klarna_placement(authorized)
    assert len(klarna_http.calls) == 1


def test_create_order_sends_payload_reference_and_urls_and_completes_the_session(authorized, klarna_http):
    klarna_http.post(
        ORDER_URL,
        json={
            "order_id": "kl-order-1",
            "fraud_status": "ACCEPTED",
            "redirect_url": "https://klarna.example/r",
            "authorized_payment_method": {"type": "invoice"},
        },
    )
    placement = services.prepare_klarna_placement(authorized)

    result = services.create_klarna_order(placement, "100000001", URLS)

    assert result == services.KlarnaOrderResult(
        order_id="kl-order-1",
        fraud_status="ACCEPTED",
        redirect_url="https://klarna.example/r",
        authorized_payment_method="invoice",
    )
    body = json.loads(klarna_http.calls[0].request.body)
    assert body == {**placement.payload, "merchant_reference1": "100000001", "merchant_urls": URLS}
    assert KlarnaSession.objects.get().status == "completed"
    assert calls(klarna_http) == [("POST", "/payments/v1/authorizations/auth-tok/order")]


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (409, klarna_error("BAD_VALUE", "Not matching fields: [order_amount]"), "declined"),
        (400, klarna_error("BAD_VALUE", "Bad value: order_lines"), "declined"),
        (404, klarna_error("NOT_FOUND", "Invalid authorization token"), "declined"),
        (403, klarna_error("REJECTED", "Rejected"), "rejected"),
        (403, klarna_error("PERMISSION_DENIED", "Denied"), "failed"),
    ],
)
def test_create_order_4xx_releases_the_token_and_forgets_it(authorized, klarna_http, status, body, kind):
    klarna_http.post(ORDER_URL, status=status, json=body)
    klarna_http.delete(f"{BASE}/payments/v1/authorizations/auth-tok", status=204)
    placement = services.prepare_klarna_placement(authorized)

    with pytest.raises(services.KlarnaPlacementError) as caught:
        services.create_klarna_order(placement, "100000001", URLS)

    assert caught.value.kind == kind
    assert "Not matching" not in str(caught.value) and "auth-tok" not in str(caught.value)
    assert calls(klarna_http)[-1] == ("DELETE", "/payments/v1/authorizations/auth-tok")
    session = KlarnaSession.objects.get()
    assert (session.authorization_token, session.status) == (None, "active")


@pytest.mark.parametrize(
    "failure",
    [
        {"body": requests.ReadTimeout("read timed out")},
        {"body": requests.ConnectionError("Connection aborted.")},
        {"status": 500, "json": klarna_error("INTERNAL_SERVER_ERROR", "Oops")},
        {"status": 503, "json": klarna_error("TEMPORARILY_UNAVAILABLE", "Later")},
        {"status": 200, "body": "<html>"},
    ],
)
def test_create_order_uncertain_outcome_keeps_the_token(authorized, klarna_http, failure):
    klarna_http.post(ORDER_URL, **failure)
    placement = services.prepare_klarna_placement(authorized)

    with pytest.raises(services.KlarnaPlacementError) as caught:
        services.create_klarna_order(placement, "100000001", URLS)

    assert caught.value.kind == "uncertain"
    assert calls(klarna_http) == [("POST", "/payments/v1/authorizations/auth-tok/order")]
    assert KlarnaSession.objects.get().authorization_token == "auth-tok"


@pytest.mark.parametrize("status", [401, 429])
def test_create_order_credentials_or_rate_limit_failure_keeps_the_token(authorized, klarna_http, status):
    klarna_http.post(ORDER_URL, status=status)
    placement = services.prepare_klarna_placement(authorized)

    with pytest.raises(services.KlarnaPlacementError) as caught:
        services.create_klarna_order(placement, "100000001", URLS)

    assert caught.value.kind == "failed"
    assert str(caught.value) == "Unable to authorize payment/place the order."
    assert len(klarna_http.calls) == 1
    assert KlarnaSession.objects.get().authorization_token == "auth-tok"


def test_cancel_klarna_order_uses_a_stable_idempotency_key_and_retries(klarna_http):
    url = f"{BASE}/ordermanagement/v1/orders/kl-order-1/cancel"
    klarna_http.post(url, status=503, json=klarna_error("TEMPORARILY_UNAVAILABLE", "Later"))
    klarna_http.post(url, status=204)

    services.cancel_klarna_order("kl-order-1")

    keys = [call.request.headers["Klarna-Idempotency-Key"] for call in klarna_http.calls]
    assert keys == [services.cancel_idempotency_key("kl-order-1")] * 2
    assert services.cancel_idempotency_key("kl-order-1") != services.cancel_idempotency_key("kl-order-2")


def test_cancel_klarna_order_refused_raises_klarna_error(klarna_http):
    klarna_http.post(
        f"{BASE}/ordermanagement/v1/orders/kl-order-1/cancel",
        status=403,
        json=klarna_error("CANCEL_NOT_ALLOWED", "Order has previous captures. Cancel not possible"),
    )

    with pytest.raises(services.KlarnaError) as caught:
        services.cancel_klarna_order("kl-order-1")

    assert caught.value.error_code == "CANCEL_NOT_ALLOWED"
    assert len(klarna_http.calls) == 1
