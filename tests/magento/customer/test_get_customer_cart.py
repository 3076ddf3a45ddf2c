"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetCustomerCartTest.php
(the ``customerCart`` query)."""

import pytest

from cart.models import Cart
from shop import customers
from tests.customers.conftest import bearer
from tests.magento.conftest import add_simple_product

CUSTOMER_CART_QUERY = """
{
  customerCart {
    total_quantity
    id
    items {
      id
      quantity
      product {
        sku
      }
    }
  }
}"""

REVOKE = "mutation{\n  revokeCustomerToken{\n    result\n  }\n}"


def header_map(customer):
    """Magento's getHeaderMap(): a fresh token for each call."""
    return bearer(customers.issue_token(customer).token)


def test_get_active_customer_cart(gql, customer, simple_product, customer_cart):
    quantity = 2
    add_simple_product(gql, customer_cart, **header_map(customer))
    response = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))
    assert response["customerCart"]["items"]
    assert response["customerCart"]["total_quantity"] == 2
    assert response["customerCart"]["id"]
    assert response["customerCart"]["id"] == customer_cart
    assert response["customerCart"]["items"][0]["quantity"] == quantity, (
        "Incorrect quantity of products in cart"
    )


def test_get_logged_in_customer_cart_without_masked_quote_id(gql, customer, simple_product):
    # create_empty_cart_without_masked_quote_id.php: every cart here has its id from creation,
    # so the fixture is a cart created outside GraphQL (no createEmptyCart/customerCart call).
    Cart.objects.create(customer=customer, email=customer.email)
    response = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))
    assert response["customerCart"]["items"] == []
    assert response["customerCart"]["total_quantity"] == 0
    assert response["customerCart"]["id"]


def test_get_new_customer_cart(gql, customer):
    response = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))
    assert response["customerCart"]["id"]
    assert response["customerCart"]["items"] == []
    assert response["customerCart"]["total_quantity"] == 0


def test_get_customer_cart_with_no_customer_token(gql):
    error = gql.error(CUSTOMER_CART_QUERY)
    assert error["message"] == "The request is allowed for logged in customer"


def test_get_customer_cart_after_token_revoked(gql, customer):
    headers = header_map(customer)
    response = gql.data(CUSTOMER_CART_QUERY, **headers)
    assert response["customerCart"]["id"]
    gql.data(REVOKE, **header_map(customer))  # Magento revokes with a new token: all of them go
    error = gql.error(CUSTOMER_CART_QUERY, **headers)
    # Magento 2.4.7+ (JWT tokens); 2.4.3's version expected "The request is allowed for logged in customer".
    assert error["message"] == "User token has been revoked"


def test_request_customer_cart_twice(gql, customer):
    response = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))
    cart_id = response["customerCart"]["id"]
    assert cart_id
    response2 = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))
    assert response2["customerCart"]["id"] == cart_id


def test_get_inactive_customer_cart(gql, customer, simple_product, customer_cart):
    add_simple_product(gql, customer_cart, **header_map(customer))
    Cart.objects.filter(masked_id=customer_cart).update(is_active=False)  # make_cart_inactive.php
    response = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))
    assert response["customerCart"]["id"]
    assert response["customerCart"]["items"] == []
    assert not response["customerCart"]["total_quantity"]


def test_get_customer_cart_customer_not_belonging_to_website(gql):
    pytest.skip("needs a second website with its own customer (WebsiteFixture): the shop runs one website")


def test_get_customer_cart_second_store(gql, customer, second_store):
    # active_quote_customer_not_default_store.php: the customer's cart of the second store.
    store = {"HTTP_STORE": "fixture_second_store"}
    second = gql.data("mutation { createEmptyCart }", **store, **header_map(customer))["createEmptyCart"]

    response = gql.data(CUSTOMER_CART_QUERY, **store, **header_map(customer))

    assert response["customerCart"]["id"] == second
    default = gql.data(CUSTOMER_CART_QUERY, **header_map(customer))["customerCart"]["id"]
    assert default != second  # one cart per store
