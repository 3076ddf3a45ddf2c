"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Newsletter/Customer/SubscribeEmailToNewsletterTest.php."""

import pytest

from shop import customers
from tests.customers.conftest import PASSWORD, bearer


def query(email):
    return (
        """
mutation {
  subscribeEmailToNewsletter(
    email: "%s"
  ) {
    status
  }
}"""
        % email
    )


def test_add_registered_customer_email_into_newsletter_subscription(gql, customer, customer_auth):
    response = gql.data(query("customer@example.com"), **customer_auth)
    assert response["subscribeEmailToNewsletter"]["status"] == "SUBSCRIBED"
    assert customers.is_subscribed(customer)


def test_subscribe_registered_customer_email_with_enabled_confirmation(gql):
    pytest.skip("needs newsletter/subscription/confirm 1: the shop sends no subscription confirmation email")


def test_newsletter_subscription_with_unconfirmed_customer(gql):
    pytest.skip("needs customer/create_account/confirm 1: no account confirmation step")


def test_newsletter_subscription_with_incorrect_email_format(gql, customer_auth):
    error = gql.error(query("customer.example.com"), **customer_auth)
    assert error["message"] == "Enter a valid email address."


def test_newsletter_subscription_with_already_subscribed_email(gql, customer, customer_auth):
    customers.set_subscribed(customer, True)  # Magento/Newsletter/_files/subscribers.php
    error = gql.error(query("customer@example.com"), **customer_auth)
    assert error["message"] == "This email address is already subscribed."


def test_newsletter_subscription_with_another_customer_email(gql, db):
    """Magento/Newsletter/_files/three_subscribers.php: customer@search.example.com signs in and
    subscribes customer2@search.example.com's email."""
    first, second = (
        customers.create_customer(email=email, firstname="Jane", lastname="Doe", password=PASSWORD)
        for email in ("customer@search.example.com", "customer2@search.example.com")
    )
    error = gql.error(query("customer2@search.example.com"), **bearer(customers.issue_token(first).token))
    assert error["message"] == "This email address is already assigned to another user."
    assert not customers.is_subscribed(second)
