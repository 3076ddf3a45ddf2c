"""Database faults mid-request: the answer is a clean GraphQL error, nothing is half-written,
and the next request succeeds.

Two ways to fail a chosen statement:
- everywhere: an ``execute_wrapper`` raises ``django.db.OperationalError`` instead of running it;
- PostgreSQL: the wrapper terminates the request's own backend from a second connection
  (``pg_terminate_backend``) and then lets the statement run on the dead connection.

Documented outcomes for placeOrder with checkmo:
- a fault while writing the order rolls the whole write back (no order, no item, no address,
  no stock taken); the placement stays ``authorized`` with the error, the cart is released at
  once and the next placeOrder places exactly one order;
- when the release fails too (the database is still down), the cart stays frozen ("currently
  processing") until CART_PLACING_TIMEOUT; after it, placeOrder places exactly one order.

Documented outcomes for placeOrder with Klarna (PostgreSQL, backend terminated):
- while create order is in flight (Klarna created its order, its answer finds the connection
  dead): "Internal server error"; nothing local knows the Klarna order (the placement stays
  ``paying``, the API call row is lost), the cart stays frozen ("currently processing"); once
  CART_PLACING_TIMEOUT passed, ``klarna_reconcile`` places it again with the same token, Klarna
  replays its answer: one Klarna order, one local order with its KlarnaPayment;
- after Klarna answered and ``authorized`` was recorded, before the order is written:
  "Internal server error"; the placement keeps ``authorized`` with the Klarna order id, the cart
  stays frozen and placeOrder answers "currently processing" (even after the timeout: a new
  attempt would pay again) until ``klarna_reconcile`` writes the order from the Klarna order,
  without another create order. A later placeOrder returns that order.
"""

import io
import re
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from cart.models import Cart, CartAddress
from checkout.models import Order, OrderAddress, OrderItem, OrderPlacement
from klarna_emulator.models import EmulatorOrder
from payments_klarna.models import KlarnaApiCall, KlarnaPayment
from shop.models import Product
from tests.checkout_fixtures import ADDRESS, PLACE_ORDER

pytestmark = pytest.mark.django_db(transaction=True)

INTERNAL = {"message": "Internal server error", "category": "internal"}
SET_SHIPPING = """
mutation($c: String!, $a: CartAddressInput!) {
  setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) {
    cart { shipping_addresses { city } } } }
"""
CART = "query($c: String!) { cart(cart_id: $c) { id items { quantity } shipping_addresses { city } } }"
CLEAN = ("Traceback", 'File "', "OperationalError", "psycopg", "sqlite")
PROCESSING = {
    "message": "The order has already been placed and is currently processing.",
    "category": "graphql-input",
}
CREATE_ORDER = re.compile(r"/payments/v1/authorizations/[^/]+/order$")


class FailOn:
    """Fails the first ``times`` statements containing one of ``patterns``: by raising, or by
    running ``before`` (which may kill the connection) and then the statement."""

    def __init__(self, *patterns: str, times: int = 1, before=None):
        self.patterns = patterns
        self.left = times
        self.before = before
        self.fired: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if self.left and any(p in sql for p in self.patterns):
            self.left -= 1
            self.fired.append(sql)
            if self.before is None:
                raise OperationalError("simulated: server closed the connection unexpectedly")
            self.before(context["connection"])
        return execute(sql, params, many, context)


def post_clean(gql, query, variables):
    """Post; the body carries no traceback or driver detail."""
    response = gql.client.post(
        "/graphql",
        data=__import__("json").dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    text = response.content.decode()
    assert response.status_code in (200, 400), text[:500]
    for marker in CLEAN:
        assert marker not in text, text[:500]
    return response.json()


def only_error(result) -> dict:
    assert len(result["errors"]) == 1, result
    error = result["errors"][0]
    return {"message": error["message"], "category": error["extensions"]["category"]}


def cart_state(cart_id: str):
    cart = Cart.objects.get(masked_id=cart_id)
    addresses = sorted(CartAddress.objects.filter(cart=cart).values_list("kind", "city"))
    return cart.version, cart.is_active, cart.placing_started_at, addresses


def order_rows():
    return Order.objects.count(), OrderItem.objects.count(), OrderAddress.objects.count()


# --- everywhere: the statement raises OperationalError --------------------------------------------


def test_address_change_failing_mid_write_keeps_the_old_address_and_the_next_request_works(
    gql, new_cart, tax_rates
):
    cart_id = new_cart()
    gql.data(SET_SHIPPING, {"c": cart_id, "a": ADDRESS})
    before = cart_state(cart_id)
    fault = FailOn('UPDATE "cart_cartaddress"')

    with connection.execute_wrapper(fault):
        result = post_clean(gql, SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "city": "Bonn"}})

    assert fault.fired and only_error(result) == INTERNAL
    assert cart_state(cart_id) == before  # same address, same version: nothing half-written
    again = gql.data(SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "city": "Bonn"}})
    assert again["setShippingAddressesOnCart"]["cart"]["shipping_addresses"] == [{"city": "Bonn"}]


