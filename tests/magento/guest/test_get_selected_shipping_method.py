"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/GetSelectedShippingMethodTest.php.

Magento's flat rate is $5 per item (2 items: $10); ours is per order, set to $10 (tests/magento/conftest.py)."""

import pytest

from tests.magento.conftest import add_simple_product, set_flatrate, set_shipping_address


def query(masked_quote_id):
    return (
        """
{
  cart(cart_id: "%s") {
    shipping_addresses {
      available_shipping_methods {
        carrier_code
        method_code
      }
      selected_shipping_method {
        carrier_code
        method_code
        carrier_title
        method_title
        amount {
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
def cart_with_address(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    return guest_cart


def test_get_selected_shipping_method(gql, cart_with_address):
    set_flatrate(gql, cart_with_address)
    response = gql.data(query(cart_with_address))
    addresses = response["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    selected = addresses[0]["selected_shipping_method"]
    assert selected["carrier_code"] == "flatrate"
    assert selected["method_code"] == "flatrate"
    assert selected["carrier_title"] == "Flat Rate"
    assert selected["method_title"] == "Fixed"
    assert selected["amount"] == {"value": 10, "currency": "USD"}


def test_get_selected_shipping_method_before_set(gql, cart_with_address):
    response = gql.data(query(cart_with_address))
    addresses = response["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert addresses[0]["selected_shipping_method"] is None


def test_get_selected_shipping_method_from_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    set_flatrate(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


def test_get_get_selected_shipping_method_if_shipping_method_is_not_set(gql, cart_with_address):
    response = gql.data(query(cart_with_address))
    addresses = response["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert addresses[0]["selected_shipping_method"] is None
    assert addresses[0]["available_shipping_methods"] == [
        {"carrier_code": "flatrate", "method_code": "flatrate"}
    ]


def test_get_selected_shipping_method_of_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'
