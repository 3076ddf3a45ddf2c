"""Customers for /graphql tests: accounts, bearer headers, and customer carts ready to place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop import customers
from shop.models import CustomerToken
from tests.checkout_fixtures import ADDRESS

PASSWORD = "Correct-Horse-42"

CUSTOMER_READY = """
mutation Ready($cart: String!, $sku: String!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: $sku, quantity: 2}]) { user_errors { code message } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
  setPaymentMethodOnCart(input: {cart_id: $cart, payment_method: {code: "checkmo"}}) { cart { id } }
}
"""


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def make_customer(db):
    def make(email="anna@example.com", firstname="Anna", lastname="Muster", password=PASSWORD):
        return customers.create_customer(
            email=email, firstname=firstname, lastname=lastname, password=password
        )

    return make


@pytest.fixture
def anna(make_customer):
    return make_customer()


@pytest.fixture
def ben(make_customer):
    return make_customer(email="ben@example.com", firstname="Ben", lastname="Other")


@pytest.fixture
def token_of():
    def issue(user) -> str:
        return customers.issue_token(user).token

    return issue


@pytest.fixture
def anna_auth(anna, token_of) -> dict:
    return bearer(token_of(anna))


@pytest.fixture
def expired_auth(anna, token_of) -> dict:
    token = token_of(anna)
    CustomerToken.objects.filter(user=anna).update(expires_at=timezone.now() - timedelta(seconds=1))
    return bearer(token)


@pytest.fixture
def revoked_auth(anna, token_of) -> dict:
    token = token_of(anna)
    customers.revoke_token(token)
    return bearer(token)


@pytest.fixture
def customer_cart_id(gql):
    def make(auth: dict) -> str:
        return gql.data("{ customerCart { id } }", **auth)["customerCart"]["id"]

    return make


@pytest.fixture
def ready_customer_cart(gql, customer_cart_id, tax_rates, product):
    """The customer's cart with 2 x product, addresses, flat rate and checkmo."""

    def make(auth: dict) -> str:
        cart_id = customer_cart_id(auth)
        result = gql.data(CUSTOMER_READY, {"cart": cart_id, "sku": product.sku, "address": ADDRESS}, **auth)
        assert result["addProductsToCart"]["user_errors"] == []
        return cart_id

    return make
