"""Concurrent placeOrder on one cart, on real PostgreSQL row locks: one order, whatever races."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from checkout.models import Order
from tests.checkout_fixtures import PLACE_ORDER
from tests.conftest import GraphQLClient

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _needs_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with DATABASE_URL=postgres://...)")


def _fire(n: int, document: str, variables: dict) -> list[dict]:
    barrier = threading.Barrier(n)
    results: list[dict] = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = GraphQLClient(Client()).post(document, variables)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_place_orders_create_one_order(gql, ready_to_place_cart, product):
    cart_id = ready_to_place_cart()

    results = _fire(8, PLACE_ORDER, {"cart": cart_id})

    assert Order.objects.count() == 1
    number = Order.objects.get().number
    for result in results:
        if "errors" in result:
            assert (
                result["errors"][0]["message"]
                == "The order has already been placed and is currently processing."
            )
        else:
            assert result["data"]["placeOrder"]["order"]["order_number"] == number
    assert any("errors" not in result for result in results)
    product.refresh_from_db()
    assert product.stock_qty == 8


@pytest.mark.django_db(transaction=True)
def test_last_unit_sold_to_two_carts_at_once_gives_one_order(gql, ready_to_place_cart, product):
    product.stock_qty = 2
    product.save()
    first, second = ready_to_place_cart(qty=2), ready_to_place_cart(qty=2)
    barrier = threading.Barrier(2)
    results = {}

    def worker(cart_id):
        try:
            barrier.wait()
            results[cart_id] = GraphQLClient(Client()).post(PLACE_ORDER, {"cart": cart_id})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 1
    errors = [r["errors"][0] for r in results.values() if "errors" in r]
    assert len(errors) == 1
    assert errors[0]["message"] == "Unable to place order: Some of the products are out of stock."
    product.refresh_from_db()
    assert product.stock_qty == 0


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_klarna_place_orders_call_klarna_once(gql, klarna_cart):
    from payments_klarna.models import KlarnaApiCall, KlarnaPayment

    cart_id = klarna_cart()

    results = _fire(8, PLACE_ORDER, {"cart": cart_id})

    assert Order.objects.count() == 1
    assert KlarnaPayment.objects.count() == 1
    assert KlarnaApiCall.objects.filter(method="POST", path__endswith="/order").count() == 1
    number = Order.objects.get().number
    succeeded = [r for r in results if "errors" not in r]
    assert succeeded and all(r["data"]["placeOrder"]["order"]["order_number"] == number for r in succeeded)
    for result in results:
        if "errors" in result:
            assert (
                result["errors"][0]["message"]
                == "The order has already been placed and is currently processing."
            )
