"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/AddSimpleProductToCartTest.php
(the legacy ``addSimpleProductsToCart`` mutation, as a signed-in customer)."""

from shop import customers
from tests.customers.conftest import PASSWORD, bearer


def query(masked_quote_id, sku, quantity):
    return """
mutation {
  addSimpleProductsToCart(input: {
    cart_id: "%s",
    cart_items: [
      {
        data: {
          quantity: %s
          sku: "%s"
        }
      }
    ]
  }) {
    cart {
      items {
        id
        quantity
        product {
          sku
        }
      }
    }
  }
}""" % (masked_quote_id, quantity, sku)


def input_query(fields):
    return (
        """
mutation {
  addSimpleProductsToCart(
    input: {
      %s
    }
  ) {
    cart {
      items {
        id
      }
    }
  }
}"""
        % fields
    )


def test_add_simple_product_to_cart(gql, simple_product, customer_cart, customer_auth):
    sku, quantity = "simple_product", 2
    response = gql.data(query(customer_cart, sku, quantity), **customer_auth)
    cart = response["addSimpleProductsToCart"]["cart"]
    assert cart["items"][0]["quantity"] == quantity
    assert cart["items"][0]["product"]["sku"] == sku


# The ...IsMissed methods date from 2.3, when the input's fields were optional; 2.4's schema
# declares ``cart_id: String!`` and ``cart_items: [SimpleProductCartItemInput]!``, so the
# document is refused by validation, in webonyx's words (as ours).
def test_add_simple_product_to_cart_if_cart_id_is_missed(gql, customer_auth):
    error = gql.error(input_query("cart_items: []"), **customer_auth)
    assert (
        error["message"]
        == "Field AddSimpleProductsToCartInput.cart_id of required type String! was not provided."
    )


def test_add_simple_product_to_cart_if_cart_id_is_empty(gql, customer_auth):
    error = gql.error(input_query('cart_id: "",\n      cart_items: []'), **customer_auth)
    assert error["message"] == 'Required parameter "cart_id" is missing'


def test_add_simple_product_to_cart_if_cart_items_are_missed(gql, customer_auth):
    error = gql.error(input_query('cart_id: "cart_id"'), **customer_auth)
    assert error["message"] == (
        "Field AddSimpleProductsToCartInput.cart_items of required type [SimpleProductCartItemInput]! "
        "was not provided."
    )


def test_add_simple_product_to_cart_if_cart_items_are_empty(gql, customer_auth):
    error = gql.error(input_query('cart_id: "cart_id",\n      cart_items: []'), **customer_auth)
    assert error["message"] == 'Required parameter "cart_items" is missing'


def test_add_product_to_non_existent_cart(gql, simple_product, customer_auth):
    error = gql.error(query("non_existent_masked_id", "simple_product", 2), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_non_existent_product_to_cart(gql, customer_cart, customer_auth):
    error = gql.error(query(customer_cart, "simple_product", 2), **customer_auth)
    assert error["message"] == 'Could not find a product with SKU "simple_product"'


def test_add_simple_product_to_guest_cart(gql, simple_product, guest_cart, customer_auth):
    error = gql.error(query(guest_cart, "simple_product", 2), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_add_simple_product_to_another_customer_cart(gql, simple_product, customer_cart):
    # Magento/Customer/_files/three_customers.php: customer2@search.example.com.
    other = customers.create_customer(
        email="customer2@search.example.com", firstname="Jane", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(customer_cart, "simple_product", 2), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
