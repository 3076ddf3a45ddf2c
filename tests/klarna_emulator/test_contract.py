"""The same cases against the emulator and against recorded Klarna-shaped answers."""

import base64
import json

from .conftest import (
    ADDRESS,
    RECORDED_CATEGORIES,
    RECORDED_ORDER_ID,
    RECORDED_SESSION_ID,
    RECORDED_TOKEN,
    cart,
    klarna_error,
)

CAPTURE_ID = "4ba29b50-be7b-44f5-a492-113e6a865e22"
REFUND_ID = "b2cb4f8b-3c8c-4e9f-8f7a-7c2f1c9f1a11"


def _assert_klarna_error(response, status, code, message=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code
    assert isinstance(body["error_messages"], list)
    assert body["correlation_id"]
    if message is not None:
        assert message in body["error_messages"], body["error_messages"]


def _jwt_claims(token: str) -> dict:
    header, payload, signature = token.split(".")
    assert header and signature
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_create_session_returns_session_id_jwt_client_token_and_categories(klarna_backend):
    session_id = klarna_backend.create_session()

    # Read it back to see the token and categories the create call gave.
    klarna_backend.expect(
        "GET",
        f"/payments/v1/sessions/{RECORDED_SESSION_ID}",
        200,
        {
            **cart(),
            "status": "incomplete",
            "expires_at": "2030-01-03T00:00:00Z",
            "client_token": "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiMGIxZDk4MTUtMTY1ZS00MmUyLTg4NjctMzViYzAzNzg5ZTAwIn0.c2ln",
            "payment_method_categories": RECORDED_CATEGORIES,
        },
    )
    read = klarna_backend.get(f"/payments/v1/sessions/{session_id}")

    assert read.status_code == 200
    body = read.json()
    assert body["status"] == "incomplete"
    assert body["expires_at"].endswith("Z")
    assert _jwt_claims(body["client_token"])["session_id"] == session_id
    assert [c["identifier"] for c in body["payment_method_categories"]] == [
        "pay_now",
        "pay_later",
        "pay_over_time",
    ]
    assert body["order_amount"] == 12390


def test_request_without_credentials_is_401(klarna_backend):
    klarna_backend.expect("POST", "/payments/v1/sessions", 401, body="")
    klarna_backend.http.auth = None

    response = klarna_backend.post("/payments/v1/sessions", json=cart())

    assert response.status_code == 401


def test_update_session_answers_204_and_read_shows_new_amount(klarna_backend):
    session_id = klarna_backend.create_session()
    bigger = cart(
        order_amount=11900 * 10 + 490,
        order_tax_amount=19000 + 78,
        order_lines=[
            {**cart()["order_lines"][0], "quantity": 20, "total_amount": 119000, "total_tax_amount": 19000},
            cart()["order_lines"][1],
        ],
    )
    klarna_backend.expect("POST", f"/payments/v1/sessions/{RECORDED_SESSION_ID}", 204)
    klarna_backend.expect(
        "GET",
        f"/payments/v1/sessions/{RECORDED_SESSION_ID}",
        200,
        {
            **bigger,
            "status": "incomplete",
            "payment_method_categories": [RECORDED_CATEGORIES[0], RECORDED_CATEGORIES[2]],
        },
    )

    updated = klarna_backend.post(f"/payments/v1/sessions/{session_id}", json=bigger)
    read = klarna_backend.get(f"/payments/v1/sessions/{session_id}").json()

    assert updated.status_code == 204
    assert updated.content == b""
    assert read["order_amount"] == 119490
    # EUR 1194.90 is above the pay_later maximum: the shopper can no longer pay later.
    assert [c["identifier"] for c in read["payment_method_categories"]] == ["pay_now", "pay_over_time"]


def test_read_unknown_session_is_404_not_found(klarna_backend):
    klarna_backend.expect(
        "GET", "/payments/v1/sessions/nope", 404, klarna_error("NOT_FOUND", "Invalid session id")
    )

    response = klarna_backend.get("/payments/v1/sessions/nope")

    _assert_klarna_error(response, 404, "NOT_FOUND", "Invalid session id")


def test_line_tax_outside_tolerance_is_bad_value_naming_the_calculated_value(klarna_backend):
    discount = {
        "type": "discount",
        "name": "WELCOME10",
        "quantity": 1,
        "unit_price": -19000,
        "tax_rate": 1900,
        "total_amount": -19000,
        "total_tax_amount": -2000,
    }
    payload = cart(order_lines=[*cart()["order_lines"], discount])
    message = "Bad value: order_lines[2].total_tax_amount differs from the calculated value [-3034] by more than [1]"
    klarna_backend.expect("POST", "/payments/v1/sessions", 400, klarna_error("BAD_VALUE", message))

    response = klarna_backend.post("/payments/v1/sessions", json=payload)

    _assert_klarna_error(response, 400, "BAD_VALUE", message)


def test_order_amount_that_is_not_the_sum_of_lines_is_bad_value(klarna_backend):
    klarna_backend.expect(
        "POST", "/payments/v1/sessions", 400, klarna_error("BAD_VALUE", "Bad value: order_amount")
    )

    response = klarna_backend.post("/payments/v1/sessions", json=cart(order_amount=12391))

    _assert_klarna_error(response, 400, "BAD_VALUE", "Bad value: order_amount")


def test_currency_not_sold_in_the_country_is_bad_value(klarna_backend):
    klarna_backend.expect(
        "POST", "/payments/v1/sessions", 400, klarna_error("BAD_VALUE", "Bad value: purchase_currency")
    )

    response = klarna_backend.post("/payments/v1/sessions", json=cart(purchase_currency="SEK"))

    _assert_klarna_error(response, 400, "BAD_VALUE", "Bad value: purchase_currency")


def test_create_order_returns_order_id_fraud_status_and_payment_method(klarna_backend):
    session_id = klarna_backend.create_session()
    token = klarna_backend.authorize(session_id)
    klarna_backend.expect(
        "POST",
        f"/payments/v1/authorizations/{RECORDED_TOKEN}/order",
        200,
        {
            "order_id": RECORDED_ORDER_ID,
            "redirect_url": "https://payments.klarna.com/redirect/abc",
            "fraud_status": "ACCEPTED",
            "authorized_payment_method": {"type": "invoice", "number_of_days": 30},
        },
    )

    response = klarna_backend.post(
        f"/payments/v1/authorizations/{token}/order",
        json={**cart(), "billing_address": ADDRESS, "merchant_reference1": "000000042"},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["order_id"]
    assert body["redirect_url"]
    assert body["fraud_status"] == "ACCEPTED"
    assert body["authorized_payment_method"]["type"] == "invoice"


def test_create_order_twice_with_one_token_replays_the_first_order(klarna_backend):
    session_id = klarna_backend.create_session()
    token = klarna_backend.authorize(session_id)
    answer = {
        "order_id": RECORDED_ORDER_ID,
        "redirect_url": "https://payments.klarna.com/redirect/abc",
        "fraud_status": "ACCEPTED",
        "authorized_payment_method": {"type": "invoice", "number_of_days": 30},
    }
    klarna_backend.expect("POST", f"/payments/v1/authorizations/{RECORDED_TOKEN}/order", 200, answer)
    klarna_backend.expect("POST", f"/payments/v1/authorizations/{RECORDED_TOKEN}/order", 200, answer)
    body = {**cart(), "billing_address": ADDRESS}

    first = klarna_backend.post(f"/payments/v1/authorizations/{token}/order", json=body)
    second = klarna_backend.post(f"/payments/v1/authorizations/{token}/order", json=body)

    assert first.status_code == second.status_code == 200
    assert first.json()["order_id"] == second.json()["order_id"]


def test_create_order_with_changed_data_is_409_and_the_failure_sticks(klarna_backend):
    session_id = klarna_backend.create_session()
    token = klarna_backend.authorize(session_id)
    changed = {**cart(), "billing_address": {**ADDRESS, "postal_code": "10117"}}
    error = klarna_error(
        "BAD_VALUE", "Not matching fields: [billing_address.postal_code, shipping_address.postal_code]"
    )
    klarna_backend.expect("POST", f"/payments/v1/authorizations/{RECORDED_TOKEN}/order", 409, error)
    klarna_backend.expect("POST", f"/payments/v1/authorizations/{RECORDED_TOKEN}/order", 409, error)

    mismatch = klarna_backend.post(f"/payments/v1/authorizations/{token}/order", json=changed)
    # Even the right data now gets the first answer: a new authorization is needed.
    retry = klarna_backend.post(
        f"/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": ADDRESS}
    )

    _assert_klarna_error(
        mismatch,
        409,
        "BAD_VALUE",
        "Not matching fields: [billing_address.postal_code, shipping_address.postal_code]",
    )
    _assert_klarna_error(retry, 409, "BAD_VALUE")


def test_create_order_with_unknown_token_is_404(klarna_backend):
    klarna_backend.expect(
        "POST",
        "/payments/v1/authorizations/unknown/order",
        404,
        klarna_error("NOT_FOUND", "Invalid authorization token"),
    )

    response = klarna_backend.post("/payments/v1/authorizations/unknown/order", json=cart())

    _assert_klarna_error(response, 404, "NOT_FOUND", "Invalid authorization token")


def test_cancelled_authorization_cannot_create_an_order(klarna_backend):
    session_id = klarna_backend.create_session()
    token = klarna_backend.authorize(session_id)
    klarna_backend.expect("DELETE", f"/payments/v1/authorizations/{RECORDED_TOKEN}", 204)
    klarna_backend.expect(
        "POST",
        f"/payments/v1/authorizations/{RECORDED_TOKEN}/order",
        404,
        klarna_error("NOT_FOUND", "Invalid authorization token"),
    )

    cancelled = klarna_backend.delete(f"/payments/v1/authorizations/{token}")
    order = klarna_backend.post(
        f"/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": ADDRESS}
    )

    assert cancelled.status_code == 204
    _assert_klarna_error(order, 404, "NOT_FOUND")


