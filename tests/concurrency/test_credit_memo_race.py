"""Concurrent credit memos on one Klarna order, on real PostgreSQL row locks: the local check
holds however the confirmations race, and one confirmation posted many times refunds once."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection, connections

from checkout import credit_memos
from checkout.credit_memos import CreditMemoInput, CreditMemoRefused
from checkout.models import CreditMemo, Order
from klarna_emulator.models import EmulatorRefund
from payments_klarna import order_management
from payments_klarna.models import KlarnaPayment
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with DATABASE_URL=postgres://...)")


@pytest.fixture
def captured_order(gql, klarna_cart) -> Order:
    number = gql.data(PLACE_ORDER, {"cart": klarna_cart()})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)
    assert order_management.capture(order, operation_id=uuid.uuid4(), amount=4498).ok
    return order


def _race(n: int, make_call) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = make_call(i)
        except CreditMemoRefused as refused:
            results[i] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_racing_credit_memos_never_refund_more_than_was_captured(captured_order):
    order = captured_order
    wanted = CreditMemoInput(reason="race", amount=Decimal("20.00"))

    results = _race(4, lambda i: credit_memos.create_credit_memo(order, wanted, operation_id=uuid.uuid4()))

    done = [r for r in results if not isinstance(r, CreditMemoRefused) and r.ok]
    refused = [r for r in results if isinstance(r, CreditMemoRefused)]
    assert len(done) == 2 and len(refused) == 2, results
    assert {str(r) for r in refused} == {"You can refund at most 4,98\xa0€ — 20,00\xa0€ was asked."}
    payment = KlarnaPayment.objects.get(order=order)
    refunds = EmulatorRefund.objects.filter(order__order_id=payment.klarna_order_id)
    assert sorted(r.refunded_amount for r in refunds) == [2000, 2000]
    assert CreditMemo.objects.filter(state="refunded").count() == 2


def test_one_confirmation_posted_at_once_many_times_refunds_once(captured_order):
    order = captured_order
    operation_id = uuid.uuid4()
    wanted = CreditMemoInput(reason="double click", amount=Decimal("10.00"))

    results = _race(4, lambda i: credit_memos.create_credit_memo(order, wanted, operation_id=operation_id))

    assert all(not isinstance(r, CreditMemoRefused) for r in results), results
    assert CreditMemo.objects.count() == 1
    payment = KlarnaPayment.objects.get(order=order)
    assert [
        r.refunded_amount for r in EmulatorRefund.objects.filter(order__order_id=payment.klarna_order_id)
    ] == [1000]
