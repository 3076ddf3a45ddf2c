"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/GetCartEmailTest.php."""

from tests.magento.conftest import set_guest_email


def query(masked_quote_id):
    return '\n{\n  cart(cart_id:"%s") {    \n    email\n  }\n}' % masked_quote_id


def test_get_cart_email(gql, guest_cart):
    set_guest_email(gql, guest_cart)  # guest/set_guest_email.php
    response = gql.data(query(guest_cart))
    assert response["cart"]["email"] == "guest@example.com"


def test_get_cart_email_from_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_cart_email_from_customer_cart(gql, customer_cart):
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
