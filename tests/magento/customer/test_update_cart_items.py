"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/UpdateCartItemsTest.php.

As in the Guest port, 2.4's ``updateCartItems`` reports an item's problem in its ``errors``
output (message and code), not as a top-level error. Magento's ``quote_with_address_saved.php``
(customer@example.com's cart with product ``simple``) is made through our API; its
``quote_with_virtual_product_saved.php`` second cart holds a simple product here (we sell no
virtual products; the scenarios are about another cart's item)."""

import pytest

from cart.models import CartItem
from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product


def query(masked_quote_id, item_id, quantity):
    return """
mutation {
  updateCartItems(input: {
    cart_id: "%s"
    cart_items:[
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


@pytest.fixture
def quote_with_address_saved(gql, make_product, customer_cart, customer_auth):
    """Magento/Checkout/_files/quote_with_address_saved.php: (masked id, item id of 'simple')."""
    make_product(sku="simple", price="10.00", name="Simple Product")
    add_simple_product(gql, customer_cart, sku="simple", quantity=1, **customer_auth)
    return customer_cart, CartItem.objects.get(cart__masked_id=customer_cart, product__sku="simple").pk


@pytest.fixture
def quote_with_virtual_product(gql, make_product, new_cart):
    """Magento/Checkout/_files/quote_with_virtual_product_saved.php: a guest cart (masked id, item id)."""
    make_product(sku="virtual-product")
    masked_id = new_cart()
    add_simple_product(gql, masked_id, sku="virtual-product", quantity=1)
    return masked_id, CartItem.objects.get(cart__masked_id=masked_id).pk


def test_update_cart_item_quantity(gql, quote_with_address_saved, customer_auth):
    masked_quote_id, item_id = quote_with_address_saved
    quantity = 2
    response = gql.data(query(masked_quote_id, item_id, quantity), **customer_auth)
    item = response["updateCartItems"]["cart"]["items"][0]
    assert int(item["id"]) == item_id
    assert item["quantity"] == quantity


def test_remove_cart_item_if_quantity_is_zero(gql, quote_with_address_saved, customer_auth):
    masked_quote_id, item_id = quote_with_address_saved
    response = gql.data(query(masked_quote_id, item_id, 0), **customer_auth)
    assert len(response["updateCartItems"]["cart"]["items"]) == 0


def test_update_item_in_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id", 1, 2), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_update_non_existent_item(gql, quote_with_address_saved, customer_auth):
    masked_quote_id, _ = quote_with_address_saved
    response = gql.data(query(masked_quote_id, 999, 2), **customer_auth)
    response_error = response["updateCartItems"]["errors"][0]
    assert response_error["message"] == "Could not find cart item with id: 999."
    assert response_error["code"] == "COULD_NOT_FIND_CART_ITEM"


def test_update_item_if_item_is_not_belong_to_cart(
    gql, quote_with_address_saved, quote_with_virtual_product, customer, customer_auth
):
    first_quote_masked_id, _ = quote_with_address_saved
    _, second_quote_item_id = quote_with_virtual_product
    response = gql.data(query(first_quote_masked_id, second_quote_item_id, 2), **customer_auth)
    response_error = response["updateCartItems"]["errors"][0]
    assert response_error["message"] == f"Could not find cart item with id: {second_quote_item_id}."
    assert response_error["code"] == "COULD_NOT_FIND_CART_ITEM"


def test_update_item_in_guest_cart(gql, quote_with_virtual_product, customer_auth):
    guest_quote_masked_id, guest_quote_item_id = quote_with_virtual_product
    error = gql.error(query(guest_quote_masked_id, guest_quote_item_id, 2), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_quote_masked_id}"'


def test_update_item_in_another_customer_cart(gql, simple_product, customer):
    # three_customers.php: the cart is customer2's; customer@example.com tries to change it.
    other = customers.create_customer(
        email="customer2@search.example.com", firstname="Jane", lastname="Doe", password=PASSWORD
    )
    other_auth = bearer(customers.issue_token(other).token)
    other_cart = gql.data("{ customerCart { id } }", **other_auth)["customerCart"]["id"]
    add_simple_product(gql, other_cart, **other_auth)
    item_id = CartItem.objects.get(cart__masked_id=other_cart).pk
    error = gql.error(query(other_cart, item_id, 2), **bearer(customers.issue_token(customer).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{other_cart}"'
    assert CartItem.objects.get(pk=item_id).quantity == 2  # untouched


def test_update_with_missed_cart_item_id(gql, customer_auth):
    error = gql.error(
        """
mutation {
  updateCartItems(input: {
    cart_items: [
      {
        cart_item_id: 1
        quantity: 2
      }
    ]
  }) {
    cart {
      items {
        id
        quantity
      }
    }
  }
}""",
        **customer_auth,
    )
    assert error["message"] == "Field UpdateCartItemsInput.cart_id of required type String! was not provided."


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
    gql, quote_with_address_saved, customer_auth, input, message, error_code
):
    masked_quote_id, _ = quote_with_address_saved
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
        % (masked_quote_id, input),
        **customer_auth,
    )
    response_error = response["updateCartItems"]["errors"][0]
    assert response_error["message"] == message
    assert response_error["code"] == error_code