def test_place_order_failing_while_writing_the_order_writes_nothing_and_a_retry_places_it(
    gql, ready_to_place_cart, product
):
    cart_id = ready_to_place_cart()
    fault = FailOn('INSERT INTO "checkout_orderitem"')

    with connection.execute_wrapper(fault):
        result = post_clean(gql, PLACE_ORDER, {"cart": cart_id})

    assert fault.fired and only_error(result) == INTERNAL
    assert order_rows() == (0, 0, 0)
    assert Product.objects.get(pk=product.pk).stock_qty == 10  # no stock taken
    placement = OrderPlacement.objects.get(cart__masked_id=cart_id)
    assert placement.state == OrderPlacement.State.AUTHORIZED and "OperationalError" in placement.last_error
    _, active, placing, _ = cart_state(cart_id)
    assert active and placing is None  # released at once: the shopper can go on

    order = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["orderV2"]

    assert order["items"] == [{"product_sku": product.sku, "quantity_ordered": 2.0}]
    assert order_rows() == (1, 1, 2)
    assert OrderPlacement.objects.get(cart__masked_id=cart_id).state == OrderPlacement.State.COMPLETED


def test_place_order_failing_while_reserving_leaves_no_placement_behind(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    fault = FailOn('INSERT INTO "checkout_orderplacement"')

    with connection.execute_wrapper(fault):
        result = post_clean(gql, PLACE_ORDER, {"cart": cart_id})

    assert fault.fired and only_error(result) == INTERNAL
    assert not OrderPlacement.objects.exists() and order_rows() == (0, 0, 0)
    assert cart_state(cart_id)[2] is None  # not frozen
    assert gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["errors"] == []


def test_a_cart_frozen_by_a_failed_release_thaws_after_the_placing_timeout(
    gql, ready_to_place_cart, settings
):
    # The order write fails and so does the release in its error handler: the cart stays
    # frozen with the placement 'authorized'; the shopper sees "currently processing" until
    # CART_PLACING_TIMEOUT, then placeOrder completes exactly once.
    cart_id = ready_to_place_cart()
    fault = FailOn(
        'INSERT INTO "checkout_orderitem"', 'UPDATE "checkout_orderplacement" SET "last_error"', times=2
    )

    with connection.execute_wrapper(fault):
        result = post_clean(gql, PLACE_ORDER, {"cart": cart_id})

    assert len(fault.fired) == 2 and only_error(result) == INTERNAL
    assert order_rows() == (0, 0, 0)
    frozen = cart_state(cart_id)
    assert frozen[1] and frozen[2] is not None
    assert OrderPlacement.objects.get().state == OrderPlacement.State.AUTHORIZED
    processing = only_error(post_clean(gql, PLACE_ORDER, {"cart": cart_id}))
    blocked = only_error(post_clean(gql, SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "city": "Bonn"}}))
    assert (
        processing
        == blocked
        == {
            "message": "The order has already been placed and is currently processing.",
            "category": "graphql-input",
        }
    )

    Cart.objects.filter(masked_id=cart_id).update(
        placing_started_at=timezone.now() - timedelta(seconds=settings.CART_PLACING_TIMEOUT + 1)
    )
    placed = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]

    assert placed["errors"] == [] and order_rows() == (1, 1, 2)
    assert Cart.objects.get(masked_id=cart_id).is_active is False


# --- PostgreSQL: the request's backend is terminated mid-request --------------------------------


def kill_backend(conn):
    """Terminate ``conn``'s backend from a second connection and wait until it is gone."""
    import psycopg

    pid = conn.connection.info.backend_pid
    s = conn.settings_dict
    with psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    ) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        deadline = time.monotonic() + 5
        while killer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "backend did not exit"
            time.sleep(0.01)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        reason = f"needs PostgreSQL (pg_terminate_backend); this run uses {connection.vendor}"
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)


