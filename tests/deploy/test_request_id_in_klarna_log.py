"""The shop request's X-Request-ID reaches the Klarna API call records, so staff can follow one
shopper's request from the access log to every Klarna call it made."""

import pytest

from payments_klarna.models import KlarnaApiCall
from tests.checkout_fixtures import CREATE_SESSION

pytestmark = pytest.mark.django_db


def test_klarna_calls_carry_the_request_id_of_the_shop_request(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart(payment=None)

    gql.data(CREATE_SESSION, {"c": cart_id}, HTTP_X_REQUEST_ID="checkout-7f3a.1")

    calls = list(KlarnaApiCall.objects.values_list("method", "path", "http_request_id"))
    assert calls == [("POST", "/payments/v1/sessions", "checkout-7f3a.1")]


def test_klarna_calls_outside_a_request_have_no_request_id(ready_to_place_cart, gql):
    from cart.models import Cart
    from payments_klarna import services

    cart_id = ready_to_place_cart(payment=None)

    services.open_session(Cart.objects.get(masked_id=cart_id))

    assert list(KlarnaApiCall.objects.values_list("http_request_id", flat=True)) == [""]
