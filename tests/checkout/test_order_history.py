"""An order's history (issue 16 part 4): every status change is recorded with why and by
whom, and the timeline staff read joins it with shipments, credit memos, emails and Klarna's
operations — newest first, problems marked."""

import re
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from checkout import history
from checkout.credit_memos import CreditMemoInput, create_credit_memo
from checkout.models import Order, OrderStatusChange
from checkout.orders import cancel_order
from checkout.shipments import ShipmentRequest, plan_shipment, ship
from payments_klarna.models import KlarnaPayment
from payments_klarna.order_state import apply_klarna_order
from shop.models import Product
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss():
    return User.objects.create_superuser(
        "boss", "boss@example.com", "pw", first_name="Berta", last_name="Boss"
    )


@pytest.fixture
def klarna_order(gql, klarna_cart):
    number = gql.data(PLACE_ORDER, {"cart": klarna_cart(qty=3)})["placeOrder"]["order"]["order_number"]
    return Order.objects.get(number=number)


@pytest.fixture
def checkmo_order(gql, ready_to_place_cart):
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart("checkmo")})["placeOrder"]["order"][
        "order_number"
    ]
    return Order.objects.get(number=number)


def _ship(order, quantity, user):
    item = order.items.get()
    plan = plan_shipment(
        order, ShipmentRequest(quantities={item.pk: quantity}, carrier="DHL", tracking_number="JJD000123")
    )
    result = ship(order, plan, user=user)
    assert result.ok, result.message
    return result.shipment


def _whats(order) -> list[str]:
    return [entry.what for entry in history.timeline(order)]


def test_a_new_order_has_one_entry_and_no_status_change(klarna_order):
    entries = history.timeline(klarna_order)
    assert not OrderStatusChange.objects.exists()
    placed = entries[-1]  # oldest last
    assert re.match(r"Order placed: \d+,\d\d\xa0€", placed.what)
    assert placed.who == "shopper"
    klarna = [e for e in entries if e.who == "Klarna"]
    assert len(klarna) == 1 and re.match(r"Authorized \d+,\d\d\xa0€", klarna[0].what)
    assert klarna[0].reference == KlarnaPayment.objects.get(order=klarna_order).klarna_order_id


def test_shipping_in_two_parts_records_who_completed_the_order(klarna_order, boss):
    first = _ship(klarna_order, 1, boss)
    klarna_order.refresh_from_db()
    assert klarna_order.status == "partially_shipped"
    partly = OrderStatusChange.objects.get(order=klarna_order)
    assert (partly.from_status, partly.to_status, partly.staff_user) == (
        "processing",
        "partially_shipped",
        boss,
    )
    assert first.number in partly.reason

    last = _ship(klarna_order, 2, boss)
    klarna_order.refresh_from_db()
    assert klarna_order.status == "complete"
    change = OrderStatusChange.objects.exclude(pk=partly.pk).get(order=klarna_order)
    assert (change.from_status, change.to_status, change.staff_user) == (
        "partially_shipped",
        "complete",
        boss,
    )
    assert last.number in change.reason

    entries = history.timeline(klarna_order)
    status = [e for e in entries if e.what.startswith("Status ")]
    assert [e.what for e in status] == [  # newest first
        f"Status Partially shipped → Complete: every item shipped (shipment {last.number})",
        f"Status Processing → Partially shipped: partly shipped (shipment {first.number})",
    ]
    assert all(e.who == "Berta Boss" for e in status)
    shipped = [e for e in entries if e.what.startswith("Shipment ") and " shipped (" in e.what]
    assert [e.what.split()[1] for e in shipped] == [last.number, first.number]  # newest first
    assert all(e.who == "Berta Boss" for e in shipped)
    assert re.search(r"captured \d+,\d\d\xa0€", shipped[0].what) and "DHL JJD000123" in shipped[0].what
    captures = [e for e in entries if e.what.startswith("Klarna capture")]
    assert len(captures) == 2 and all(e.what.endswith(": succeeded") for e in captures)
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)


def test_a_full_refund_closes_the_order_and_says_which_memo(checkmo_order, boss):
    result = create_credit_memo(
        checkmo_order,
        CreditMemoInput(quantities={checkmo_order.items.get().pk: 2}, shipping=True, reason="Damaged"),
        operation_id=uuid.uuid4(),
        user=boss,
    )
    assert result.ok, result.message
    checkmo_order.refresh_from_db()
    assert checkmo_order.status == "closed"
    change = OrderStatusChange.objects.get(order=checkmo_order)
    assert change.to_status == "closed" and result.memo.number in change.reason and change.staff_user == boss
    whats = _whats(checkmo_order)
    assert any(
        re.match(rf"Credit memo {result.memo.number} refunded: \d+,\d\d\xa0€", w) and w.endswith("Damaged")
        for w in whats
    )
    assert any(w.startswith("Refund email") for w in whats)


def test_cancelling_twice_returns_stock_once_and_records_once(checkmo_order):
    product = Product.objects.get(pk=checkmo_order.items.get().product_id)
    before = product.stock_qty
    with transaction.atomic():
        assert (
            cancel_order(Order.objects.select_for_update().get(pk=checkmo_order.pk), "asked by phone") is True
        )
    with transaction.atomic():
        assert cancel_order(Order.objects.select_for_update().get(pk=checkmo_order.pk), "again") is False
    product.refresh_from_db()
    assert product.stock_qty == before + 2
    assert list(OrderStatusChange.objects.values_list("to_status", "reason")) == [
        ("canceled", "asked by phone")
    ]


def test_klarnas_fraud_decision_is_recorded_with_its_reason(klarna_order):
    Order.objects.filter(pk=klarna_order.pk).update(status="payment_review")
    payment = KlarnaPayment.objects.get(order=klarna_order)
    assert apply_klarna_order(payment.pk, {"fraud_status": "ACCEPTED", "status": "AUTHORIZED"}) == "released"
    change = OrderStatusChange.objects.get(order=klarna_order)
    assert (change.from_status, change.to_status) == ("payment_review", "processing")
    assert change.reason == "Klarna accepted the payment (fraud review)"
    assert change.staff_user is None
    assert any(
        e.who == "system" and e.what.startswith("Status Payment review")
        for e in history.timeline(klarna_order)
    )


def test_a_failing_email_is_marked_as_a_problem(checkmo_order):
    checkmo_order.emails.update(state="failed", last_error="SMTPRecipientsRefused: 550 no such user")
    problems = [e for e in history.timeline(checkmo_order) if e.problem]
    assert len(problems) == 1
    assert "550 no such user" in problems[0].what


def test_the_order_page_shows_the_history_to_staff(klarna_order, boss):
    _ship(klarna_order, 3, boss)
    client = Client()
    client.force_login(boss)
    html = client.get(f"/admin/checkout/order/{klarna_order.pk}/change/").content.decode()
    assert 'id="order-history"' in html
    assert "Status Processing → Complete: every item shipped" in html
    assert "Berta Boss" in html
