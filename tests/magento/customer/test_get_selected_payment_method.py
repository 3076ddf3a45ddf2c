"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetSelectedPaymentMethodTest.php.

Magento turns on banktransfer, cashondelivery, checkmo and purchaseorder; the shop offers
checkmo (and Klarna), which is the one the scenarios select."""

import pytest

from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product, set_checkmo, set_shipping_address


def query(masked_quote_id):
    return (
        '\n{\n  cart(cart_id:"%s") {\n    selected_payment_method {\n      code\n    }\n  }\n}'
        % masked_quote_id
    )


@pytest.fixture
def cart_with_address(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    return customer_cart


def test_get_selected_payment_method(gql, cart_with_address, customer_auth):
    set_checkmo(gql, cart_with_address, **customer_auth)
    response = gql.data(query(cart_with_address), **customer_auth)
    assert response["cart"]["selected_payment_method"]["code"] == "checkmo"


def test_get_selected_payment_method_before_set(gql, cart_with_address, customer_auth):
    response = gql.data(query(cart_with_address), **customer_auth)
    assert response["cart"]["selected_payment_method"]["code"] == ""


def test_get_selected_payment_method_from_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_selected_payment_method_from_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    set_checkmo(gql, guest_cart)
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_selected_payment_method_from_another_customer_cart(gql, customer_cart):
    other = customers.create_customer(  # three_customers.php
        email="customer3@search.example.com", firstname="Jim", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(customer_cart), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
