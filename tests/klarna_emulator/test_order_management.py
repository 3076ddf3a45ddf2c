"""Order Management state machine beyond the contract cases."""

from datetime import timedelta

import pytest

from klarna_emulator import clock, payments
from klarna_emulator.transport import BASE_URL

from .conftest import ADDRESS, cart

OM = f"{BASE_URL}/ordermanagement/v1/orders"


@pytest.fixture
def order_id(emulator_http) -> str:
    session_id = emulator_http.post(f"{BASE_URL}/payments/v1/sessions", json=cart()).json()["session_id"]
    token = payments.authorize(session_id, "pay_later", {"billing_address": ADDRESS})["authorization_token"]
    return emulator_http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": ADDRESS}
    ).json()["order_id"]


def _order(http, order_id) -> dict:
    return http.get(f"{OM}/{order_id}").json()


def test_get_order_has_the_documented_fields(emulator_http, order_id):
    order = _order(emulator_http, order_id)

    assert order["status"] == "AUTHORIZED"
    assert (
        order["order_amount"]
        == order["original_order_amount"]
        == order["remaining_authorized_amount"]
        == 12390
    )
    assert (order["captured_amount"], order["refunded_amount"]) == (0, 0)
    assert order["purchase_currency"] == "EUR"
    assert order["billing_address"]["postal_code"] == "10115"
    assert order["initial_payment_method"]["type"] == "INVOICE"
    assert order["klarna_reference"]
    assert order["expires_at"] > order["created_at"]
    assert len(order["order_lines"]) == 2


def test_capturing_everything_makes_the_order_captured(emulator_http, order_id):
    emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 12000})
    emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 390})

    order = _order(emulator_http, order_id)
    captures = emulator_http.get(f"{OM}/{order_id}/captures").json()

    assert order["status"] == "CAPTURED"
    assert order["remaining_authorized_amount"] == 0
    assert [c["captured_amount"] for c in captures] == [12000, 390]


def test_release_remaining_authorization_after_part_capture(emulator_http, order_id):
    refused = emulator_http.post(f"{OM}/{order_id}/release-remaining-authorization")
    emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 5000})
    released = emulator_http.post(f"{OM}/{order_id}/release-remaining-authorization")
    capture = emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 1})

    assert refused.status_code == 403 and refused.json()["error_code"] == "NOT_ALLOWED"
    assert released.status_code == 204
    assert _order(emulator_http, order_id)["remaining_authorized_amount"] == 0
    assert capture.json()["error_code"] == "CAPTURE_NOT_ALLOWED"


def test_cancelled_order_cannot_be_captured(emulator_http, order_id):
    cancelled = emulator_http.post(f"{OM}/{order_id}/cancel")
    capture = emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 100})

    assert cancelled.status_code == 204
    assert _order(emulator_http, order_id)["status"] == "CANCELLED"
    assert capture.status_code == 403
    assert capture.json()["error_code"] == "CAPTURE_NOT_ALLOWED"


def test_order_expires_after_28_days_unless_extended(emulator_http, order_id):
    clock.advance(timedelta(days=27))
    extended = emulator_http.post(f"{OM}/{order_id}/extend-authorization-time")
    clock.advance(timedelta(days=27))
    still_authorized = _order(emulator_http, order_id)["status"]
    clock.advance(timedelta(days=2))

    expired = _order(emulator_http, order_id)
    capture = emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 100})
    extend = emulator_http.post(f"{OM}/{order_id}/extend-authorization-time")

    assert extended.status_code == 204
    assert still_authorized == "AUTHORIZED"
    assert expired["status"] == "EXPIRED"
    assert capture.json()["error_messages"] == [f"Order {order_id} is expired. Capture not possible."]
    assert extend.json()["error_code"] == "NOT_ALLOWED"


def test_refund_without_captures_is_refused(emulator_http, order_id):
    response = emulator_http.post(f"{OM}/{order_id}/refunds", json={"refunded_amount": 100})

    assert response.status_code == 403
    assert response.json()["error_messages"] == ["Order has no captures. Refund not possible"]


def test_refund_can_be_read_back(emulator_http, order_id):
    emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 5000})
    created = emulator_http.post(
        f"{OM}/{order_id}/refunds", json={"refunded_amount": 1000, "description": "Mug"}
    )

    refund = emulator_http.get(created.headers["Location"]).json()

    assert refund["refunded_amount"] == 1000
    assert refund["description"] == "Mug"
    assert _order(emulator_http, order_id)["refunded_amount"] == 1000


def test_acknowledge_answers_204(emulator_http, order_id):
    assert emulator_http.post(f"{OM}/{order_id}/acknowledge").status_code == 204


def test_unknown_order_is_no_such_order(emulator_http, db):
    response = emulator_http.get(f"{OM}/nope")

    assert response.status_code == 404
    assert response.json()["error_code"] == "NO_SUCH_ORDER"


def test_idempotency_key_replays_a_refusal_too_and_expires_after_24_hours(emulator_http, order_id):
    key = {"Klarna-Idempotency-Key": "c3f1a8e2-0000-4000-8000-000000000001"}
    emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 100})
    first = emulator_http.post(f"{OM}/{order_id}/cancel", headers=key)
    emulator_http.post(f"{OM}/{order_id}/refunds", json={"refunded_amount": 100})
    replay = emulator_http.post(f"{OM}/{order_id}/cancel", headers=key)
    clock.advance(timedelta(hours=25))
    fresh = emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 100}, headers=key)

    assert first.status_code == replay.status_code == 403
    assert first.json() == replay.json()
    assert fresh.status_code == 201


def test_update_authorization_cannot_go_below_captured(emulator_http, order_id):
    emulator_http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 8000})

    lower = emulator_http.patch(f"{OM}/{order_id}/authorization", json={"order_amount": 7000})
    ok = emulator_http.patch(f"{OM}/{order_id}/authorization", json={"order_amount": 10000})

    assert lower.status_code == 403
    assert "cannot be less than the captured amount 8000" in lower.json()["error_messages"][0]
    assert ok.status_code == 204
    assert _order(emulator_http, order_id)["remaining_authorized_amount"] == 2000
