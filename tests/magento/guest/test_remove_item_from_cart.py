"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/RemoveItemFromCartTest.php."""

import pytest

from cart.models import CartItem
from tests.magento.conftest import add_simple_product


def query(masked_quote_id, item_id):
    return """
mutation {
  removeItemFromCart(
    input: {
      cart_id: "%s"
      cart_item_id: %s
    }
  ) {
    cart {
      items {
        quantity
      }
    }
  }
}""" % (masked_quote_id, item_id)


def item_id_of(masked_quote_id, sku="simple_product"):
    return CartItem.objects.get(cart__masked_id=masked_quote_id, product__sku=sku).pk


def test_remove_item_from_cart(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    response = gql.data(query(guest_cart, item_id_of(guest_cart)))
    assert len(response["removeItemFromCart"]["cart"]["items"]) == 0


def test_remove_item_from_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id", 1))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_remove_non_existent_item(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    error = gql.error(query(guest_cart, 999))
    assert error["message"] == "Cart doesn't contain the 999 item."


@pytest.mark.parametrize(
    "input, message",
    [
        (
            "cart_item_id: 1",
            "Field RemoveItemFromCartInput.cart_id of required type String! was not provided.",
        ),
        # Magento 2.4 made cart_item_id optional (cart_item_uid); the resolver asks for it before the cart.
        ('cart_id: "test_quote"', 'Required parameter "cart_item_id" is missing.'),
    ],
    ids=["missed_cart_id", "missed_cart_item_id"],
)
def test_update_with_missed_item_required_parameters(gql, input, message):
    error = gql.error(
        """
mutation {
  removeItemFromCart(
    input: {
      %s
    }
  ) {
    cart {
      items {
        quantity
      }
    }
  }
}"""
        % input
    )
    assert error["message"] == message


def test_remove_item_if_item_is_not_belong_to_cart(gql, simple_product, guest_cart, make_product, new_cart):
    add_simple_product(gql, guest_cart)
    # Magento/Checkout/_files/quote_with_virtual_product_saved.php: another cart's item.
    make_product(sku="virtual-product")
    second_quote = new_cart()
    add_simple_product(gql, second_quote, sku="virtual-product", quantity=1)
    second_quote_item_id = item_id_of(second_quote, "virtual-product")
    error = gql.error(query(guest_cart, second_quote_item_id))
    assert error["message"] == f"Cart doesn't contain the {second_quote_item_id} item."


def test_remove_item_from_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart, item_id_of(customer_cart)))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
