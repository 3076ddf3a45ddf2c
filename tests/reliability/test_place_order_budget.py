"""placeOrder's SQL budget: at most 29 shop queries, the same with 1 line as with 50 (no N+1).

Counted with the in-process Klarna emulator's own queries left out (they stand for Klarna).
Measured with the email sent in the request (``EMAIL_OUTBOX_SEND=inline``, the tests' mode):
29 with Klarna, 25 with checkmo, each including the order confirmation's outbox INSERT in the
write transaction and its send right after the commit (claim UPDATE, read, outcome UPDATE;
checkout.email_outbox), which the test transaction here never commits. With the default
``background`` sender the request itself makes 26 with Klarna: the send's 3 run in the sender
thread.
"""

import pytest

from checkout.models import Order
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db

PLACE_ORDER_BUDGET = 29
REQUEST_BUDGET_WITH_BACKGROUND_SENDER = 26


@pytest.mark.parametrize("lines", [1, 50])
def test_klarna_place_order_within_budget(gql, lines_cart, shop_queries, lines):
    cart_id = lines_cart(lines)

    with shop_queries() as queries:
        result = gql.data(PLACE_ORDER, {"cart": cart_id})

    assert result["placeOrder"]["orderV2"]["status"] == "processing"
    assert queries.count <= PLACE_ORDER_BUDGET, "\n".join(queries.sql)
    assert Order.objects.get().items.count() == lines


@pytest.mark.parametrize("lines", [1, 50])
def test_checkmo_place_order_within_budget(gql, lines_cart, shop_queries, lines):
    cart_id = lines_cart(lines, klarna=False)

    with shop_queries() as queries:
        gql.data(PLACE_ORDER, {"cart": cart_id})

    assert queries.count <= PLACE_ORDER_BUDGET, "\n".join(queries.sql)


def test_place_order_queries_do_not_grow_with_lines(gql, lines_cart, shop_queries):
    counts = []
    for lines in (1, 50):
        cart_id = lines_cart(lines)
        with shop_queries() as queries:
            gql.data(PLACE_ORDER, {"cart": cart_id})
        counts.append(queries.count)

    assert counts[0] == counts[1]


def test_the_confirmation_adds_one_insert_to_the_transaction_and_its_send_three_after(
    gql, lines_cart, shop_queries, django_capture_on_commit_callbacks
):
    cart_id = lines_cart(1, klarna=False)

    with shop_queries() as queries, django_capture_on_commit_callbacks(execute=True):
        gql.data(PLACE_ORDER, {"cart": cart_id})

    outbox = [sql.split()[0] for sql in queries.sql if '"checkout_emailoutbox"' in sql]
    assert outbox == ["INSERT", "UPDATE", "SELECT", "UPDATE"]
    assert queries.count <= PLACE_ORDER_BUDGET


def test_with_the_background_sender_the_request_only_inserts_the_email(
    gql, lines_cart, shop_queries, django_capture_on_commit_callbacks, settings, monkeypatch
):
    from checkout import email_outbox

    settings.EMAIL_OUTBOX_SEND = "background"
    handed_off = []
    monkeypatch.setattr(email_outbox._SENDER, "submit", lambda *key: handed_off.append(key))
    cart_id = lines_cart(1)

    with shop_queries() as queries, django_capture_on_commit_callbacks(execute=True):
        result = gql.data(PLACE_ORDER, {"cart": cart_id})

    order = Order.objects.get(number=result["placeOrder"]["orderV2"]["number"])
    [(order_id, kind, event_id, context)] = handed_off
    assert (order_id, kind, event_id) == (order.pk, "confirmation", "")
    assert context()["order"] == order  # rendered by the sender from what the request wrote
    outbox = [sql.split()[0] for sql in queries.sql if '"checkout_emailoutbox"' in sql]
    assert outbox == ["INSERT"]
    assert queries.count <= REQUEST_BUDGET_WITH_BACKGROUND_SENDER, "\n".join(queries.sql)