def _order_path(order_id):
    return f"/ordermanagement/v1/orders/{order_id}"


def _capture_answer(backend, order_id=RECORDED_ORDER_ID):
    backend.expect(
        "POST",
        f"{_order_path(order_id)}/captures",
        201,
        headers={
            "Capture-Id": CAPTURE_ID,
            "Location": f"{backend.base}{_order_path(order_id)}/captures/{CAPTURE_ID}",
        },
    )


def test_capture_is_201_with_capture_id_and_location_and_part_captures_the_order(klarna_backend):
    order_id = klarna_backend.place_order()
    _capture_answer(klarna_backend)
    klarna_backend.expect(
        "GET",
        _order_path(RECORDED_ORDER_ID),
        200,
        {
            "order_id": RECORDED_ORDER_ID,
            "status": "PART_CAPTURED",
            "fraud_status": "ACCEPTED",
            "order_amount": 12390,
            "captured_amount": 5000,
            "refunded_amount": 0,
            "remaining_authorized_amount": 7390,
            "captures": [{"capture_id": CAPTURE_ID, "captured_amount": 5000}],
        },
    )

    response = klarna_backend.post(f"{_order_path(order_id)}/captures", json={"captured_amount": 5000})
    order = klarna_backend.get(_order_path(order_id)).json()

    assert response.status_code == 201
    capture_id = response.headers["Capture-Id"]
    assert response.headers["Location"].endswith(f"/orders/{order_id}/captures/{capture_id}")
    assert order["status"] == "PART_CAPTURED"
    assert order["remaining_authorized_amount"] == 7390
    assert [c["capture_id"] for c in order["captures"]] == [capture_id]


