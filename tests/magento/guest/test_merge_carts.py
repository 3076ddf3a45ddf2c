"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/MergeCartsTest.php.

Magento's ``quote_with_virtual_product_saved.php`` guest cart holds a second simple product here
(we sell no virtual products), as in the Customer port."""

from tests.magento.conftest import add_simple_product


def test_merge_guest_carts(gql, simple_product, make_product, guest_cart, new_cart):
    make_product(sku="virtual-product", price="10.00", stock=100)
    add_simple_product(gql, guest_cart, quantity=1)  # quote_with_simple_product_saved.php
    second = new_cart()
    add_simple_product(gql, second, sku="virtual-product", quantity=1)
    error = gql.error(
        """
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
}"""
        % (guest_cart, second)
    )
    assert error["message"] == "The current customer isn't authorized."
