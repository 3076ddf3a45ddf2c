"""Concurrent changes to one cart serialize on the cart row lock: no lost updates.

Real threads, each with its own database connection, on PostgreSQL (SQLite has no row locks).
"""

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from cart.models import Cart, CartItem

THREADS = 8
ADDS_PER_THREAD = 3

ADD = """
mutation($cartId: String!) {
  addProductsToCart(cartId: $cartId, cartItems: [{sku: "RACE", quantity: 1}]) {
    cart { id } user_errors { code message }
  }
}"""


@pytest.mark.postgres
def test_concurrent_adds_of_the_same_sku_lose_no_update(transactional_db, make_product):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    # given a cart and a product with enough stock for every add
    make_product(sku="RACE", stock=1000)
    cart = Cart.objects.create()
    start = threading.Barrier(THREADS)
    outcomes: list = []

    def shopper():
        try:
            client = Client()
            start.wait()
            for _ in range(ADDS_PER_THREAD):
                response = client.post(
                    "/graphql",
                    data=json.dumps({"query": ADD, "variables": {"cartId": cart.masked_id}}),
                    content_type="application/json",
                )
                outcomes.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    # when several shoppers add the same SKU to the same cart at once
    threads = [threading.Thread(target=shopper) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then every add counted: one line, quantity = number of adds, one version bump each
    assert len(outcomes) == THREADS * ADDS_PER_THREAD
    for status, body in outcomes:
        assert status == 200 and "errors" not in body, body
        assert body["data"]["addProductsToCart"]["user_errors"] == []
    line = CartItem.objects.get(cart=cart)
    assert line.quantity == THREADS * ADDS_PER_THREAD
    cart.refresh_from_db()
    assert cart.version == 1 + THREADS * ADDS_PER_THREAD
