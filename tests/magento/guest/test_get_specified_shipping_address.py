"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/GetSpecifiedShippingAddressTest.php."""

import pytest

from tests.magento.conftest import add_simple_product, set_shipping_address


def query(masked_quote_id):
    return (
        """
{
  cart(cart_id: "%s") {
    shipping_addresses {
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
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def cart_with_product(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    return guest_cart


def test_get_specified_shipping_address(gql, cart_with_product):
    set_shipping_address(gql, cart_with_product)
    response = gql.data(query(cart_with_product))
    assert response["cart"]["shipping_addresses"][0] == {
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
    }


def test_get_specified_shipping_address_if_shipping_address_is_not_set(gql, cart_with_product):
    response = gql.data(query(cart_with_product))
    assert response["cart"]["shipping_addresses"] == []


def test_get_shipping_address_of_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_shipping_address_from_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
