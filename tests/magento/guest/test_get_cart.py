"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/GetCartTest.php.

Magento's cart holds simple_product and a virtual product (2 each); we sell no virtual
products, so a second simple product (sku ``virtual-product``) stands in for it."""

import pytest

from cart.models import Cart
from shop.models import Product
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
        stock_status
      }
      prices {
        price {
          value
          currency
        }
      }
      errors {
        code
        message
      }
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def cart(gql, simple_product, make_product, guest_cart):
    make_product(sku="virtual-product", price="10.00")
    add_simple_product(gql, guest_cart)
    add_simple_product(gql, guest_cart, sku="virtual-product")
    return guest_cart


def test_get_cart(gql, cart):
    response = gql.data(query(cart))
    assert response["cart"]["id"] == cart
    items = response["cart"]["items"]
    assert len(items) == 2
    assert items[0]["id"]
    assert items[0]["quantity"] == 2
    assert items[0]["product"]["sku"] == "simple_product"
    assert items[1]["id"]
    assert items[1]["quantity"] == 2
    assert items[1]["product"]["sku"] == "virtual-product"


def test_cart_error_with_out_of_stock_item(gql, cart):
    Product.objects.filter(sku="simple_product").update(stock_qty=0)  # set_simple_product_out_of_stock.php
    response = gql.data(query(cart))
    items = response["cart"]["items"]
    assert items[0]["errors"][0]["message"] == "There are no source items with the in stock status"
    assert response["cart"]["id"] == cart
    assert len(items) == 2
    assert items[0]["id"]
    assert items[0]["quantity"] == 2
    assert items[0]["product"]["sku"] == "simple_product"
    assert items[0]["product"]["stock_status"] == "OUT_OF_STOCK"
    assert items[1]["id"]
    assert items[1]["quantity"] == 2
    assert items[1]["product"]["sku"] == "virtual-product"


def test_get_customer_cart(gql, customer_cart):
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


def test_get_cart_if_cart_id_is_empty(gql):
    error = gql.error(query(""))
    assert error["message"] == 'Required parameter "cart_id" is missing'


def test_get_cart_if_cart_id_is_missed(gql):
    error = gql.error("{\n  cart {\n    email\n  }\n}")
    assert (
        error["message"] == 'Field "cart" argument "cart_id" of type "String!" is required but not provided.'
    )


def test_get_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_inactive_cart(gql, guest_cart):
    Cart.objects.filter(masked_id=guest_cart).update(is_active=False)  # make_cart_inactive.php
    error = gql.error(query(guest_cart))
    assert error["message"] == "The cart isn't active."


def test_get_cart_with_not_default_store(gql, second_store, simple_product):
    # active_quote_guest_not_default_store.php: a guest cart of the second store, with an item.
    store = {"HTTP_STORE": "fixture_second_store"}
    cart = gql.data("mutation { createGuestCart { cart { id } } }", **store)["createGuestCart"]["cart"]["id"]
    add_simple_product(gql, cart, quantity=1, **store)

    response = gql.data(query(cart), **store)

    assert "cart" in response and "items" in response["cart"]
    assert [item["product"]["sku"] for item in response["cart"]["items"]] == ["simple_product"]


def test_get_cart_with_wrong_store(gql, cart, second_store):
    error = gql.error(query(cart), HTTP_STORE="fixture_second_store")
    assert error["message"].startswith("Wrong store code specified for cart")


def test_get_cart_with_different_store_different_currency(gql):
    pytest.skip(
        "needs Magento/Store/_files/second_store_with_second_currency.php: Magento converts the cart's "
        "prices at an exchange rate; the shop's stores sell from their own price lists, never converted"
    )


def test_get_cart_with_different_store_different_website(gql):
    pytest.skip(
        "needs Magento/Store/_files/second_website_with_store_group_and_store.php: the shop's stores "
        "share one website"
    )


def test_get_cart_with_not_existing_store(gql, cart):
    result = gql.post(query(cart), HTTP_STORE="not_existing_store")
    assert result["errors"][0]["message"] == "Requested store is not found"
