"""klarna_reconcile: each unfinished state is resolved once, and runs back to back (or on
several hosts) never double an order, a payment or a Klarna call that moves money."""

from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from checkout import place_order
from checkout.models import Order, OrderPlacement
from klarna_emulator import callbacks, faults
from klarna_emulator.models import EmulatorOrder
from payments_klarna.models import KlarnaApiCall, KlarnaPayment, KlarnaReconcileUnit
from payments_klarna.reconcile import claim, run
from shop.errors import DomainError
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_waiting(settings):
    settings.KLARNA_RECONCILE_UNCERTAIN_AFTER = 0
    settings.KLARNA_RECONCILE_AUTHORIZED_AFTER = 0


def create_order_calls() -> int:
    return KlarnaApiCall.objects.filter(method="POST", path__endswith="/order").count()


def crash_writing_the_order(monkeypatch, error):
    def crash(*args, **kwargs):
        raise error

    monkeypatch.setattr(place_order, "_create_order", crash)


def test_uncertain_placement_after_a_timeout_gets_its_order_once(gql, klarna_cart, settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    cart_id = klarna_cart()
    faults.inject(
        r"/payments/v1/authorizations/[^/]+/order$", method="POST", kind="delay", delay_seconds="0.5"
    )
    gql.error(PLACE_ORDER, {"cart": cart_id})
    assert OrderPlacement.objects.get().state == "uncertain"

    first = run()
    second = run()

    placement = OrderPlacement.objects.get()
    order = Order.objects.get()
    assert placement.state == "completed" and order.number == placement.order_number
    assert first.lines == [f"[uncertain] placement {order.number}: order {order.number} (processing)"]
    assert second.lines == []
    assert EmulatorOrder.objects.count() == 1 and KlarnaPayment.objects.count() == 1
    assert create_order_calls() == 2  # the timed-out call and the replayed one


def test_authorized_placement_without_order_is_written_from_klarna(gql, klarna_cart, monkeypatch):
    cart_id = klarna_cart()
    with monkeypatch.context() as patch:
        crash_writing_the_order(patch, RuntimeError("server died"))
        with pytest.raises(RuntimeError):
            place_order.place_order(cart_id)
    placement = OrderPlacement.objects.get()
    assert (placement.state, Order.objects.count()) == ("authorized", 0)

    report = run(["authorized"])
    run(["authorized"])

    order = Order.objects.get()
    payment = KlarnaPayment.objects.get()
    assert report.lines == [
        f"[authorized] placement {order.number}: order {order.number} written from Klarna order {payment.klarna_order_id}"
    ]
    assert (order.status, payment.klarna_order_id) == ("processing", placement.payment_reference)
    assert payment.klarna_reference and payment.expires_at  # applied from Klarna's order
    assert OrderPlacement.objects.get().state == "completed"
    assert create_order_calls() == 1


def test_authorized_placement_whose_klarna_order_was_cancelled_is_marked_failed(
    gql, klarna_cart, monkeypatch
):
    from payments_klarna.services import cancel_klarna_order

    cart_id = klarna_cart()
    with monkeypatch.context() as patch:
        crash_writing_the_order(patch, RuntimeError("server died"))
        with pytest.raises(RuntimeError):
            place_order.place_order(cart_id)
    cancel_klarna_order(OrderPlacement.objects.get().payment_reference)

    report = run(["authorized"])

    assert "is CANCELLED/ACCEPTED; marked failed" in report.lines[0]
    assert OrderPlacement.objects.get().state == "failed"
    assert Order.objects.count() == 0


def test_failed_placement_with_a_klarna_order_gets_it_cancelled(gql, klarna_cart, monkeypatch):
    cart_id = klarna_cart()
    # The local order cannot be written and the compensating cancel fails too.
    faults.inject(r"/cancel$", method="POST", status=503, error_code="TEMPORARILY_UNAVAILABLE", times=3)
    with monkeypatch.context() as patch:
        crash_writing_the_order(patch, DomainError("place_failed", message="stock vanished"))
        with pytest.raises(DomainError):
            place_order.place_order(cart_id)
    placement = OrderPlacement.objects.get()
    assert placement.state == "failed" and placement.payment_reference
    assert EmulatorOrder.objects.get().status == "AUTHORIZED"

    first = run(["failed"])
    second = run(["failed"])

    assert EmulatorOrder.objects.get().status == "CANCELLED"
    assert first.lines == [
        f"[failed] placement {placement.order_number}, Klarna order {placement.payment_reference}: cancelled at Klarna"
    ]
    assert second.lines == []


def test_held_order_is_refreshed_and_released(gql, klarna_cart):
    cart_id = klarna_cart(email="erika+pend-accept-00@example.com")
    number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]

    class Unreachable:
        def post(self, *args, **kwargs):
            raise requests.ConnectionError("shop down")

    callbacks.fire_due(http=Unreachable())  # Klarna decided, but its notification never arrived

    report = run(["held"])

    assert report.lines == [f"[held] order {number}: released"]
    assert Order.objects.get().status == "processing"
    assert run(["held"]).lines == []


def test_authorization_close_to_expiry_is_warned_once_a_day(gql, klarna_cart, caplog):
    cart_id = klarna_cart()
    gql.data(PLACE_ORDER, {"cart": cart_id})
    run(["held"])
    KlarnaPayment.objects.update(expires_at=timezone.now() + timedelta(days=3))

    not_yet = run(["expiring"], expiry_days=2)
    warned = run(["expiring"], expiry_days=7)
    again = run(["expiring"], expiry_days=7)

    assert not_yet.lines == []
    [line] = warned.lines
    assert (
        line.startswith(f"[expiring] order {Order.objects.get().number}") and "capture or extend it" in line
    )
    assert "Klarna authorization close to expiry" in caplog.text
    assert again.lines == []


def test_two_runs_back_to_back_double_nothing(gql, klarna_cart, settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    uncertain_cart = klarna_cart()
    faults.inject(
        r"/payments/v1/authorizations/[^/]+/order$", method="POST", kind="delay", delay_seconds="0.5"
    )
    gql.error(PLACE_ORDER, {"cart": uncertain_cart})
    held_cart = klarna_cart(email="erika+pend-accept-30@example.com")
    gql.data(PLACE_ORDER, {"cart": held_cart})

    run()
    run()

    assert Order.objects.count() == 2
    assert KlarnaPayment.objects.count() == 2
    assert EmulatorOrder.objects.count() == 2
    assert KlarnaApiCall.objects.filter(method="POST", path__startswith="/ordermanagement").count() == 0


def test_a_unit_claimed_by_another_host_is_skipped(gql, klarna_cart, settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    cart_id = klarna_cart()
    faults.inject(
        r"/payments/v1/authorizations/[^/]+/order$", method="POST", kind="delay", delay_seconds="0.5"
    )
    gql.error(PLACE_ORDER, {"cart": cart_id})
    placement = OrderPlacement.objects.get()
    key = f"placement:{placement.pk}:uncertain:{placement.attempts}"
    assert claim(key, OrderPlacement.objects.filter(pk=placement.pk))  # the other host

    skipped = run(["uncertain"])
    KlarnaReconcileUnit.objects.filter(key=key).update(claimed_until=timezone.now() - timedelta(seconds=1))
    after_lease = run(["uncertain"])

    assert skipped.lines == []
    assert len(after_lease.lines) == 1 and Order.objects.count() == 1
