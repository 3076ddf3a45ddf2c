"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/GetCartEmailTest.php."""

from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import set_guest_email


def query(masked_quote_id):
    return '\n{\n  cart(cart_id:"%s") {\n    email\n  }\n}' % masked_quote_id


def test_get_cart_email(gql, customer_cart, customer_auth):
    response = gql.data(query(customer_cart), **customer_auth)
    assert response["cart"]["email"] == "customer@example.com"


def test_get_cart_email_from_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_get_email_from_guest_cart(gql, guest_cart, customer_auth):
    set_guest_email(gql, guest_cart)  # guest/set_guest_email.php
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_get_email_from_another_customer_cart(gql, customer_cart):
    other = customers.create_customer(  # three_customers.php
        email="customer3@search.example.com", firstname="Jim", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(customer_cart), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
