"""klarna_reconcile settles what a lost Klarna answer left open, without staff: a credit memo
left ``pending`` and a shipment left ``capturing`` are sent again under their stored idempotency
key (the emulator replays what it already did), recorded once, their email enqueued once; an
answer still lost leaves them for the next run; a refusal marks them failed."""

import uuid
from decimal import Decimal

import pytest

from checkout import credit_memos, shipments
from checkout.credit_memos import CreditMemoInput
from checkout.models import CreditMemo, EmailOutbox, Order, Shipment
from klarna_emulator import faults
from klarna_emulator.models import EmulatorCapture, EmulatorRefund
from payments_klarna import order_management
from payments_klarna.models import KlarnaApiCall, KlarnaOperation, KlarnaPayment
from payments_klarna.reconcile import run
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db

REFUNDS = r"/refunds$"
CAPTURES = r"/captures$"


@pytest.fixture(autouse=True)
def lost_answers(settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)  # a 0.4 s delay is an answer lost (read timeout)
    settings.KLARNA_RECONCILE_PENDING_AFTER = 0


@pytest.fixture
def klarna_order(gql, klarna_cart):
    def make(qty=2) -> Order:
        number = gql.data(PLACE_ORDER, {"cart": klarna_cart(qty=qty)})["placeOrder"]["order"]["order_number"]
        return Order.objects.get(number=number)

    return make


def lose_answers(path: str, times: int = 3):
    """Klarna does it, but every answer (the client's own retries too) arrives too late."""
    faults.inject(path, method="POST", kind="delay", delay_seconds="0.4", times=times)


def pending_memo(order, amount="20.00") -> CreditMemo:
    result = order_management.capture(order, operation_id=uuid.uuid4(), amount=4498)
    assert result.ok, result.message
    lose_answers(REFUNDS)
    result = credit_memos.create_credit_memo(
        order, CreditMemoInput(reason="Late", amount=Decimal(amount)), operation_id=uuid.uuid4()
    )
    assert result.pending, result.message
    return CreditMemo.objects.get(pk=result.memo.pk)


def capturing_shipment(order) -> Shipment:
    item = order.items.get()
    request = shipments.ShipmentRequest(
        quantities={item.pk: 1}, carrier="DHL", tracking_number="00340434161094012345"
    )
    lose_answers(CAPTURES)
    result = shipments.ship(order, shipments.plan_shipment(order, request))
    assert result.pending, result.message
    return Shipment.objects.get(pk=result.shipment.pk)


def refunds_of(order) -> list[EmulatorRefund]:
    payment = KlarnaPayment.objects.get(order=order)
    return list(EmulatorRefund.objects.filter(order__order_id=payment.klarna_order_id))


def captures_of(order) -> list[EmulatorCapture]:
    payment = KlarnaPayment.objects.get(order=order)
    return list(EmulatorCapture.objects.filter(order__order_id=payment.klarna_order_id))


def keys_used(suffix: str) -> set[str]:
    return set(
        KlarnaApiCall.objects.filter(method="POST", path__endswith=suffix).values_list(
            "idempotency_key", flat=True
        )
    )


def test_a_pending_credit_memo_is_settled_by_reconcile_with_its_stored_key(klarna_order):
    order = klarna_order()
    memo = pending_memo(order)
    assert [r.refunded_amount for r in refunds_of(order)] == [2000]  # Klarna did refund

    first = run(["credit-memos"])
    second = run(["credit-memos"])

    memo.refresh_from_db()
    assert memo.state == CreditMemo.State.REFUNDED and memo.provider_reference
    assert first.lines == [
        f"[credit-memos] credit memo {memo.number}: Credit memo {memo.number}: 20,00\xa0€ refunded."
    ]
    assert second.lines == []
    assert [r.refunded_amount for r in refunds_of(order)] == [2000]  # replayed, not refunded twice
    operation = KlarnaOperation.objects.get(kind="refund")
    assert keys_used("/refunds") == {operation.idempotency_key}
    assert KlarnaPayment.objects.get(order=order).refunded_amount == 2000
    assert EmailOutbox.objects.filter(order=order, kind="refund").count() == 1
    assert credit_memos.refund_state(order).limit == Decimal("24.98")


