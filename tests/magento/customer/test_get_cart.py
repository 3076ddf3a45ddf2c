"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetCartTest.php.

Magento's cart holds simple_product and a virtual product (2 each); we sell no virtual
products, so a second simple product (sku ``virtual-product``) stands in for it."""

import pytest

from cart.models import Cart
from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product


def query(masked_quote_id):
    return (
        """
{
  cart(cart_id: "%s") {
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
        % masked_quote_id
    )


def test_get_cart(gql, simple_product, make_product, customer_cart, customer_auth):
    make_product(sku="virtual-product", price="10.00")
    add_simple_product(gql, customer_cart, **customer_auth)
    add_simple_product(gql, customer_cart, sku="virtual-product", **customer_auth)
    response = gql.data(query(customer_cart), **customer_auth)
    assert response["cart"]["id"] == customer_cart
    items = response["cart"]["items"]
    assert len(items) == 2
    assert items[0]["id"]
    assert items[0]["quantity"] == 2
    assert items[0]["product"]["sku"] == "simple_product"
    assert items[1]["id"]
    assert items[1]["quantity"] == 2
    assert items[1]["product"]["sku"] == "virtual-product"


def test_get_guest_cart(gql, guest_cart, customer_auth):
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_another_customer_cart(gql, customer_cart):
    # Magento/Customer/_files/three_customers.php: customer2@search.example.com.
    other = customers.create_customer(
        email="customer2@search.example.com", firstname="Jane", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(customer_cart), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


def test_get_cart_if_cart_id_is_empty(gql, customer_auth):
    error = gql.error(query(""), **customer_auth)
    assert error["message"] == 'Required parameter "cart_id" is missing'


def test_get_cart_if_cart_id_is_missed(gql, customer_auth):
    error = gql.error("{\n  cart {\n    email\n  }\n}", **customer_auth)
    assert (
        error["message"] == 'Field "cart" argument "cart_id" of type "String!" is required but not provided.'
    )


def test_get_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_inactive_cart(gql, customer_cart, customer_auth):
    Cart.objects.filter(masked_id=customer_cart).update(is_active=False)  # make_cart_inactive.php
    error = gql.error(query(customer_cart), **customer_auth)
    assert error["message"] == "The cart isn't active."


def test_get_cart_with_not_default_store(gql, customer_auth, second_store, simple_product):
    # active_quote_customer_not_default_store.php: the customer's cart of the second store.
    store = {"HTTP_STORE": "fixture_second_store", **customer_auth}
    cart = gql.data("mutation { createEmptyCart }", **store)["createEmptyCart"]
    add_simple_product(gql, cart, quantity=1, **store)

    response = gql.data(query(cart), **store)

    assert "cart" in response and "items" in response["cart"]
    assert [item["product"]["sku"] for item in response["cart"]["items"]] == ["simple_product"]


def test_get_cart_with_wrong_store(gql, customer_cart, customer_auth, second_store):
    error = gql.error(query(customer_cart), HTTP_STORE="fixture_second_store", **customer_auth)
    # Known difference, kept: Magento 2.4 answers this customer case with its sign-in refusal
    # ("The account sign-in was incorrect or your account is disabled temporarily. Please wait
    # and try again later."); the shop answers Magento's cart-store error, as it does for a guest
    # (a cart belongs to the store it was created in).
    assert error["message"].startswith("Wrong store code specified for cart")


def test_get_cart_with_not_existing_store(gql, customer_cart, customer_auth):
    result = gql.post(query(customer_cart), HTTP_STORE="not_existing_store", **customer_auth)
    assert result["errors"][0]["message"] == "Requested store is not found"


def test_get_cart_for_locked_customer(gql):
    pytest.skip("Magento skips it too (https://github.com/magento/graphql-ce/issues/750)")
