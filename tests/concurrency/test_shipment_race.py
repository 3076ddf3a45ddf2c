"""Shipments confirmed at the same moment by several staff (threads with their own PostgreSQL
connections): the same units ship, and are captured, once."""

import threading

import pytest
from django.db import connection, connections

from checkout.models import Order, Shipment
from checkout.shipments import ShipmentError, ShipmentRequest, plan_shipment, ship
from klarna_emulator.models import EmulatorCapture
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _needs_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks to run staff members in parallel")


def run_at_once(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def worker(job):
        try:
            barrier.wait()
            outcomes.append(job())
        except ShipmentError as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_staff_shipping_the_same_units_capture_them_once(gql, klarna_cart):
    number = gql.data(PLACE_ORDER, {"cart": klarna_cart(qty=2)})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)
    item = order.items.get()
    plans = [plan_shipment(order, ShipmentRequest({item.pk: 2}, "DHL", f"T{n}")) for n in range(3)]
    same = plans[0]

    outcomes = run_at_once(*(lambda p=p: ship(order, p) for p in plans), lambda: ship(order, same))

    assert EmulatorCapture.objects.count() == 1
    assert Shipment.objects.filter(state="shipped").count() == 1
    refused = [o for o in outcomes if isinstance(o, ShipmentError)]
    done = [o for o in outcomes if not isinstance(o, ShipmentError)]
    assert all("changed since you reviewed" in str(o) for o in refused)
    assert all(o.ok for o in done), [o.message for o in done]
    # whichever confirmation won; the double-submitted one answers success to both its submits
    winner = str(Shipment.objects.get().operation_id)
    assert len(done) == (2 if winner == same.operation_id else 1)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETE
