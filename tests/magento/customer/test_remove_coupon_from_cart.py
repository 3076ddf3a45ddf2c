"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/RemoveCouponFromCartTest.php."""

import pytest

from cart.models import Cart
from shop import customers
from tests.customers.conftest import PASSWORD, bearer
from tests.magento.conftest import add_simple_product
from tests.magento.guest.test_remove_coupon_from_cart import COUPON, apply_coupon


def query(masked_quote_id):
    return (
        """
mutation {
  removeCouponFromCart(input: {cart_id: "%s"}) {
    cart {
      applied_coupon {
        code
      }
    }
  }
}
"""
        % masked_quote_id
    )


@pytest.fixture
def cart_with_coupon(gql, simple_product, make_coupon, customer_cart, customer_auth):
    """discount_10percent_generalusers.php + add_simple_product.php + apply_coupon.php."""
    make_coupon(code=COUPON)
    add_simple_product(gql, customer_cart, **customer_auth)
    apply_coupon(gql, customer_cart, **customer_auth)
    return customer_cart


def test_remove_coupon_from_cart(gql, cart_with_coupon, customer_auth):
    response = gql.data(query(cart_with_coupon), **customer_auth)
    # Magento answers applied_coupon {code: null}; 2.4's schema answers applied_coupon: null.
    assert response["removeCouponFromCart"]["cart"]["applied_coupon"] is None
    assert Cart.objects.get(masked_id=cart_with_coupon).coupon_id is None


def test_remove_coupon_from_cart_if_cart_id_is_empty(gql, customer_auth):
    error = gql.error(query(""), **customer_auth)
    assert error["message"] == 'Required parameter "cart_id" is missing'


def test_remove_coupon_from_cart_if_cart_id_is_missed(gql, customer_auth):
    error = gql.error(
        "mutation {\n  removeCouponFromCart(input: {}) {\n    cart {\n      applied_coupon {\n        code\n"
        "      }\n    }\n  }\n}\n",
        **customer_auth,
    )
    assert (
        error["message"]
        == "Field RemoveCouponFromCartInput.cart_id of required type String! was not provided."
    )


def test_remove_coupon_from_non_existent_cart(gql, customer_auth):
    error = gql.error(query("non_existent_masked_id"), **customer_auth)
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_remove_coupon_from_empty_cart(gql, customer_cart, customer_auth):
    error = gql.error(query(customer_cart), **customer_auth)
    assert error["message"] == "Cart does not contain products"


def test_remove_coupon_from_cart_if_coupon_was_not_set(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    response = gql.data(query(customer_cart), **customer_auth)
    assert response["removeCouponFromCart"]["cart"]["applied_coupon"] is None


def test_remove_coupon_from_guest_cart(gql, simple_product, make_coupon, guest_cart, customer_auth):
    make_coupon(code=COUPON)
    add_simple_product(gql, guest_cart)
    apply_coupon(gql, guest_cart)
    error = gql.error(query(guest_cart), **customer_auth)
    assert error["message"] == f'The current user cannot perform operations on cart "{guest_cart}"'


def test_remove_coupon_from_another_customer_cart(gql, cart_with_coupon):
    # Magento/Customer/_files/three_customers.php: customer3@search.example.com.
    other = customers.create_customer(
        email="customer3@search.example.com", firstname="Jim", lastname="Doe", password=PASSWORD
    )
    error = gql.error(query(cart_with_coupon), **bearer(customers.issue_token(other).token))
    assert error["message"] == f'The current user cannot perform operations on cart "{cart_with_coupon}"'
    assert Cart.objects.get(masked_id=cart_with_coupon).coupon_id is not None
