"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/ApplyCouponToCartTest.php.

Magento's ``coupon_code_with_wildcard.php`` is a rule with coupon ``2?ds5!2d``; ours is a
percent coupon with that code."""

import pytest

from tests.magento.conftest import add_simple_product

COUPON = "2?ds5!2d"


def query(masked_quote_id, coupon_code):
    return """
mutation {
  applyCouponToCart(input: {cart_id: "%s", coupon_code: "%s"}) {
    cart {
    id
      applied_coupon {
        code
      }
    }
  }
}""" % (masked_quote_id, coupon_code)


@pytest.fixture
def coupon_code_with_wildcard(make_coupon):
    return make_coupon(code=COUPON)


def test_apply_coupon_to_cart(gql, simple_product, guest_cart, coupon_code_with_wildcard):
    add_simple_product(gql, guest_cart)
    response = gql.data(query(guest_cart, COUPON))
    assert response["applyCouponToCart"]["cart"]["id"] == guest_cart
    assert response["applyCouponToCart"]["cart"]["applied_coupon"]["code"] == COUPON


def test_apply_coupon_twice(gql, simple_product, guest_cart, coupon_code_with_wildcard):
    add_simple_product(gql, guest_cart)
    response = gql.data(query(guest_cart, COUPON))
    assert response["applyCouponToCart"]["cart"]["applied_coupon"]["code"] == COUPON
    error = gql.error(query(guest_cart, COUPON))
    assert error["message"] == "A coupon is already applied to the cart. Please remove it to apply another"


def test_apply_coupon_to_cart_without_items(gql, simple_product, guest_cart, coupon_code_with_wildcard):
    error = gql.error(query(guest_cart, COUPON))
    assert error["message"] == "Cart does not contain products."


def test_apply_coupon_to_customer_cart(gql, coupon_code_with_wildcard, customer_cart):
    error = gql.error(query(customer_cart, COUPON))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


def test_apply_non_existent_coupon_to_cart(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    error = gql.error(query(guest_cart, "non_existent_coupon_code"))
    assert error["message"] == "The coupon code isn't valid. Verify the code and try again."


def test_apply_coupon_to_non_existent_cart(gql, coupon_code_with_wildcard):
    error = gql.error(query("non_existent_masked_id", COUPON))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_apply_coupon_which_is_not_applicable(gql, simple_product, guest_cart, coupon_code_with_wildcard):
    # Magento's restrict_coupon_usage_for_simple_product.php excludes the cart's product by a
    # rule condition; our coupons have no product conditions, a minimum subtotal the cart does
    # not reach makes the coupon not applicable the same way.
    coupon_code_with_wildcard.min_subtotal = 1000
    coupon_code_with_wildcard.save()
    add_simple_product(gql, guest_cart)
    error = gql.error(query(guest_cart, COUPON))
    assert error["message"] == "The coupon code isn't valid. Verify the code and try again."


@pytest.mark.parametrize(
    "input, message",
    [
        (
            'coupon_code: "test"',
            "Field ApplyCouponToCartInput.cart_id of required type String! was not provided.",
        ),
        (
            'cart_id: "test_quote"',
            "Field ApplyCouponToCartInput.coupon_code of required type String! was not provided.",
        ),
    ],
    ids=["missed_cart_id", "missed_coupon_code"],
)
def test_apply_coupon_with_missed_required_parameters(gql, simple_product, guest_cart, input, message):
    error = gql.error(
        """
mutation {
  applyCouponToCart(input: {%s}) {
    cart {
      applied_coupon {
        code
      }
    }
  }
}"""
        % input
    )
    assert error["message"] == message