@pytest.mark.postgres
def test_backend_killed_during_an_address_change_writes_nothing_and_django_reconnects(
    postgres_only, gql, new_cart, tax_rates
):
    cart_id = new_cart()
    gql.data(SET_SHIPPING, {"c": cart_id, "a": ADDRESS})
    before = cart_state(cart_id)
    fault = FailOn('UPDATE "cart_cartaddress"', before=kill_backend)

    with connection.execute_wrapper(fault):
        result = post_clean(gql, SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "city": "Bonn"}})
    close_old_connections()  # what Django's handler does when a request finishes

    assert fault.fired and only_error(result) == INTERNAL
    assert cart_state(cart_id) == before
    again = gql.data(SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "city": "Bonn"}})
    assert again["setShippingAddressesOnCart"]["cart"]["shipping_addresses"] == [{"city": "Bonn"}]


@pytest.mark.postgres
def test_backend_killed_while_writing_the_order_leaves_no_partial_order_and_a_retry_places_it(
    postgres_only, gql, ready_to_place_cart, product
):
    cart_id = ready_to_place_cart()
    fault = FailOn('INSERT INTO "checkout_order"', before=kill_backend)

    with connection.execute_wrapper(fault):
        result = post_clean(gql, PLACE_ORDER, {"cart": cart_id})
    close_old_connections()

    assert fault.fired and only_error(result) == INTERNAL
    assert order_rows() == (0, 0, 0)
    assert Product.objects.get(pk=product.pk).stock_qty == 10
    placement = OrderPlacement.objects.get(cart__masked_id=cart_id)
    _, active, placing, _ = cart_state(cart_id)
    # The error handler runs on a fresh connection: the placement keeps 'authorized' with the
    # error and the cart is released, so nothing is frozen.
    assert placement.state == OrderPlacement.State.AUTHORIZED and placement.last_error
    assert active and placing is None

    placed = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]

    assert placed["errors"] == [] and order_rows() == (1, 1, 2)
    assert OrderPlacement.objects.get().state == OrderPlacement.State.COMPLETED


# --- PostgreSQL: the backend is terminated during placeOrder's Klarna steps ------------------------


class KillAfter:
    """Runs the first statement containing ``pattern`` with ``value`` among its parameters, then
    terminates the backend: that statement took effect, the next one finds the connection dead."""

    def __init__(self, pattern: str, value):
        self.pattern = pattern
        self.value = value
        self.fired: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.fired and self.pattern in sql and self.value in (params or ()):
            self.fired.append(sql)
            kill_backend(context["connection"])
        return result


@pytest.fixture
def kill_when_klarna_answers_create_order(monkeypatch):
    """Klarna (the in-process emulator, on the shop's connection) creates and stores its order;
    before its answer reaches the shop, the shop's backend is terminated. Collects the Klarna
    order ids."""
    from klarna_emulator.transport import EmulatorAdapter

    original = EmulatorAdapter.send
    answered: list[str] = []

    def send(adapter, request, *args, **kwargs):
        response = original(adapter, request, *args, **kwargs)
        if not answered and request.method == "POST" and CREATE_ORDER.search(request.path_url):
            answered.append(response.json()["order_id"])
            kill_backend(connection)
        return response

    monkeypatch.setattr(EmulatorAdapter, "send", send)
    return answered


def create_order_calls() -> list[str]:
    """The Klarna order id of every create-order call in the KlarnaApiCall log."""
    calls = KlarnaApiCall.objects.filter(method="POST", path__regex=CREATE_ORDER.pattern).order_by("id")
    return list(calls.values_list("klarna_order_id", flat=True))


def klarna_orders() -> list[tuple[str, str]]:
    return list(EmulatorOrder.objects.order_by("id").values_list("order_id", "status"))


def assert_no_order_without_its_payment():
    assert not Order.objects.filter(klarna_payment__isnull=True).exists()


def reconcile() -> str:
    out = io.StringIO()
    call_command("klarna_reconcile", stdout=out)
    return out.getvalue()


def placing_timeout_passes(settings) -> None:
    """CART_PLACING_TIMEOUT passes for every placing cart and placement."""
    past = timezone.now() - timedelta(seconds=settings.CART_PLACING_TIMEOUT + 1)
    Cart.objects.exclude(placing_started_at=None).update(placing_started_at=past)
    OrderPlacement.objects.update(started_at=past, updated_at=past)


