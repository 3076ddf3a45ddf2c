"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetAvailablePaymentMethodsTest.php."""

import pytest

from cart import payment_methods
from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product, set_shipping_address


def query(masked_quote_id):
    return (
        """
{
  cart(cart_id: "%s") {
    available_payment_methods {
      code
      title
    }
  }
}"""
        % masked_quote_id
    )


@pytest.fixture
def cart_with_address(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    return customer_cart


@pytest.fixture
def no_payment_methods(settings):
    """Magento's payment/checkmo/active 0, payment/free/active 0, ...: no provider configured."""
    settings.PAYMENT_PROVIDERS = []
    payment_methods.providers.cache_clear()
    yield
    payment_methods.providers.cache_clear()


def test_get_available_payment_methods(gql, cart_with_address, customer_auth):
    response = gql.data(query(cart_with_address), **customer_auth)
    methods = response["cart"]["available_payment_methods"]
    # Klarna (listed first by Magento's Klarna module) is offered only with a Klarna session.
    assert methods[0]["code"] == "checkmo"
    assert methods[0]["title"] == "Check / Money order"


def test_get_available_payment_methods_from_guest_cart(gql, simple_product, guest_cart, customer_auth):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_available_payment_methods_from_another_customer_cart(gql, cart_with_address):
    other = customers.create_customer(  # three_customers.php
        email="customer3@search.example.com", firstname="Jim", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(cart_with_address), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{cart_with_address}"'


def test_get_available_payment_methods_if_payments_are_not_present(
    gql, cart_with_address, customer_auth, no_payment_methods
):
    response = gql.data(query(cart_with_address), **customer_auth)
    assert response["cart"]["available_payment_methods"] == []


def test_get_available_payment_methods_of_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'
