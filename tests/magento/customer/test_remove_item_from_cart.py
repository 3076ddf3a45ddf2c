"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/RemoveItemFromCartTest.php.

Magento's 2.4.0 file expects "The cart doesn't contain the item" for an item the cart lacks;
later 2.4 releases name the item, "Cart doesn't contain the 999 item." (asserted by the
Guest port too), which is what the shop answers."""

from cart.models import CartItem
from shop import customers
from tests.customers.conftest import PASSWORD, bearer
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


def cart_query(masked_quote_id):
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


def item_id_of(masked_quote_id, sku="simple_product"):
    return CartItem.objects.get(cart__masked_id=masked_quote_id, product__sku=sku).pk


def customer2_auth():
    """Magento/Customer/_files/three_customers.php: customer2@search.example.com."""
    other = customers.create_customer(
        email="customer2@search.example.com", firstname="Jane", lastname="Doe", password=PASSWORD
    )
    return bearer(customers.issue_token(other).token)


def test_remove_item_from_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    response = gql.data(query(customer_cart, item_id_of(customer_cart)), **customer_auth)
    assert len(response["removeItemFromCart"]["cart"]["items"]) == 0


def test_remove_item_from_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id", 1), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_remove_non_existent_item(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart, 999), **customer_auth)
    assert error["message"] == "Cart doesn't contain the 999 item."


def test_remove_item_if_item_is_not_belong_to_cart(
    gql, simple_product, make_product, new_cart, customer_cart, customer_auth
):
    add_simple_product(gql, customer_cart, **customer_auth)
    # Magento/Checkout/_files/quote_with_virtual_product_and_address.php: another cart's item
    # (a simple product stands in for the virtual one).
    make_product(sku="virtual-product")
    second_quote = new_cart()
    add_simple_product(gql, second_quote, sku="virtual-product", quantity=1)
    second_quote_item_id = item_id_of(second_quote, "virtual-product")
    error = gql.error(query(customer_cart, second_quote_item_id), **customer_auth)
    assert error["message"] == f"Cart doesn't contain the {second_quote_item_id} item."


def test_remove_item_from_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    error = gql.error(query(guest_cart, item_id_of(guest_cart)), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_remove_item_from_another_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart, item_id_of(customer_cart)), **customer2_auth())
    assert f'The current user cannot perform operations on cart "{customer_cart}"' in error["message"]
    cart = gql.data(cart_query(customer_cart), **customer_auth)
    assert len(cart["cart"]["items"]) > 0, "The cart is empty"
    assert cart["cart"]["items"][0]["product"]["sku"] == "simple_product", "The cart doesn't contain product"


def test_remove_item_with_empty_cart_id(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    error = gql.error(query("", item_id_of(customer_cart)), **customer_auth)
    assert error["message"] == 'Required parameter "cart_id" is missing.'


def test_remove_item_with_zero_cart_item_id(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart, 0), **customer_auth)
    assert error["message"] == 'Required parameter "cart_item_id" is missing.'