@pytest.mark.postgres
def test_backend_killed_while_klarna_creates_the_order_ends_in_one_order_after_reconcile(
    postgres_only, gql, klarna_cart, settings, kill_when_klarna_answers_create_order
):
    settings.KLARNA_RECONCILE_UNCERTAIN_AFTER = 0
    cart_id = klarna_cart()

    result = post_clean(gql, PLACE_ORDER, {"cart": cart_id})
    close_old_connections()

    [klarna_order_id] = kill_when_klarna_answers_create_order
    assert only_error(result) == INTERNAL
    # Klarna holds an order; the shop could record nothing of it: not the API call, not
    # 'authorized', not even 'uncertain'. The placement stays 'paying' and the cart frozen.
    assert klarna_orders() == [(klarna_order_id, "AUTHORIZED")]
    assert create_order_calls() == []
    placement = OrderPlacement.objects.get(cart__masked_id=cart_id)
    assert (placement.state, placement.payment_reference) == (OrderPlacement.State.PAYING, "")
    assert order_rows() == (0, 0, 0) and not KlarnaPayment.objects.exists()
    _, active, placing, _ = cart_state(cart_id)
    assert active and placing is not None
    # Django reconnected: the next requests get the frozen cart's answer.
    assert only_error(post_clean(gql, PLACE_ORDER, {"cart": cart_id})) == PROCESSING
    assert (
        only_error(post_clean(gql, SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "city": "Bonn"}}))
        == PROCESSING
    )
    # While the request could still be paying, reconcile leaves the placement alone.
    assert "uncertain" not in reconcile() and not Order.objects.exists()

    placing_timeout_passes(settings)
    report = reconcile()

    # Placed again with the same token: Klarna replayed its order, which now has its local order.
    order = Order.objects.get()
    assert f"[uncertain] placement {order.number}: order {order.number} (processing)" in report
    assert KlarnaPayment.objects.get().klarna_order_id == klarna_order_id
    assert klarna_orders() == [(klarna_order_id, "AUTHORIZED")]
    assert create_order_calls() == [klarna_order_id]  # the replay (the first call's row was lost)
    assert order_rows() == (1, 1, 2)
    assert OrderPlacement.objects.get().state == OrderPlacement.State.COMPLETED
    assert_no_order_without_its_payment()

    again = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]
    assert again["errors"] == [] and again["orderV2"]["number"] == order.number
    assert "nothing to do" in reconcile()
    assert Order.objects.count() == 1 and create_order_calls() == [klarna_order_id]


@pytest.mark.postgres
def test_backend_killed_after_klarna_answered_before_the_order_is_written_reconcile_writes_it(
    postgres_only, gql, klarna_cart, settings, product
):
    settings.KLARNA_RECONCILE_AUTHORIZED_AFTER = 0
    cart_id = klarna_cart()
    fault = KillAfter('UPDATE "checkout_orderplacement"', OrderPlacement.State.AUTHORIZED.value)

    with connection.execute_wrapper(fault):
        result = post_clean(gql, PLACE_ORDER, {"cart": cart_id})
    close_old_connections()

    assert fault.fired and only_error(result) == INTERNAL
    [(klarna_order_id, _)] = klarna_orders()
    assert create_order_calls() == [klarna_order_id]
    assert order_rows() == (0, 0, 0) and not KlarnaPayment.objects.exists()
    assert Product.objects.get(pk=product.pk).stock_qty == 10
    # The failed order transaction dropped the dead connection; its error handler ran on a new
    # one: 'authorized' with Klarna's order id and the error; the cart stays frozen.
    placement = OrderPlacement.objects.get(cart__masked_id=cart_id)
    assert placement.state == OrderPlacement.State.AUTHORIZED
    assert placement.payment_reference == klarna_order_id
    assert "OperationalError" in placement.last_error
    _, active, placing, _ = cart_state(cart_id)
    assert active and placing is not None
    # A retry must not pay again, nor give up the Klarna order: "currently processing", also
    # once the placing timeout passed.
    assert only_error(post_clean(gql, PLACE_ORDER, {"cart": cart_id})) == PROCESSING
    placing_timeout_passes(settings)
    assert only_error(post_clean(gql, PLACE_ORDER, {"cart": cart_id})) == PROCESSING
    assert OrderPlacement.objects.get().state == OrderPlacement.State.AUTHORIZED
    assert create_order_calls() == [klarna_order_id]

    report = reconcile()

    order = Order.objects.get()
    assert (
        f"[authorized] placement {order.number}: order {order.number} written from Klarna order "
        f"{klarna_order_id}" in report
    )
    assert KlarnaPayment.objects.get().klarna_order_id == klarna_order_id
    assert klarna_orders() == [(klarna_order_id, "AUTHORIZED")]
    assert create_order_calls() == [klarna_order_id]  # written from Klarna's order, not paid again
    assert order_rows() == (1, 1, 2) and Product.objects.get(pk=product.pk).stock_qty == 8
    assert OrderPlacement.objects.get().state == OrderPlacement.State.COMPLETED
    assert Cart.objects.get(masked_id=cart_id).is_active is False
    assert_no_order_without_its_payment()

    again = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]
    assert again["errors"] == [] and again["orderV2"]["number"] == order.number
    assert create_order_calls() == [klarna_order_id] and Order.objects.count() == 1
