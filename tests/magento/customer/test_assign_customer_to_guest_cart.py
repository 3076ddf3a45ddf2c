"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/AssignCustomerToGuestCartTest.php.

Magento's ``quote_with_virtual_product_saved.php`` guest cart (1 x virtual-product) holds a
simple product here (we sell no virtual products)."""

import pytest

from tests.magento.conftest import add_simple_product


def assign_mutation(guest_quote_masked_id):
    return (
        """
mutation {
  assignCustomerToGuestCart(
    cart_id: "%s"
  ){
  items {
      quantity
      product {
        sku
      }
    }
  }
}"""
        % guest_quote_masked_id
    )


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


@pytest.fixture
def carts(gql, simple_product, make_product, new_cart, customer_cart, customer_auth):
    """(guest masked id, customer masked id)."""
    make_product(sku="virtual-product")
    guest = new_cart()
    add_simple_product(gql, guest, sku="virtual-product", quantity=1)
    add_simple_product(gql, customer_cart, **customer_auth)
    return guest, customer_cart


def test_assign_customer_to_guest_cart(gql, carts, customer_auth):
    guest_quote_masked_id, _ = carts
    response = gql.data(assign_mutation(guest_quote_masked_id), **customer_auth)
    items = response["assignCustomerToGuestCart"]["items"]
    assert len(items) == 2
    assert items[1]["quantity"] == 2
    assert items[1]["product"]["sku"] == "simple_product"
    assert items[0]["quantity"] == 1
    assert items[0]["product"]["sku"] == "virtual-product"


def test_customer_cart_expiry_after_assigning(gql, carts, customer_auth):
    guest_quote_masked_id, customer_quote_masked_id = carts
    gql.data(assign_mutation(guest_quote_masked_id), **customer_auth)
    error = gql.error(cart_query(customer_quote_masked_id), **customer_auth)
    assert error["message"] == "The cart isn't active."


def test_assigning_customer_to_non_existent_cart(gql, customer_auth):
    error = gql.error(assign_mutation("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_assign_customer_to_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    error = gql.error(assign_mutation(customer_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
