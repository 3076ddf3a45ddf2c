"""Checkout fixtures shared by every test folder (registered in tests/conftest.py)."""

import pytest

from klarna_emulator import payments as emulator
from payments_klarna.models import KlarnaSession

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
mutation Ready($cart: String!, $sku: String!, $qty: Float!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: $sku, quantity: $qty}]) { user_errors { code message } }
  setGuestEmailOnCart(input: {cart_id: $cart, email: "erika@example.com"}) { cart { email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""

PLACE_ORDER = """
mutation Place($cart: String!) {
  placeOrder(input: {cart_id: $cart}) {
    order { order_number }
    orderV2 { number token status email total { grand_total { value currency } total_tax { value } } items { product_sku quantity_ordered } }
    errors { code message }
  }
}
"""


@pytest.fixture
def new_cart(gql):
    def make():
        return gql.data("mutation { createGuestCart { cart { id } } }")["createGuestCart"]["cart"]["id"]

    return make


@pytest.fixture
def ready_to_place_cart(gql, new_cart, tax_rates, product):
    """A guest cart with 2 × product, email, addresses and flat-rate shipping; pays by checkmo."""

    def make(payment="checkmo", qty=2):
        cart_id = new_cart()
        result = gql.data(READY_CART, {"cart": cart_id, "sku": product.sku, "qty": qty, "address": ADDRESS})
        assert result["addProductsToCart"]["user_errors"] == []
        if payment:
            gql.data(
                "mutation($c: String!, $code: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: $code}}) { cart { id } } }",
                {"c": cart_id, "code": payment},
            )
        return cart_id

    return make


CREATE_SESSION = """
mutation($c: String!) { createKlarnaPaymentsSession(input: {cart_id: $c}) {
  client_token payment_method_categories { identifier name } } }
"""
SET_KLARNA = """
mutation($c: String!, $code: String!, $token: String!) {
  setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: $code, klarna: {authorization_token: $token}}}) {
    cart { selected_payment_method { code title } } } }
"""


def klarna_billing(email="erika@example.com"):
    return {
        "billing_address": {
            "given_name": ADDRESS["firstname"],
            "family_name": ADDRESS["lastname"],
            "email": email,
            "street_address": ADDRESS["street"][0],
            "postal_code": ADDRESS["postcode"],
            "city": ADDRESS["city"],
            "country": "DE",
            "phone": ADDRESS["telephone"],
        }
    }


@pytest.fixture
def klarna_cart(gql, ready_to_place_cart):
    """A ready cart with a Klarna session, authorized in the emulator, token set on the cart."""

    def make(category="pay_later", email="erika@example.com", qty=2):
        cart_id = ready_to_place_cart(payment=None, qty=qty)
        gql.data(
            "mutation($c: String!, $e: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: $e}) { cart { id } } }",
            {"c": cart_id, "e": email},
        )
        categories = gql.data(CREATE_SESSION, {"c": cart_id})["createKlarnaPaymentsSession"][
            "payment_method_categories"
        ]
        assert category in [c["identifier"] for c in categories]
        session = KlarnaSession.objects.get(cart__masked_id=cart_id, status="active")
        answer = emulator.authorize(session.session_id, category, klarna_billing(email))
        assert answer["approved"], answer
        gql.data(
            SET_KLARNA, {"c": cart_id, "code": f"klarna_{category}", "token": answer["authorization_token"]}
        )
        return cart_id

    return make
