"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/SetGuestEmailOnCartTest.php."""

import pytest

from cart.models import Cart


def query(masked_quote_id, email):
    return """
mutation {
  setGuestEmailOnCart(input: {
    cart_id: "%s"
    email: "%s"
  }) {
    cart {
      email
    }
  }
}""" % (masked_quote_id, email)


def test_set_guest_email_on_cart(gql, guest_cart):
    email = "some@user.com"
    response = gql.data(query(guest_cart, email))
    assert response["setGuestEmailOnCart"]["cart"]["email"] == email


def test_set_guest_email_on_cart_with_different_email_address(gql, guest_cart):
    # Magento checks the email copied onto the quote's shipping address; we keep one email per
    # cart, read back by the cart query.
    gql.data(query(guest_cart, "attempt1@example.com"))
    gql.data(query(guest_cart, "attempt2@example.com"))
    assert Cart.objects.get(masked_id=guest_cart).email == "attempt2@example.com"
    assert (
        gql.data('{ cart(cart_id: "%s") { email } }' % guest_cart)["cart"]["email"] == "attempt2@example.com"
    )


def test_set_guest_email_on_customer_cart(gql, customer_cart):
    error = gql.error(query(customer_cart, "some@user.com"))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


@pytest.mark.parametrize(
    "email, exception_message",
    [("some", "Invalid email format"), ("", 'Required parameter "email" is missing')],
    ids=["wrong_email", "no_email"],
)
def test_set_guest_email_on_cart_with_incorrect_email(gql, guest_cart, email, exception_message):
    error = gql.error(query(guest_cart, email))
    assert error["message"] == exception_message


def test_set_guest_email_on_non_existent_cart(gql, db):
    error = gql.error(query("non_existent_masked_id", "some@user.com"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_set_guest_email_with_empty_cart_id(gql, db):
    error = gql.error(query("", "some@user.com"))
    assert error["message"] == 'Required parameter "cart_id" is missing'
