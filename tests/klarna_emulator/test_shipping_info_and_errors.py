"""The emulator's Order Management additions of issue 16: shipping_info on captures (and the
shipping-info endpoints), optional fields omitted rather than null, and Klarna's JSON error for
every path it does not model."""

import pytest

from klarna_emulator import payments
from klarna_emulator.transport import BASE_URL

from .conftest import ADDRESS, cart

OM = f"{BASE_URL}/ordermanagement/v1/orders"
DHL = {
    "shipping_company": "DHL",
    "shipping_method": "Home",
    "tracking_number": "00340434161094012345",
    "tracking_uri": "https://www.dhl.de/track?n=00340434161094012345",
}


@pytest.fixture
def order_id(emulator_http) -> str:
    session_id = emulator_http.post(f"{BASE_URL}/payments/v1/sessions", json=cart()).json()["session_id"]
    token = payments.authorize(session_id, "pay_later", {"billing_address": ADDRESS})["authorization_token"]
    return emulator_http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": ADDRESS}
    ).json()["order_id"]


def capture(http, order_id, **body):
    response = http.post(f"{OM}/{order_id}/captures", json={"captured_amount": 5950, **body})
    assert response.status_code == 201, response.text
    return response.headers["Capture-Id"]


def test_capture_stores_shipping_info_and_answers_it_on_the_capture_and_the_order(emulator_http, order_id):
    capture_id = capture(emulator_http, order_id, shipping_info=[DHL])

    read = emulator_http.get(f"{OM}/{order_id}/captures/{capture_id}").json()
    order = emulator_http.get(f"{OM}/{order_id}").json()

    assert read["shipping_info"] == [DHL]
    assert order["captures"][0]["shipping_info"] == [DHL]


def test_shipping_info_can_be_added_to_a_capture_later(emulator_http, order_id):
    capture_id = capture(emulator_http, order_id)
    added = emulator_http.post(
        f"{OM}/{order_id}/captures/{capture_id}/shipping-info", json={"shipping_info": [DHL]}
    )
    assert added.status_code == 204
    assert emulator_http.get(f"{OM}/{order_id}/captures/{capture_id}").json()["shipping_info"] == [DHL]
    unknown = emulator_http.post(
        f"{OM}/{order_id}/captures/nope/shipping-info", json={"shipping_info": [DHL]}
    )
    assert (unknown.status_code, unknown.json()["error_code"]) == (404, "NO_SUCH_CAPTURE")


def test_shipping_info_can_be_added_to_the_order(emulator_http, order_id):
    added = emulator_http.post(f"{OM}/{order_id}/shipping-info", json={"shipping_info": [DHL]})
    assert added.status_code == 204
    assert emulator_http.get(f"{OM}/{order_id}").json()["shipping_info"] == [DHL]
    empty = emulator_http.post(f"{OM}/{order_id}/shipping-info", json={"shipping_info": []})
    assert (empty.status_code, empty.json()["error_code"]) == (400, "BAD_VALUE")


@pytest.mark.parametrize(
    ("shipping_info", "status", "error_code", "message"),
    [
        ([{**DHL, "shipping_company": "D" * 101}], 422, "UNPROCESSABLE_ENTITY",
         "The size of the shipping_info/shipping_company value must be between 0 and 100"),
        ([{**DHL, "shipping_method": "Drone"}], 400, "BAD_VALUE", "Bad value: shipping_info[0].shipping_method"),
        ([{**DHL, "tracking_number": None}], 400, "BAD_VALUE", "Bad value: shipping_info[0].tracking_number"),
        ({"shipping_company": "DHL"}, 400, "BAD_VALUE", "Bad value: shipping_info"),
    ],
)  # fmt: skip
def test_bad_shipping_info_is_refused_and_nothing_is_captured(
    emulator_http, order_id, shipping_info, status, error_code, message
):
    response = emulator_http.post(
        f"{OM}/{order_id}/captures", json={"captured_amount": 5950, "shipping_info": shipping_info}
    )
    assert response.status_code == status
    assert (response.json()["error_code"], response.json()["error_messages"]) == (error_code, [message])
    assert emulator_http.get(f"{OM}/{order_id}").json()["captured_amount"] == 0


def test_optional_fields_are_omitted_not_null(emulator_http, order_id):
    capture_id = capture(emulator_http, order_id)
    refund = emulator_http.post(f"{OM}/{order_id}/refunds", json={"refunded_amount": 100})
    order = emulator_http.get(f"{OM}/{order_id}").json()
    read_capture = emulator_http.get(f"{OM}/{order_id}/captures/{capture_id}").json()
    read_refund = emulator_http.get(f"{OM}/{order_id}/refunds/{refund.headers['Refund-Id']}").json()

    for absent in ("merchant_reference1", "merchant_reference2", "merchant_data"):
        assert absent not in order
    for absent in ("description", "reference"):
        assert absent not in read_capture and absent not in order["captures"][0]
        assert absent not in read_refund
    assert (
        None not in order.values() and None not in read_capture.values() and None not in read_refund.values()
    )
    # given ones are answered
    with_refs = capture(emulator_http, order_id, description="Shipment 1", reference="ref-1")
    assert emulator_http.get(f"{OM}/{order_id}/captures/{with_refs}").json()["reference"] == "ref-1"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/ordermanagement/v1/orders/x/nothing-here"),
        ("POST", "/ordermanagement/v2/orders"),
        ("GET", "/payments/v1/sessions/abc/unknown"),
        ("DELETE", "/no/such/thing"),
        ("GET", "/ordermanagement/v1/orders/x/captures/"),
    ],
)
def test_paths_it_does_not_model_answer_klarnas_json_404(emulator_http, method, path):
    response = emulator_http.request(method, f"{BASE_URL}{path}")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error_code", "error_messages", "correlation_id"}
    assert body["error_code"] == "NOT_FOUND"
    assert body["error_messages"] == [f"No such resource: {method} {path}"]
    assert response.headers["Klarna-Correlation-Id"] == body["correlation_id"]


def test_unmodelled_path_is_json_in_the_shop_mount_too(client, db):
    response = client.get("/klarna-emulator/ordermanagement/v1/orders/x/nothing-here")
    assert response.status_code == 404 and response.json()["error_code"] == "NOT_FOUND"
