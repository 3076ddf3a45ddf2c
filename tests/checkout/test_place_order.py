"""placeOrder with an offline method: preconditions, the order written, exactly once."""

from decimal import Decimal

import pytest

from cart import locks
from cart.models import Cart
from checkout import place_order
from checkout.models import Order, OrderPlacement
from tests.checkout_fixtures import ADDRESS, PLACE_ORDER

pytestmark = pytest.mark.django_db


def test_place_order_creates_order_with_totals_items_and_addresses(gql, ready_to_place_cart, product):
    cart_id = ready_to_place_cart()

    result = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]

    number = result["order"]["order_number"]
    assert result["orderV2"]["number"] == number
    assert result["errors"] == []
    assert result["orderV2"]["status"] == "pending"
    assert result["orderV2"]["email"] == "erika@example.com"
    # 2 × 19.99 + 5.00 flat rate, all gross (DE, prices include tax)
    assert result["orderV2"]["total"]["grand_total"] == {"value": 44.98, "currency": "EUR"}
    assert result["orderV2"]["total"]["total_tax"] == {"value": 7.18}
    assert result["orderV2"]["items"] == [{"product_sku": "24-MB01", "quantity_ordered": 2.0}]
    order = Order.objects.get(number=number)
    assert order.grand_total == Decimal("44.98")
    assert {a.kind for a in order.addresses.all()} == {"shipping", "billing"}
    assert order.addresses.get(kind="shipping").city == ADDRESS["city"]
    product.refresh_from_db()
    assert product.stock_qty == 8


def test_place_order_deactivates_cart(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    gql.data(PLACE_ORDER, {"cart": cart_id})

    error = gql.error("query($c: String!) { cart(cart_id: $c) { id } }", {"c": cart_id})

    assert error["message"] == "The cart isn't active."
    assert error["extensions"]["category"] == "graphql-no-such-entity"


def test_place_order_twice_returns_same_order(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    first = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]

    second = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]

    assert first == second
    assert Order.objects.count() == 1


def test_order_numbers_are_unique_and_sequential(gql, ready_to_place_cart):
    numbers = [
        gql.data(PLACE_ORDER, {"cart": ready_to_place_cart(qty=1)})["placeOrder"]["order"]["order_number"]
        for _ in range(3)
    ]

    assert len(set(numbers)) == 3
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)


@pytest.mark.parametrize(
    ("skip", "code", "message"),
    [
        ("email", "GUEST_EMAIL_MISSING", "Guest email for cart is missing."),
        (
            "items",
            "UNABLE_TO_PLACE_ORDER",
            "A server error stopped your order from being placed. Please try to place your order again.",
        ),
        (
            "shipping_address",
            "UNABLE_TO_PLACE_ORDER",
            "Some addresses can't be used due to the configurations for specific countries.",
        ),
        (
            "shipping_method",
            "UNABLE_TO_PLACE_ORDER",
            "The shipping method is missing. Select the shipping method and try again.",
        ),
        ("billing_address", "UNABLE_TO_PLACE_ORDER", "Please check the billing address information."),
        ("payment", "UNABLE_TO_PLACE_ORDER", "Enter a valid payment method and try again."),
    ],
)
def test_place_order_preconditions_have_magento_messages(
    gql, new_cart, tax_rates, product, skip, code, message
):
    cart_id = new_cart()
    if skip != "items":
        gql.data(
            'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) { cart { id } } }',
            {"c": cart_id},
        )
    if skip != "email":
        gql.data(
            'mutation($c: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: "a@example.com"}) { cart { id } } }',
            {"c": cart_id},
        )
    if skip not in ("shipping_address", "items"):
        gql.data(
            "mutation($c: String!, $a: CartAddressInput!) { setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) { cart { id } } }",
            {"c": cart_id, "a": ADDRESS},
        )
        if skip != "shipping_method":
            gql.data(
                'mutation($c: String!) { setShippingMethodsOnCart(input: {cart_id: $c, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } } }',
                {"c": cart_id},
            )
    if skip != "billing_address":
        gql.data(
            "mutation($c: String!, $a: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $c, billing_address: {address: $a}}) { cart { id } } }",
            {"c": cart_id, "a": ADDRESS},
        )
    if skip not in ("payment", "shipping_address", "items"):
        gql.data(
            'mutation($c: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "checkmo"}}) { cart { id } } }',
            {"c": cart_id},
        )

    error = gql.error(PLACE_ORDER, {"cart": cart_id})

    # Magento 2.4.9 formats what stops the order itself as "Unable to place order: …"
    # (Magento's PlaceOrderTest; shared/reference/magento-graphql.md §2.7).
    prefix = "Unable to place order: " if code == "UNABLE_TO_PLACE_ORDER" else ""
    assert error["message"] == prefix + message
    assert error["extensions"] == {"category": "graphql-input", "error_code": code}
    assert Order.objects.count() == 0
    assert Cart.objects.get(masked_id=cart_id).is_active


