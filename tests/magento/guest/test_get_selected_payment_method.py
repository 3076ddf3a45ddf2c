"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/GetSelectedPaymentMethodTest.php.

Magento turns on banktransfer, cashondelivery, checkmo, purchaseorder and authorizenet; the shop
offers checkmo (and Klarna), which is the one the scenarios select."""

import pytest

from tests.magento.conftest import add_simple_product, set_checkmo, set_shipping_address


def query(masked_quote_id):
    return (
        '\n{\n  cart(cart_id:"%s") {    \n    selected_payment_method {\n      code\n    }\n  }\n}'
        % masked_quote_id
    )


@pytest.fixture
def cart_with_address(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    return guest_cart


def test_get_selected_payment_method(gql, cart_with_address):
    set_checkmo(gql, cart_with_address)
    response = gql.data(query(cart_with_address))
    assert response["cart"]["selected_payment_method"]["code"] == "checkmo"


def test_get_selected_payment_method_before_set(gql, cart_with_address):
    response = gql.data(query(cart_with_address))
    assert response["cart"]["selected_payment_method"]["code"] == ""


def test_get_selected_payment_method_from_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_selected_payment_method_from_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    set_checkmo(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