def test_capture_above_remaining_amount_is_capture_not_allowed(klarna_backend):
    order_id = klarna_backend.place_order()
    klarna_backend.expect(
        "POST",
        f"{_order_path(RECORDED_ORDER_ID)}/captures",
        403,
        klarna_error(
            "CAPTURE_NOT_ALLOWED", "Captured amount is higher than the remaining authorized amount."
        ),
    )

    response = klarna_backend.post(f"{_order_path(order_id)}/captures", json={"captured_amount": 12391})

    _assert_klarna_error(response, 403, "CAPTURE_NOT_ALLOWED")


def test_cancel_after_a_capture_is_cancel_not_allowed(klarna_backend):
    order_id = klarna_backend.place_order()
    _capture_answer(klarna_backend)
    message = "Order has previous captures. Cancel not possible"
    klarna_backend.expect(
        "POST", f"{_order_path(RECORDED_ORDER_ID)}/cancel", 403, klarna_error("CANCEL_NOT_ALLOWED", message)
    )

    klarna_backend.post(f"{_order_path(order_id)}/captures", json={"captured_amount": 100})
    response = klarna_backend.post(f"{_order_path(order_id)}/cancel")

    _assert_klarna_error(response, 403, "CANCEL_NOT_ALLOWED", message)


def test_refund_is_201_with_refund_id_and_beyond_captured_is_refused(klarna_backend):
    order_id = klarna_backend.place_order()
    _capture_answer(klarna_backend)
    klarna_backend.expect(
        "POST",
        f"{_order_path(RECORDED_ORDER_ID)}/refunds",
        201,
        headers={
            "Refund-Id": REFUND_ID,
            "Location": f"{klarna_backend.base}{_order_path(RECORDED_ORDER_ID)}/refunds/{REFUND_ID}",
        },
    )
    klarna_backend.expect(
        "POST",
        f"{_order_path(RECORDED_ORDER_ID)}/refunds",
        403,
        klarna_error("REFUND_NOT_ALLOWED", "Refunded amount is higher than the refundable amount."),
    )

    klarna_backend.post(f"{_order_path(order_id)}/captures", json={"captured_amount": 5000})
    refund = klarna_backend.post(f"{_order_path(order_id)}/refunds", json={"refunded_amount": 3000})
    beyond = klarna_backend.post(f"{_order_path(order_id)}/refunds", json={"refunded_amount": 2001})

    assert refund.status_code == 201
    assert refund.headers["Refund-Id"]
    _assert_klarna_error(beyond, 403, "REFUND_NOT_ALLOWED")


