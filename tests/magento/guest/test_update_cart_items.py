"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/UpdateCartItemsTest.php.

Magento's ``quote_with_simple_product_saved.php`` (a guest cart with product ``simple``) is
made through our API; its ``quote_with_virtual_product_saved.php`` second cart holds a simple
product here (we sell no virtual products; the scenario is about a foreign cart's item)."""

import pytest

from cart.models import CartItem
from shop.models import Product
from tests.magento.conftest import add_simple_product


def query(masked_quote_id, item_id, quantity):
    return """
mutation {
  updateCartItems(input: {
    cart_id: "%s"
    cart_items: [
      {
        cart_item_id: %s
        quantity: %s
      }
    ]
  }) {
    cart {
      items {
        id
        quantity
      }
    }
    errors {
      message
      code
    }
  }
}""" % (masked_quote_id, item_id, quantity)


def cart_query(masked_quote_id):
    return (
        """
query {
  cart(cart_id: "%s"){
    items{
      product{
        name
      }
      quantity
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def quote_with_simple_product(gql, make_product, guest_cart):
    """Magento/Checkout/_files/quote_with_simple_product_saved.php: (masked id, item id of 'simple')."""
    make_product(sku="simple", price="10.00", name="Simple Product")
    add_simple_product(gql, guest_cart, sku="simple", quantity=1)
    return guest_cart, CartItem.objects.get(cart__masked_id=guest_cart, product__sku="simple").pk


def test_update_cart_item_quantity(gql, quote_with_simple_product):
    masked_quote_id, item_id = quote_with_simple_product
    quantity = 2
    response = gql.data(query(masked_quote_id, item_id, quantity))
    item = response["updateCartItems"]["cart"]["items"][0]
    assert int(item["id"]) == item_id
    assert item["quantity"] == quantity
    # The update is reflected in the cart.
    item = gql.data(cart_query(masked_quote_id))["cart"]["items"][0]
    assert item["quantity"] == quantity


def test_remove_cart_item_if_quantity_is_zero(gql, quote_with_simple_product):
    masked_quote_id, item_id = quote_with_simple_product
    response = gql.data(query(masked_quote_id, item_id, 0))
    assert len(response["updateCartItems"]["cart"]["items"]) == 0
    assert len(gql.data(cart_query(masked_quote_id))["cart"]["items"]) == 0


def test_update_item_in_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id", 1, 2))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_update_non_existent_item(gql, quote_with_simple_product):
    masked_quote_id, _ = quote_with_simple_product
    response = gql.data(query(masked_quote_id, 999, 2))
    response_error = response["updateCartItems"]["errors"][0]
    assert response_error["message"] == "Could not find cart item with id: 999."
    assert response_error["code"] == "COULD_NOT_FIND_CART_ITEM"


def test_update_item_if_item_is_not_belong_to_cart(gql, quote_with_simple_product, make_product, new_cart):
    first_quote_masked_id, _ = quote_with_simple_product
    make_product(sku="virtual-product")
    second_quote = new_cart()
    add_simple_product(gql, second_quote, sku="virtual-product", quantity=1)
    second_quote_item_id = CartItem.objects.get(cart__masked_id=second_quote).pk

    response = gql.data(query(first_quote_masked_id, second_quote_item_id, 2))
    response_error = response["updateCartItems"]["errors"][0]
    assert response_error["message"] == f"Could not find cart item with id: {second_quote_item_id}."
    assert response_error["code"] == "COULD_NOT_FIND_CART_ITEM"


def test_update_item_from_customer_cart(gql, simple_product, customer_cart, customer_auth):
    # Magento/Checkout/_files/quote_with_address_saved.php: a customer's cart with an item.
    add_simple_product(gql, customer_cart, **customer_auth)
    item_id = CartItem.objects.get(cart__masked_id=customer_cart).pk
    error = gql.error(query(customer_cart, item_id, 2))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


@pytest.mark.parametrize(
    "input, message, error_code",
    [
        (
            "cart_items: [{ cart_item_id: 1 }]",
            'Required parameter "quantity" for "cart_items" is missing.',
            "REQUIRED_PARAMETER_MISSING",
        )
    ],
    ids=["missed_cart_item_qty"],
)
def test_update_with_missed_item_required_parameters(
    gql, quote_with_simple_product, input, message, error_code
):
    masked_quote_id, _ = quote_with_simple_product
    response = gql.data(
        """
mutation {
  updateCartItems(input: {
    cart_id: "%s"
    %s
  }) {
    cart {
      items {
        id
        quantity
      }
    }
    errors {
      message
      code
    }
  }
}"""
        % (masked_quote_id, input)
    )
    response_error = response["updateCartItems"]["errors"][0]
    assert response_error["message"] == message
    assert response_error["code"] == error_code


def test_update_gift_message_cart_for_item_not_allow(gql):
    pytest.skip(
        "needs item gift messages (sales/gift_options/allow_items): the shop keeps one gift message per cart"
    )


def test_update_gift_message_cart_for_item(gql):
    pytest.skip(
        "needs item gift messages (sales/gift_options/allow_items): the shop keeps one gift message per cart"
    )


def test_remove_cart_item_if_other_product_stock_is_reduced(gql, make_product, guest_cart):
    # Magento adds a configurable product's child; a second simple product stands in for it.
    make_product(sku="configProd1")
    make_product(sku="simpleProduct")
    add_simple_product(gql, guest_cart, sku="configProd1", quantity=10)
    add_simple_product(gql, guest_cart, sku="simpleProduct", quantity=10)
    Product.objects.filter(sku="configProd1").update(stock_qty=6)  # less than the 10 in the cart
    simple_item_id = CartItem.objects.get(cart__masked_id=guest_cart, product__sku="simpleProduct").pk

    response = gql.data(query(guest_cart, simple_item_id, 0.0))
    assert len(response["updateCartItems"]["cart"]["items"]) == 1
    assert len(gql.data(cart_query(guest_cart))["cart"]["items"]) == 1
