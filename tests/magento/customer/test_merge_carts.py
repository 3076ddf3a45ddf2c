"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/MergeCartsTest.php.

Magento's ``quote_with_virtual_product_saved.php`` guest cart (1 x virtual-product) holds a
simple product here (we sell no virtual products)."""

import pytest

from cart.models import Cart
from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product


def merge_mutation(guest_quote_masked_id, customer_quote_masked_id):
    return """
mutation {
  mergeCarts(
    source_cart_id: "%s"
    destination_cart_id: "%s"
  ){
  items {
      quantity
      product {
        sku
      }
    }
  }
}""" % (guest_quote_masked_id, customer_quote_masked_id)


def cart_query(masked_id):
    return (
        """
{
  cart(cart_id: "%s") {
    items {
      quantity
      product {
        sku
      }
    }
  }
}"""
        % masked_id
    )


def add_product_mutation(masked_id):
    return (
        """
mutation {
  addSimpleProductsToCart(input: {
    cart_id: "%s"
    cart_items: {
      data: {
        quantity: 1
        sku: "simple_product"
      }
    }
  }) {
    cart {
      items {
        quantity
        product {
          sku
        }
      }
    }
  }
}"""
        % masked_id
    )


@pytest.fixture
def carts(gql, simple_product, make_product, new_cart, customer_cart, customer_auth):
    """(guest masked id, customer masked id): quote_with_virtual_product_saved.php and
    customer/create_empty_cart.php + add_simple_product.php."""
    make_product(sku="virtual-product")
    guest = new_cart()
    add_simple_product(gql, guest, sku="virtual-product", quantity=1)
    add_simple_product(gql, customer_cart, **customer_auth)
    return guest, customer_cart


def test_merge_guest_with_customer_cart(gql, carts, customer_auth):
    guest_quote_masked_id, customer_quote_masked_id = carts
    merge_response = gql.data(
        merge_mutation(guest_quote_masked_id, customer_quote_masked_id), **customer_auth
    )
    assert len(merge_response["mergeCarts"]["items"]) == 2
    cart_response = gql.data(cart_query(customer_quote_masked_id), **customer_auth)
    items = cart_response["cart"]["items"]
    assert len(items) == 2
    assert items[0]["quantity"] == 2
    assert items[1]["quantity"] == 1


def test_guest_cart_expiry_after_merge(gql, carts, customer_auth):
    guest_quote_masked_id, customer_quote_masked_id = carts
    gql.data(merge_mutation(guest_quote_masked_id, customer_quote_masked_id), **customer_auth)
    error = gql.error(cart_query(guest_quote_masked_id), **customer_auth)
    # 2.4.0's GetCartForUser said "Current user does not have an active cart."; later 2.4
    # releases (and the Guest GetCartTest port) say "The cart isn't active.".
    assert error["message"] == "The cart isn't active."
    assert not Cart.objects.get(masked_id=guest_quote_masked_id).is_active


def test_merge_two_customer_carts(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    first_masked_id = customer_cart
    other = customers.create_customer(  # two_customers.php
        email="customer_two@example.com", firstname="John", lastname="Doe", password=PASSWORD
    )
    other_auth = bearer(customers.issue_token(other).token)
    second_masked_id = gql.data("mutation {\n  createEmptyCart\n}", **other_auth)["createEmptyCart"]
    # Magento adds to customer_two's cart with customer@example.com's token: that is refused
    # already, before mergeCarts is sent.
    error = gql.error(add_product_mutation(second_masked_id), **customer_auth)
    assert error["message"].startswith("The current user cannot perform operations on cart")
    error = gql.error(merge_mutation(first_masked_id, second_masked_id), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{second_masked_id}"'
