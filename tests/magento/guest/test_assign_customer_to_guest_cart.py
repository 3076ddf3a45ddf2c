"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/AssignCustomerToGuestCartTest.php."""

from tests.magento.conftest import add_simple_product


def test_assign_customer_to_guest_cart_for_guest(gql, simple_product, guest_cart):
    # Magento/Checkout/_files/quote_with_simple_product_saved.php: a guest cart with a simple product.
    add_simple_product(gql, guest_cart, quantity=1)
    error = gql.error(
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
        % guest_cart
    )
    assert error["message"] == "The current customer isn't authorized."