def test_a_memo_whose_answer_is_still_lost_waits_for_the_next_run(klarna_order):
    order = klarna_order()
    memo = pending_memo(order)
    lose_answers(REFUNDS)

    first = run(["credit-memos"])

    memo.refresh_from_db()
    assert memo.state == CreditMemo.State.PENDING
    assert first.lines[0].startswith(
        f"[credit-memos] credit memo {memo.number}: Klarna's answer still unknown"
    )
    assert not EmailOutbox.objects.filter(order=order, kind="refund").exists()

    second = run(["credit-memos"])

    memo.refresh_from_db()
    assert memo.state == CreditMemo.State.REFUNDED
    assert second.lines == [
        f"[credit-memos] credit memo {memo.number}: Credit memo {memo.number}: 20,00\xa0€ refunded."
    ]
    assert [r.refunded_amount for r in refunds_of(order)] == [2000]
    assert EmailOutbox.objects.filter(order=order, kind="refund").count() == 1


def test_a_memo_klarna_refuses_on_the_retry_is_failed_and_counts_for_nothing(klarna_order):
    order = klarna_order()
    assert order_management.capture(order, operation_id=uuid.uuid4(), amount=4498).ok
    # Klarna is unavailable (503: the refund's outcome is unknown) and refuses it afterwards.
    faults.inject(REFUNDS, method="POST", status=503, error_code="TEMPORARILY_UNAVAILABLE", times=10)
    result = credit_memos.create_credit_memo(
        order, CreditMemoInput(reason="x", amount=Decimal("20.00")), operation_id=uuid.uuid4()
    )
    assert result.pending and refunds_of(order) == []
    faults.clear()
    faults.inject(REFUNDS, method="POST", status=403, error_code="REFUND_NOT_ALLOWED")

    report = run(["credit-memos"])

    memo = CreditMemo.objects.get()
    assert memo.state == CreditMemo.State.FAILED
    assert "refused by Klarna, recorded as failed" in report.lines[0]
    assert refunds_of(order) == []
    assert credit_memos.refund_state(order).limit == Decimal("44.98")
    assert not EmailOutbox.objects.filter(order=order, kind="refund").exists()


def test_a_recent_pending_memo_is_left_to_the_staff_member_still_on_the_page(klarna_order, settings):
    order = klarna_order()
    memo = pending_memo(order)
    settings.KLARNA_RECONCILE_PENDING_AFTER = 3600

    assert run(["credit-memos"]).lines == []
    memo.refresh_from_db()
    assert memo.state == CreditMemo.State.PENDING


def test_a_capturing_shipment_is_settled_by_reconcile_and_ships_once(klarna_order):
    order = klarna_order(qty=3)
    shipment = capturing_shipment(order)
    [capture] = captures_of(order)  # Klarna did capture

    first = run(["shipments"])
    second = run(["shipments"])

    shipment.refresh_from_db()
    assert shipment.state == Shipment.State.SHIPPED and shipment.payment_reference == capture.capture_id
    assert first.lines[0].startswith(
        f"[shipments] shipment {shipment.number}: Shipment {shipment.number} recorded."
    )
    assert second.lines == []
    assert captures_of(order) == [capture]  # replayed, not captured twice
    assert keys_used("/captures") == {KlarnaOperation.objects.get(kind="capture").idempotency_key}
    assert EmailOutbox.objects.filter(order=order, kind="shipment").count() == 1
    assert shipments.remaining_quantities(order) == {order.items.get().pk: 2}
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_SHIPPED  # 2 of 3 left to ship


def test_the_whole_run_settles_both_and_a_second_run_does_nothing(klarna_order):
    order = klarna_order(qty=2)
    item = order.items.get()
    request = shipments.ShipmentRequest(quantities={item.pk: 2}, carrier="DHL", tracking_number="1")
    lose_answers(CAPTURES)
    assert shipments.ship(order, shipments.plan_shipment(order, request)).pending
    faults.clear()

    first = run()

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETE
    assert [line.split(":")[0] for line in first.lines] == [f"[shipments] shipment {order.number}-1"]
    lose_answers(REFUNDS)
    memo = credit_memos.create_credit_memo(
        order, CreditMemoInput(reason="all", amount=Decimal("44.98")), operation_id=uuid.uuid4()
    ).memo
    faults.clear()

    second = run()
    third = run()

    memo.refresh_from_db()
    order.refresh_from_db()
    assert memo.state == CreditMemo.State.REFUNDED
    assert [line.split(":")[0] for line in second.lines] == [f"[credit-memos] credit memo {memo.number}"]
    assert order.status == Order.Status.CLOSED  # everything refunded
    assert third.lines == []
    assert len(captures_of(order)) == 1 and len(refunds_of(order)) == 1
