"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Customer/GenerateCustomerTokenTest.php.

Magento's customer.php fixture signs in with ``password``; ours keeps its password rules, so
the fixture customer's password is tests.customers.conftest.PASSWORD."""

import time

import pytest
from django.contrib.auth.models import User

from shop import customers, throttle
from tests.customers.conftest import PASSWORD
from tests.magento.conftest import CUSTOMER_EMAIL


def query(email=CUSTOMER_EMAIL, password=PASSWORD):
    return """
mutation {
	generateCustomerToken(
        email: "%s"
        password: "%s"
    ) {
        token
    }
}""" % (email, password)


def failures(email=CUSTOMER_EMAIL):
    """Magento's customer ``failures_num``: our sign-in throttle's count for the email."""
    return throttle.count(
        customers.SIGN_IN_SCOPE,
        customers.username_for(email),
        window=customers.settings.CUSTOMER_SIGN_IN_WINDOW,
    )


def test_generate_customer_valid_token(gql, customer):
    gql.post(query(password="wrongpassword"))
    assert failures() == 1

    response = gql.data(query())
    assert failures() == 0
    assert isinstance(response["generateCustomerToken"], dict)
    assert response["generateCustomerToken"]["token"]


@pytest.mark.parametrize(
    "email, password, message",
    [
        (
            "invalid_email@example.com",
            "password",
            "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.",
        ),
        ("", "password", 'Specify the "email" value.'),
        (
            CUSTOMER_EMAIL,
            "invalid_password",
            "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.",
        ),
        (CUSTOMER_EMAIL, "", 'Specify the "password" value.'),
    ],
    ids=["invalid_email", "empty_email", "invalid_password", "empty_password"],
)
def test_generate_customer_token_invalid_data(gql, customer, email, password, message):
    error = gql.error(query(email, password))
    assert error["message"] == message


def test_generate_customer_email_not_confirmed(gql):
    pytest.skip("needs customer/create_account/confirm=1: the shop has no account confirmation step")


def test_regenerate_customer_token(gql, customer):
    token1 = gql.data(query())["generateCustomerToken"]["token"]
    time.sleep(0.01)  # Magento sleeps 2 s: its JWTs carry the second they were issued; ours are random
    token2 = gql.data(query())["generateCustomerToken"]["token"]
    assert token1 != token2, "Tokens should not be identical!"


def test_generate_customer_token_with_empty_email(gql):
    error = gql.error(query("", "bad-password"))
    assert error["message"] == 'Specify the "email" value.'


def test_generate_customer_token_with_empty_password(gql):
    error = gql.error(query(CUSTOMER_EMAIL, ""))
    assert error["message"] == 'Specify the "password" value.'


def test_customer_log_after_generate_customer_token(gql, customer):
    response = gql.data(query())
    assert isinstance(response["generateCustomerToken"], dict)
    assert User.objects.get(pk=customer.pk).last_login is not None
