"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/SetShippingMethodsOnCartTest.php.

As in the Guest port: Magento's ``carriers/freeshipping/active`` is our free-shipping
threshold (0 = enabled, out of reach = disabled); Magento's flat rate of $5 per item is our
$10 per order for the fixture's 2 items (tests/magento/conftest.py)."""

from decimal import Decimal

import pytest

from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product, set_flatrate, set_shipping_address


def query(masked_quote_id, method_code, carrier_code):
    return """
mutation {
  setShippingMethodsOnCart(input:
    {
      cart_id: "%s",
      shipping_methods: [{
        carrier_code: "%s"
        method_code: "%s"
      }]
    }) {
    cart {
      shipping_addresses {
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
  }
}""" % (masked_quote_id, carrier_code, method_code)


@pytest.fixture
def free_shipping_disabled(settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("1000000")


@pytest.fixture
def free_shipping_active(settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("0")


@pytest.fixture
def cart_with_address(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    return customer_cart


def test_set_shipping_method_on_cart_with_simple_product(gql, cart_with_address, customer_auth):
    response = gql.data(query(cart_with_address, "flatrate", "flatrate"), **customer_auth)
    addresses = response["setShippingMethodsOnCart"]["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    method = addresses[0]["selected_shipping_method"]
    assert method["carrier_code"] == "flatrate"
    assert method["method_code"] == "flatrate"
    assert method["carrier_title"] == "Flat Rate"
    assert method["method_title"] == "Fixed"
    assert method["amount"]["value"] == 10
    assert method["amount"]["currency"] == "USD"


def test_re_set_shipping_method(gql, free_shipping_active, cart_with_address, customer_auth):
    set_flatrate(gql, cart_with_address, **customer_auth)
    response = gql.data(query(cart_with_address, "freeshipping", "freeshipping"), **customer_auth)
    addresses = response["setShippingMethodsOnCart"]["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert addresses[0]["selected_shipping_method"]["carrier_code"] == "freeshipping"
    assert addresses[0]["selected_shipping_method"]["method_code"] == "freeshipping"


@pytest.mark.parametrize(
    "input, message",
    [
        ('cart_id: "cart_id_value" shipping_methods: []', 'Required parameter "shipping_methods" is missing'),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "" method_code: "flatrate"}]',
            'Required parameter "carrier_code" is missing.',
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "wrong-carrier-code" method_code: "flatrate"}]',
            "Carrier with such method not found: wrong-carrier-code, flatrate",
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "flatrate" method_code: ""}]',
            'Required parameter "method_code" is missing.',
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "flatrate" method_code: "wrong-carrier-code"}]',
            "Carrier with such method not found: flatrate, wrong-carrier-code",
        ),
        (
            'cart_id: "non_existent_masked_id", shipping_methods: [{carrier_code: "flatrate" method_code: "flatrate"}]',
            'Could not find a cart with ID "non_existent_masked_id"',
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "freeshipping" method_code: "freeshipping"}]',
            "Carrier with such method not found: freeshipping, freeshipping",
        ),
    ],
    ids=[
        "shipping_methods_are_empty",
        "empty_carrier_code",
        "non_existent_carrier_code",
        "empty_method_code",
        "non_existent_method_code",
        "non_existent_shopping_cart",
        "disabled_shipping_method",
    ],
)
def test_set_shipping_method_with_wrong_parameters(
    gql, free_shipping_disabled, cart_with_address, customer_auth, input, message
):
    input = input.replace("cart_id_value", cart_with_address)
    error = gql.error(
        """
mutation {
  setShippingMethodsOnCart(input:  {
   %s
  }) {
    cart {
      shipping_addresses {
        selected_shipping_method {
          carrier_code
        }
      }
    }
  }
}"""
        % input,
        **customer_auth,
    )
    assert error["message"] == message


def test_set_multiple_shipping_methods(gql, free_shipping_active, cart_with_address, customer_auth):
    error = gql.error(
        """
mutation {
  setShippingMethodsOnCart(input:  {
   cart_id: "%s",
   shipping_methods: [
        {
            carrier_code: "flatrate"
            method_code: "flatrate"
        }
        {
            carrier_code: "flatrate"
            method_code: "flatrate"
        }
   ]
  }) {
    cart {
      shipping_addresses {
        selected_shipping_method {
          carrier_code
        }
      }
    }
  }
}"""
        % cart_with_address,
        **customer_auth,
    )
    assert error["message"] == "You cannot specify multiple shipping methods."


def test_set_shipping_method_to_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    error = gql.error(query(guest_cart, "flatrate", "flatrate"), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_set_shipping_method_to_another_customer_cart(gql, cart_with_address):
    other = customers.create_customer(  # three_customers.php
        email="customer2@search.example.com", firstname="Jane", lastname="Doe", password=PASSWORD
    )
    error = gql.error(
        query(cart_with_address, "flatrate", "flatrate"), **bearer(customers.issue_token(other).token)
    )
    assert error["message"] == f'The current user cannot perform operations on cart "{cart_with_address}"'


def test_set_shipping_method_on_an_empty_cart(gql, customer_cart, customer_auth):
    set_shipping_address(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart, "flatrate", "flatrate"), **customer_auth)
    assert (
        error["message"]
        == "The shipping method can't be set for an empty cart. Add an item to cart and try again."
    )
