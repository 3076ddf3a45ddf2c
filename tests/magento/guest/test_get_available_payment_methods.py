"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/GetAvailablePaymentMethodsTest.php."""

import pytest

from cart import payment_methods
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
def cart_with_address(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    return guest_cart


@pytest.fixture
def no_payment_methods(settings):
    """Magento's payment/checkmo/active 0, payment/free/active 0, ...: no provider configured."""
    settings.PAYMENT_PROVIDERS = []
    payment_methods.providers.cache_clear()
    yield
    payment_methods.providers.cache_clear()


def test_get_available_payment_methods(gql, cart_with_address):
    response = gql.data(query(cart_with_address))
    methods = response["cart"]["available_payment_methods"]
    # Klarna (listed first by Magento's Klarna module) is offered only with a Klarna session.
    assert methods[0]["code"] == "checkmo"
    assert methods[0]["title"] == "Check / Money order"


def test_get_available_payment_methods_from_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


def test_get_available_payment_methods_if_payments_are_not_present(
    gql, cart_with_address, no_payment_methods
):
    response = gql.data(query(cart_with_address))
    assert response["cart"]["available_payment_methods"] == []


def test_get_available_payment_methods_of_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'
