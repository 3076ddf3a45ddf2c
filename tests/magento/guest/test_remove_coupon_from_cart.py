"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/RemoveCouponFromCartTest.php."""

from tests.magento.conftest import add_simple_product

COUPON = "2?ds5!2d"


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
}"""
        % masked_quote_id
    )


def apply_coupon(gql, cart_id, **auth):
    """Magento/GraphQl/Quote/_files/apply_coupon.php."""
    gql.data(
        'mutation($c: String!) { applyCouponToCart(input: {cart_id: $c, coupon_code: "%s"}) { cart { id } } }'
        % COUPON,
        {"c": cart_id},
        **auth,
    )


def test_remove_coupon_from_cart(gql, simple_product, make_coupon, guest_cart):
    make_coupon(code=COUPON)
    add_simple_product(gql, guest_cart)
    apply_coupon(gql, guest_cart)
    response = gql.data(query(guest_cart))
    # Magento answers applied_coupon {code: null}; 2.4's schema answers applied_coupon: null.
    assert response["removeCouponFromCart"]["cart"]["applied_coupon"] is None


def test_remove_coupon_from_cart_if_cart_id_is_empty(gql):
    error = gql.error(query(""))
    assert error["message"] == 'Required parameter "cart_id" is missing'


def test_remove_coupon_from_non_existent_cart(gql):
    error = gql.error(query("non_existent_masked_id"))
    assert error["message"] == 'Could not find a cart with ID "non_existent_masked_id"'


def test_remove_coupon_from_empty_cart(gql, guest_cart):
    error = gql.error(query(guest_cart))
    assert error["message"] == "Cart does not contain products"


def test_remove_coupon_from_cart_if_coupon_was_not_set(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    response = gql.data(query(guest_cart))
    assert response["removeCouponFromCart"]["cart"]["applied_coupon"] is None


def test_remove_coupon_from_customer_cart(gql, simple_product, make_coupon, customer_cart, customer_auth):
    make_coupon(code=COUPON)
    add_simple_product(gql, customer_cart, **customer_auth)
    apply_coupon(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'