def test_place_order_unknown_cart(gql, db):
    error = gql.error(PLACE_ORDER, {"cart": "x" * 32})

    assert error["message"] == f'Could not find a cart with ID "{"x" * 32}"'
    assert error["extensions"] == {"category": "graphql-no-such-entity", "error_code": "CART_NOT_FOUND"}


def test_place_order_empty_cart_id(gql, db):
    error = gql.error(PLACE_ORDER, {"cart": ""})

    assert error["message"] == 'Required parameter "cart_id" is missing'
    assert error["extensions"]["category"] == "graphql-input"


def test_place_order_out_of_stock_keeps_cart(gql, ready_to_place_cart, product):
    cart_id = ready_to_place_cart()
    product.stock_qty = 1
    product.save()

    error = gql.error(PLACE_ORDER, {"cart": cart_id})

    assert error["message"] == "Unable to place order: Some of the products are out of stock."
    assert error["extensions"]["error_code"] == "UNABLE_TO_PLACE_ORDER"
    assert Cart.objects.get(masked_id=cart_id).is_active


def test_cart_cannot_change_while_order_is_being_placed(gql, ready_to_place_cart):
    from django.utils import timezone

    cart_id = ready_to_place_cart()
    Cart.objects.filter(masked_id=cart_id).update(placing_started_at=timezone.now())

    error = gql.error(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) { cart { id } } }',
        {"c": cart_id},
    )
    place_error = gql.error(PLACE_ORDER, {"cart": cart_id})

    assert error["message"] == "The order has already been placed and is currently processing."
    assert place_error["message"] == "The order has already been placed and is currently processing."


def test_stock_and_coupon_usage_are_taken_once(gql, ready_to_place_cart, product):
    from cart.models import Coupon

    coupon = Coupon.objects.create(code="WELCOME10", value=Decimal("10"))
    cart_id = ready_to_place_cart()
    gql.data(
        'mutation($c: String!) { applyCouponToCart(input: {cart_id: $c, coupon_code: "welcome10"}) { cart { id } } }',
        {"c": cart_id},
    )

    gql.data(PLACE_ORDER, {"cart": cart_id})
    gql.data(PLACE_ORDER, {"cart": cart_id})

    coupon.refresh_from_db()
    product.refresh_from_db()
    assert coupon.times_used == 1
    assert product.stock_qty == 8
    order = Order.objects.get()
    assert order.coupon_code == "WELCOME10"
    assert order.discount_total == Decimal("4.00")
    assert OrderPlacement.objects.get().state == "completed"


def test_reserve_returns_a_typed_reservation_and_marks_the_cart_placing(ready_to_place_cart):
    cart = Cart.objects.get(masked_id=ready_to_place_cart())

    reserved = place_order._reserve(lambda: locks.lock_cart(pk=cart.pk))

    assert isinstance(reserved, place_order.Reservation)
    assert reserved.cart.pk == cart.pk and reserved.payment_method_code == "checkmo"
    assert reserved.placement.state == OrderPlacement.State.PAYING
    assert reserved.placement.order_number and reserved.placement.attempts == 1
    assert reserved.cart_version == Cart.objects.get(pk=cart.pk).version
    assert reserved.totals.grand_total == Decimal("44.98")
    assert Cart.objects.get(pk=cart.pk).placing_started_at is not None


def test_reserve_of_an_ordered_cart_is_a_replay_of_its_order(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
    cart = Cart.objects.get(masked_id=cart_id)

    reserved = place_order._reserve(lambda: locks.lock_cart(pk=cart.pk))

    assert reserved == place_order.Replay(Order.objects.get(number=number))
