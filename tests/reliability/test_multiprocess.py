"""Races across processes on PostgreSQL (not only threads): separate interpreters, each with its
own connection, posting to /graphql against the same committed test database."""

import json
import multiprocessing

import pytest
from django.db import connection

from cart.models import Cart, CartItem
from checkout.models import Order
from payments_klarna.models import KlarnaApiCall, KlarnaPayment
from tests.checkout_fixtures import PLACE_ORDER

from .process_worker import post_documents

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PROCESSING = "The order has already been placed and is currently processing."
ADD = 'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) { user_errors { message } } }'
UPDATE = "mutation($c: String!, $i: Int, $q: Float) { updateCartItems(input: {cart_id: $c, cart_items: [{cart_item_id: $i, quantity: $q}]}) { cart { id } } }"


@pytest.fixture(autouse=True)
def _needs_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: processes share one database (run with DATABASE_URL=postgres://...)")


def run_processes(job_lists: list[list[tuple[str, dict]]]) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(job_lists))
    out = context.Queue()
    name = connection.settings_dict["NAME"]
    processes = [
        context.Process(target=post_documents, args=(name, barrier, jobs, out)) for jobs in job_lists
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    answers = []
    for batch in results:
        for status, body in batch:
            assert status in (200, 400) and "Traceback" not in body, body[:300]
            answers.append(json.loads(body))
    return answers


def test_eight_processes_place_one_klarna_order(klarna_cart):
    cart_id = klarna_cart()

    answers = run_processes([[(PLACE_ORDER, {"cart": cart_id})]] * 8)

    assert Order.objects.count() == 1
    assert KlarnaPayment.objects.count() == 1
    assert KlarnaApiCall.objects.filter(method="POST", path__endswith="/order").count() == 1
    number = Order.objects.get().number
    for answer in answers:
        if "errors" in answer:
            assert answer["errors"][0]["message"] == PROCESSING
        else:
            assert answer["data"]["placeOrder"]["order"]["order_number"] == number
    assert any("errors" not in answer for answer in answers)


def test_concurrent_adds_and_updates_from_processes_lose_no_update(gql, new_cart, product, make_product):
    product.stock_qty = 1000
    product.save()
    other = make_product(sku="OTHER-1", stock=1000)
    cart_id = new_cart()
    gql.data(ADD, {"c": cart_id})
    gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "OTHER-1", quantity: 1}]) { cart { id } } }',
        {"c": cart_id},
    )
    cart = Cart.objects.get(masked_id=cart_id)
    other_item = CartItem.objects.get(cart=cart, product=other).pk
    version = cart.version

    # 4 processes add one unit of the bag 5 times each while a 5th sets the other line 5 times.
    adders = [[(ADD, {"c": cart_id})] * 5 for _ in range(4)]
    updater = [(UPDATE, {"c": cart_id, "i": other_item, "q": q}) for q in (2, 3, 4, 5, 6)]
    answers = run_processes([*adders, updater])

    assert all("errors" not in answer for answer in answers), answers
    cart.refresh_from_db()
    assert CartItem.objects.get(cart=cart, product=product).quantity == 1 + 20
    assert CartItem.objects.get(pk=other_item).quantity == 6
    assert cart.version == version + 20 + 5


def test_last_unit_sold_to_two_processes_gives_one_order(ready_to_place_cart, product):
    product.stock_qty = 2
    product.save()
    first, second = ready_to_place_cart(qty=2), ready_to_place_cart(qty=2)

    answers = run_processes([[(PLACE_ORDER, {"cart": first})], [(PLACE_ORDER, {"cart": second})]])

    assert Order.objects.count() == 1
    errors = [a["errors"][0]["message"] for a in answers if "errors" in a]
    assert errors == ["Unable to place order: Some of the products are out of stock."]
    product.refresh_from_db()
    assert product.stock_qty == 0
