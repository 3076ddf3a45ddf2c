"""klarna_reconcile on several hosts at once (threads with their own PostgreSQL connections):
each unfinished placement is resolved by exactly one of them."""

import threading

import pytest
from django.db import connection, connections

from checkout.models import Order, OrderPlacement
from klarna_emulator import faults
from klarna_emulator.models import EmulatorOrder
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
