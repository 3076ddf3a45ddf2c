"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetSpecifiedShippingAddressTest.php."""

import pytest

from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product, set_shipping_address


def query(masked_quote_id):
    return (
        """
{
  cart(cart_id: "%s") {
    shipping_addresses {
      uid
      firstname
      lastname
      company
      street
      city
      region
      {
        code
        label
      }
      postcode
      country
      {
        code
        label
      }
      telephone
      __typename
      customer_notes
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def cart_with_product(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    return customer_cart


def test_get_specified_shipping_address(gql, cart_with_product, customer_auth):
    set_shipping_address(gql, cart_with_product, **customer_auth)
    response = gql.data(query(cart_with_product), **customer_auth)
    uid = response["cart"]["shipping_addresses"][0]["uid"]
    assert uid
    assert response["cart"]["shipping_addresses"][0] == {
        "uid": uid,
        "firstname": "John",
        "lastname": "Smith",
        "company": "CompanyName",
        "street": ["Green str, 67"],
        "city": "CityM",
        "region": {"code": "AL", "label": "Alabama"},
        "postcode": "75477",
        # Magento's test expects label "US"; we answer the country's name (known difference).
        "country": {"code": "US", "label": "United States"},
        "telephone": "3468676",
        "__typename": "ShippingCartAddress",
        "customer_notes": None,
    }


def test_get_specified_shipping_address_if_shipping_address_is_not_set(gql, cart_with_product, customer_auth):
    response = gql.data(query(cart_with_product), **customer_auth)
    assert response["cart"]["shipping_addresses"] == []


def test_get_specified_shipping_address_of_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_specified_shipping_address_from_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_specified_shipping_address_from_another_customer_cart(gql, cart_with_product, customer_auth):
    set_shipping_address(gql, cart_with_product, **customer_auth)
    other = customers.create_customer(  # three_customers.php
        email="customer2@search.example.com", firstname="Jane", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(cart_with_product), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{cart_with_product}"'
