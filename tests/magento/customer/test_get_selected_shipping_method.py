"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetSelectedShippingMethodTest.php.

Magento's flat rate is $5 per item (2 items: $10); ours is $10 per order. Magento's
``tax_rule_region_1_al.php`` is a 7.5 % rate for Alabama (the fixture address's region); ours
is a TaxRate US-AL 7.5 % applying to shipping (SHIPPING_TAX_CLASS ``standard``)."""

from decimal import Decimal

import pytest

from shop import customers
from shop.models import TaxRate
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import MAGENTO_ADDRESS, add_simple_product, set_flatrate, set_shipping_address


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
def tax_rule_region_1_al(db):
    return TaxRate.objects.create(
        country="US", region="AL", tax_class="standard", rate=Decimal("7.5"), label="US-AL-*-Rate-1"
    )


@pytest.fixture
def cart_with_address(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    return customer_cart


def selected(gql, cart_id, auth):
    response = gql.data(query(cart_id), **auth)
    addresses = response["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    return addresses[0]["selected_shipping_method"]


def assert_flatrate(method, incl_tax):
    assert method["carrier_code"] == "flatrate"
    assert method["method_code"] == "flatrate"
    assert method["carrier_title"] == "Flat Rate"
    assert method["method_title"] == "Fixed"
    assert method["amount"] == {"value": 10, "currency": "USD"}
    assert method["price_excl_tax"] == {"value": 10, "currency": "USD"}
    assert method["price_incl_tax"] == {"value": incl_tax, "currency": "USD"}


def test_get_selected_shipping_method(gql, cart_with_address, customer_auth):
    set_shipping_address(gql, cart_with_address, **customer_auth)
    set_flatrate(gql, cart_with_address, **customer_auth)
    assert_flatrate(selected(gql, cart_with_address, customer_auth), 10)


def test_get_selected_shipping_method_with_tax(gql, tax_rule_region_1_al, cart_with_address, customer_auth):
    # Magento sets price_includes_tax / shipping_includes_tax and still reports the $10 as
    # excluding tax (10 / 10.75); that is our store with prices excluding tax.
    set_shipping_address(gql, cart_with_address, **customer_auth)
    set_flatrate(gql, cart_with_address, **customer_auth)
    assert_flatrate(selected(gql, cart_with_address, customer_auth), 10.75)


def test_get_selected_shipping_method_with_address_without_tax(
    gql, tax_rule_region_1_al, cart_with_address, customer_auth
):
    # set_new_shipping_canada_address.php: a Canadian address (no rate there).
    canada = {**MAGENTO_ADDRESS, "country_code": "CA", "region": "ON", "postcode": "M4B 1B3"}
    set_shipping_address(gql, cart_with_address, canada, **customer_auth)
    set_flatrate(gql, cart_with_address, **customer_auth)
    assert_flatrate(selected(gql, cart_with_address, customer_auth), 10)


def test_get_selected_shipping_method_without_tax(gql, cart_with_address, customer_auth):
    set_shipping_address(gql, cart_with_address, **customer_auth)
    set_flatrate(gql, cart_with_address, **customer_auth)
    assert_flatrate(selected(gql, cart_with_address, customer_auth), 10)


def test_get_selected_shipping_method_before_set(gql, cart_with_address, customer_auth):
    set_shipping_address(gql, cart_with_address, **customer_auth)
    assert selected(gql, cart_with_address, customer_auth) is None


def test_get_selected_shipping_method_from_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    set_flatrate(gql, guest_cart)
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_selected_shipping_method_from_another_customer_cart(gql, cart_with_address, customer_auth):
    set_shipping_address(gql, cart_with_address, **customer_auth)
    set_flatrate(gql, cart_with_address, **customer_auth)
    other = customers.create_customer(  # three_customers.php
        email="customer3@search.example.com", firstname="Jim", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(cart_with_address), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{cart_with_address}"'


def test_get_get_selected_shipping_method_if_shipping_method_is_not_set(
    gql, cart_with_address, customer_auth
):
    set_shipping_address(gql, cart_with_address, **customer_auth)
    assert selected(gql, cart_with_address, customer_auth) is None


def test_get_get_selected_shipping_method_of_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'
