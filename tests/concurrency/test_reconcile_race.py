"""klarna_reconcile on several hosts at once (threads with their own PostgreSQL connections):
each unfinished placement, shipment capture or credit memo is resolved by exactly one of them."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection, connections

from checkout import credit_memos, shipments
from checkout.credit_memos import CreditMemoInput
from checkout.models import CreditMemo, EmailOutbox, Order, OrderPlacement, Shipment
from klarna_emulator import faults
from klarna_emulator.models import EmulatorCapture, EmulatorOrder, EmulatorRefund
from payments_klarna.models import KlarnaApiCall, KlarnaPayment
from payments_klarna.reconcile import run
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _needs_postgres(transactional_db, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SKIP LOCKED) to run hosts in parallel")
    settings.KLARNA_RECONCILE_UNCERTAIN_AFTER = 0
    # Placements that are being written right now stay 'authorized' for milliseconds; the
    # production grace (300 s) keeps other hosts' 'authorized' step away from them.
    settings.KLARNA_RECONCILE_AUTHORIZED_AFTER = 300


@pytest.mark.django_db(transaction=True)
def test_parallel_reconcile_runs_resolve_an_uncertain_placement_once(gql, klarna_cart, settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    cart_ids = [klarna_cart() for _ in range(3)]
    for cart_id in cart_ids:
        faults.inject(
            r"/payments/v1/authorizations/[^/]+/order$", method="POST", kind="delay", delay_seconds="0.5"
        )
        gql.error(PLACE_ORDER, {"cart": cart_id})
    assert set(OrderPlacement.objects.values_list("state", flat=True)) == {"uncertain"}
    barrier = threading.Barrier(4)
    reports = []

    def host():
        try:
            barrier.wait()
            reports.append(run())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=host) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 3
    assert KlarnaPayment.objects.count() == 3 and EmulatorOrder.objects.count() == 3
    assert set(OrderPlacement.objects.values_list("state", flat=True)) == {"completed"}
    # 3 timed-out calls + exactly one replay per placement, whichever host made it
    assert KlarnaApiCall.objects.filter(method="POST", path__endswith="/order").count() == 6
    lines = [line for report in reports for line in report.lines]
    assert sorted(lines) == sorted(
        f"[uncertain] placement {n}: order {n} (processing)"
        for n in OrderPlacement.objects.values_list("order_number", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_reconcile_runs_settle_a_lost_refund_and_a_lost_capture_once(gql, klarna_cart, settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    settings.KLARNA_RECONCILE_PENDING_AFTER = 0
    orders = [
        Order.objects.get(
            number=gql.data(PLACE_ORDER, {"cart": klarna_cart(qty=2)})["placeOrder"]["order"]["order_number"]
        )
        for _ in range(2)
    ]
    shipped, refunded = orders
    # One shipment whose capture answer was lost, one credit memo whose refund answer was lost.
    item = shipped.items.get()
    faults.inject(r"/captures$", method="POST", kind="delay", delay_seconds="0.4", times=3)
    request = shipments.ShipmentRequest(quantities={item.pk: 1}, carrier="DHL", tracking_number="1")
    assert shipments.ship(shipped, shipments.plan_shipment(shipped, request)).pending
    item = refunded.items.get()
    request = shipments.ShipmentRequest(quantities={item.pk: 2}, carrier="DHL", tracking_number="2")
    assert shipments.ship(refunded, shipments.plan_shipment(refunded, request)).ok
    faults.inject(r"/refunds$", method="POST", kind="delay", delay_seconds="0.4", times=3)
    wanted = CreditMemoInput(reason="late", amount=Decimal("10.00"))
    assert credit_memos.create_credit_memo(refunded, wanted, operation_id=uuid.uuid4()).pending
    faults.clear()
    barrier = threading.Barrier(4)
    reports = []

    def host():
        try:
            barrier.wait()
            reports.append(run(["shipments", "credit-memos"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=host) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Shipment.objects.get(order=shipped).state == Shipment.State.SHIPPED
    assert CreditMemo.objects.get(order=refunded).state == CreditMemo.State.REFUNDED
    assert EmulatorCapture.objects.count() == 2 and EmulatorRefund.objects.count() == 1
    assert EmailOutbox.objects.filter(kind="shipment").count() == 2
    assert EmailOutbox.objects.filter(kind="refund").count() == 1
    lines = sorted(line.split(":")[0] for report in reports for line in report.lines)
    assert lines == [
        f"[credit-memos] credit memo {refunded.number}-1",
        f"[shipments] shipment {shipped.number}-1",
    ]
