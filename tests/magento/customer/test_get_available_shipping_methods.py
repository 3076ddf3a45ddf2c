"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetAvailableShippingMethodsTest.php.

Magento's flat rate is $5 per item (2 items: $10); ours is $10 per order (tests/magento/conftest.py)."""

from decimal import Decimal

import pytest

from shop import customers
from shop.configurable import value_uid
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product, set_shipping_address


def query(masked_quote_id):
    return (
        """
query {
  cart (cart_id: "%s") {
    shipping_addresses {
        available_shipping_methods {
          amount {
            value
            currency
          }
          carrier_code
          carrier_title
          error_message
          method_code
          method_title
          price_excl_tax {
            value
            currency
          }
          price_incl_tax {
            value
            currency
          }
        }
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def cart_with_address(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    return customer_cart


def test_get_available_shipping_methods(gql, cart_with_address, customer_auth):
    response = gql.data(query(cart_with_address), **customer_auth)
    addresses = response["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert len(addresses[0]["available_shipping_methods"]) == 1
    assert addresses[0]["available_shipping_methods"][0] == {
        "amount": {"value": 10, "currency": "USD"},
        "carrier_code": "flatrate",
        "carrier_title": "Flat Rate",
        "error_message": "",
        "method_code": "flatrate",
        "method_title": "Fixed",
        "price_incl_tax": {"value": 10, "currency": "USD"},
        "price_excl_tax": {"value": 10, "currency": "USD"},
    }


def test_get_available_shipping_methods_with_configurable_product(
    gql, configurable_product, customer_cart, customer_auth, settings
):
    # Magento's flat rate is $5 per item: 1 item here (ours is per order, see the module's note).
    settings.SHIPPING_FLATRATE_PRICE = Decimal("5.00")
    attribute = configurable_product.configurable_attributes.get()
    option_1 = attribute.values.get(label="Option 1")
    # Magento/GraphQl/Quote/_files/add_configurable_product.php: 1 x configurable, option 1.
    added = gql.data(
        'mutation($c: String!, $o: [ID!]) { addProductsToCart(cartId: $c, cartItems: [{sku: "configurable", '
        "quantity: 1, selected_options: $o}]) { user_errors { message } } }",
        {"c": customer_cart, "o": [value_uid(attribute.pk, option_1.pk)]},
        **customer_auth,
    )
    assert added["addProductsToCart"]["user_errors"] == []
    set_shipping_address(gql, customer_cart, **customer_auth)
    response = gql.data(query(customer_cart), **customer_auth)
    addresses = response["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert len(addresses[0]["available_shipping_methods"]) == 1
    assert addresses[0]["available_shipping_methods"][0] == {
        "amount": {"value": 5, "currency": "USD"},
        "carrier_code": "flatrate",
        "carrier_title": "Flat Rate",
        "error_message": "",
        "method_code": "flatrate",
        "method_title": "Fixed",
        "price_incl_tax": {"value": 5, "currency": "USD"},
        "price_excl_tax": {"value": 5, "currency": "USD"},
    }


def test_get_available_shipping_methods_from_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_available_shipping_methods_from_another_customer_cart(gql, cart_with_address):
    other = customers.create_customer(  # three_customers.php
        email="customer3@search.example.com", firstname="Jim", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(cart_with_address), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{cart_with_address}"'


def test_get_available_shipping_methods_if_shipping_methods_are_not_present(gql):
    pytest.skip(
        "needs carriers/flatrate/active 0: the shop's flat rate is always offered (no setting turns it off)"
    )


def test_get_available_shipping_methods_of_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'
