"""placeOrder paid with Klarna, end to end against the in-process emulator."""

import pytest

from cart.models import Cart
from checkout.models import Order, OrderPlacement
from payments_klarna.models import KlarnaApiCall, KlarnaPayment, KlarnaSession
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


def create_order_calls():
    return KlarnaApiCall.objects.filter(method="POST", path__endswith="/order").count()


def test_klarna_place_order_creates_order_and_payment(gql, klarna_cart):
    cart_id = klarna_cart()

    result = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]

    number = result["order"]["order_number"]
    order = Order.objects.get(number=number)
    assert result["orderV2"]["status"] == "processing"
    assert order.payment_method_code == "klarna_pay_later"
    payment = KlarnaPayment.objects.get(order=order)
    assert payment.fraud_status == "ACCEPTED"
    assert payment.authorized_amount == 4498
    assert payment.currency == "EUR"
    assert create_order_calls() == 1
    assert not Cart.objects.get(masked_id=cart_id).is_active


def test_klarna_place_order_twice_calls_klarna_once(gql, klarna_cart):
    cart_id = klarna_cart()

    first = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
    second = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]

    assert first == second
    assert create_order_calls() == 1
    assert KlarnaPayment.objects.count() == 1


def test_cart_changed_after_authorization_is_refused_and_resynced(gql, klarna_cart, product):
    cart_id = klarna_cart()
    gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) { cart { id } } }',
        {"c": cart_id},
    )

    error = gql.error(PLACE_ORDER, {"cart": cart_id})

    assert "authorize" in error["message"].lower()
    assert Order.objects.count() == 0
    assert create_order_calls() == 0
    session = KlarnaSession.objects.get(cart__masked_id=cart_id, status="active")
    assert session.amount == 3 * 1999 + 500  # Klarna now holds the new amount
    assert Cart.objects.get(masked_id=cart_id).is_active


def test_pending_persona_puts_order_on_hold(gql, klarna_cart):
    cart_id = klarna_cart(email="erika+pend-accept-10@example.com")

    result = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]

    assert result["orderV2"]["status"] == "payment_review"
    assert KlarnaPayment.objects.get().fraud_status == "PENDING"


def test_klarna_refusal_at_create_order_keeps_cart_and_releases_token(gql, klarna_cart):
    from klarna_emulator import faults

    cart_id = klarna_cart()
    faults.inject(
        r"/payments/v1/authorizations/[^/]+/order$", method="POST", status=400, error_code="BAD_VALUE"
    )

    error = gql.error(PLACE_ORDER, {"cart": cart_id})

    assert error["extensions"]["category"] == "graphql-input"
    assert Order.objects.count() == 0
    assert Cart.objects.get(masked_id=cart_id).is_active
    assert OrderPlacement.objects.get().state == "failed"
    assert KlarnaSession.objects.get(cart__masked_id=cart_id, status="active").authorization_token is None


def test_klarna_timeout_at_create_order_is_uncertain_and_a_retry_completes_once(gql, klarna_cart, settings):
    from klarna_emulator import faults

    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    cart_id = klarna_cart()
    faults.inject(
        r"/payments/v1/authorizations/[^/]+/order$", method="POST", kind="delay", delay_seconds="0.5"
    )

    error = gql.error(PLACE_ORDER, {"cart": cart_id})
    placement = OrderPlacement.objects.get()
    change = gql.error(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) { cart { id } } }',
        {"c": cart_id},
    )
    retry = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]

    assert "do not pay again" in error["message"]
    assert placement.state == "uncertain"
    # The cart stays frozen while Klarna may hold an order for it; only a retry may proceed.
    assert change["message"] == "The order has already been placed and is currently processing."
    assert Order.objects.count() == 1
    assert retry["order"]["order_number"] == placement.order_number
    assert KlarnaPayment.objects.count() == 1


def test_stock_sold_out_during_the_klarna_call_cancels_the_klarna_order(
    gql, klarna_cart, product, monkeypatch
):
    from payments_klarna import services
    from shop.models import Product

    cart_id = klarna_cart()
    real_create = services.create_klarna_order

    def create_then_someone_buys_the_rest(*args, **kwargs):
        result = real_create(*args, **kwargs)
        Product.objects.filter(pk=product.pk).update(stock_qty=1)  # another shopper, meanwhile
        return result

    monkeypatch.setattr(services, "create_klarna_order", create_then_someone_buys_the_rest)

    error = gql.error(PLACE_ORDER, {"cart": cart_id})

    placement = OrderPlacement.objects.get()
    assert (
        error["message"] == "Unable to place order: Some of the products are out of stock."
    )  # Magento PlaceOrderTest
    assert Order.objects.count() == 0 and KlarnaPayment.objects.count() == 0
    assert placement.state == "failed" and placement.payment_reference
    assert services.read_klarna_order(placement.payment_reference).status == "CANCELLED"
    assert Cart.objects.get(masked_id=cart_id).is_active


def test_klarna_rejected_at_creation_places_no_order_and_keeps_the_cart(gql, klarna_cart, monkeypatch):
    from payments_klarna import services

    cart_id = klarna_cart()
    real_create = services.create_klarna_order

    def rejected(*args, **kwargs):
        result = real_create(*args, **kwargs)
        return services.KlarnaOrderResult(
            order_id=result.order_id,
            fraud_status="REJECTED",
            redirect_url=None,
            authorized_payment_method=None,
        )

    monkeypatch.setattr(services, "create_klarna_order", rejected)

    error = gql.error(PLACE_ORDER, {"cart": cart_id})

    assert error["message"] == "Klarna did not approve this purchase. Please choose another payment method."
    assert Order.objects.count() == 0
    assert OrderPlacement.objects.get().state == "failed"
    assert Cart.objects.get(masked_id=cart_id).is_active