def test_same_idempotency_key_registers_one_capture_and_answers_the_same(klarna_backend):
    order_id = klarna_backend.place_order()
    _capture_answer(klarna_backend)
    _capture_answer(klarna_backend)
    klarna_backend.expect(
        "GET",
        _order_path(RECORDED_ORDER_ID),
        200,
        {"order_id": RECORDED_ORDER_ID, "status": "PART_CAPTURED", "captured_amount": 1000},
    )
    key = {"Klarna-Idempotency-Key": "7b0c8a1e-2f5e-4c1b-9a55-5d8e3f0b6a10"}

    first = klarna_backend.post(
        f"{_order_path(order_id)}/captures", json={"captured_amount": 1000}, headers=key
    )
    second = klarna_backend.post(
        f"{_order_path(order_id)}/captures", json={"captured_amount": 1000}, headers=key
    )
    order = klarna_backend.get(_order_path(order_id)).json()

    assert first.status_code == second.status_code == 201
    assert first.headers["Capture-Id"] == second.headers["Capture-Id"]
    assert order["captured_amount"] == 1000


def test_pending_persona_order_is_pending_and_cannot_be_captured(klarna_backend):
    pending = {**ADDRESS, "email": "k+pend-accept-10@klarna.com"}
    order_id = klarna_backend.place_order(billing=pending, fraud_status="PENDING")
    klarna_backend.expect(
        "GET",
        _order_path(RECORDED_ORDER_ID),
        200,
        {"order_id": RECORDED_ORDER_ID, "status": "AUTHORIZED", "fraud_status": "PENDING"},
    )
    klarna_backend.expect(
        "POST",
        f"{_order_path(RECORDED_ORDER_ID)}/captures",
        403,
        klarna_error("CAPTURE_NOT_ALLOWED", "Capture not possible while fraud review is pending."),
    )

    order = klarna_backend.get(_order_path(order_id)).json()
    capture = klarna_backend.post(f"{_order_path(order_id)}/captures", json={"captured_amount": 100})

    assert order["fraud_status"] == "PENDING"
    _assert_klarna_error(capture, 403, "CAPTURE_NOT_ALLOWED")


def test_injected_outage_answers_klarna_error_then_recovers(klarna_backend):
    klarna_backend.inject(
        r"^/payments/v1/sessions$", method="POST", status=503, error_code="TEMPORARILY_UNAVAILABLE"
    )
    klarna_backend.expect(
        "POST",
        "/payments/v1/sessions",
        503,
        klarna_error("TEMPORARILY_UNAVAILABLE", "Service temporarily unavailable"),
    )

    outage = klarna_backend.post("/payments/v1/sessions", json=cart())
    session_id = klarna_backend.create_session()

    _assert_klarna_error(outage, 503, "TEMPORARILY_UNAVAILABLE")
    assert session_id
