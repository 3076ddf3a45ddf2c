"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/PlaceOrderTest.php.

Messages are 2.4.9's: top-level errors, "Unable to place order: …" for what stops the order
itself (shared/reference/magento-graphql.md §2.7), the message with its full stop (Magento's
tests match a prefix of it)."""

import pytest

from checkout.models import Order
from shop.models import Product
from tests.magento.conftest import (
    add_simple_product,
    set_billing_address,
    set_checkmo,
    set_flatrate,
    set_guest_email,
    set_shipping_address,
)


def query(masked_quote_id):
    return (
        """
mutation {
  placeOrder(input: {cart_id: "%s"}) {
    order {
      order_number
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def prepare(gql, simple_product):
    """Apply Magento's fixtures in their order: set_guest_email, add_simple_product,
    set_new_shipping_address, set_new_billing_address, set_flatrate_shipping_method,
    set_checkmo_payment_method (each optional)."""

    def apply(cart_id, *steps, **auth):
        actions = {
            "email": lambda: set_guest_email(gql, cart_id),
            "product": lambda: add_simple_product(gql, cart_id, **auth),
            "shipping_address": lambda: set_shipping_address(gql, cart_id, **auth),
            "billing_address": lambda: set_billing_address(gql, cart_id, **auth),
            "flatrate": lambda: set_flatrate(gql, cart_id, **auth),
            "checkmo": lambda: set_checkmo(gql, cart_id, **auth),
        }
        for step in steps:
            actions[step]()
        return cart_id

    return apply


def test_place_order(gql, prepare, guest_cart):
    prepare(guest_cart, "email", "product", "shipping_address", "billing_address", "flatrate", "checkmo")
    response = gql.data(query(guest_cart))
    # Magento's order number is the fixture's reserved id ("test_quote"); ours is the order's number.
    assert response["placeOrder"]["order"]["order_number"] == Order.objects.get().number


def test_place_order_if_cart_id_is_empty(gql):
    error = gql.error(query(""))
    assert error["message"] == 'Required parameter "cart_id" is missing'


def test_place_order_with_no_email(gql, prepare, guest_cart):
    prepare(guest_cart, "product", "shipping_address", "billing_address", "flatrate", "checkmo")
    error = gql.error(query(guest_cart))
    assert error["message"] == "Guest email for cart is missing."


def test_place_order_with_no_items_in_cart(gql, prepare, guest_cart):
    prepare(guest_cart, "email")
    error = gql.error(query(guest_cart))
    assert error["message"] == (
        "Unable to place order: A server error stopped your order from being placed. "
        "Please try to place your order again."
    )


def test_place_order_with_no_shipping_address(gql, prepare, guest_cart):
    prepare(guest_cart, "email", "product")
    error = gql.error(query(guest_cart))
    assert error["message"] == (
        "Unable to place order: Some addresses can't be used due to the configurations for specific countries."
    )


def test_place_order_with_no_shipping_method(gql, prepare, guest_cart):
    prepare(guest_cart, "email", "product", "shipping_address")
    error = gql.error(query(guest_cart))
    assert error["message"] == (
        "Unable to place order: The shipping method is missing. Select the shipping method and try again."
    )


def test_place_order_with_no_billing_address(gql, prepare, guest_cart):
    prepare(guest_cart, "email", "product", "shipping_address", "flatrate")
    error = gql.error(query(guest_cart))
    assert error["message"].startswith("Unable to place order: Please check the billing address information")
    assert error["message"] == "Unable to place order: Please check the billing address information."


def test_place_order_with_no_payment_method(gql, prepare, guest_cart):
    prepare(guest_cart, "email", "product", "shipping_address", "billing_address", "flatrate")
    error = gql.error(query(guest_cart))
    assert error["message"] == "Unable to place order: Enter a valid payment method and try again."


def test_place_order_with_out_of_stock_product(gql, prepare, guest_cart):
    prepare(guest_cart, "email", "product", "shipping_address", "billing_address", "flatrate")
    Product.objects.filter(sku="simple_product").update(stock_qty=0)  # set_simple_product_out_of_stock.php
    error = gql.error(query(guest_cart))
    assert error["message"] == "Unable to place order: Some of the products are out of stock."


def test_place_order_of_customer_cart(gql, prepare, customer_cart, customer_auth):
    prepare(
        customer_cart,
        "product",
        "shipping_address",
        "billing_address",
        "flatrate",
        "checkmo",
        **customer_auth,
    )
    error = gql.error(query(customer_cart))
    assert error["message"].startswith("The current user cannot perform operations on cart")
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
