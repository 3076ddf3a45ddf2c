"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/SetGuestEmailOnCartTest.php
(``setGuestEmailOnCart`` refused to a signed-in customer, on its own cart and on a guest's)."""

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


def test_set_guest_email_on_cart_for_logged_in_customer(gql, customer_cart, customer_auth):
    error = gql.error(query(customer_cart, "some@user.com"), **customer_auth)
    assert error["message"] == "The request is not allowed for logged in customers"
    assert Cart.objects.get(masked_id=customer_cart).email == "customer@example.com"


def test_set_guest_email_on_guest_cart(gql, guest_cart, customer_auth):
    error = gql.error(query(guest_cart, "some@user.com"), **customer_auth)
    assert error["message"] == "The request is not allowed for logged in customers"
    assert not Cart.objects.get(masked_id=guest_cart).email
