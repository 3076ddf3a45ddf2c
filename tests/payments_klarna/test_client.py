"""The Klarna HTTP client: typed results, lenient errors, timeouts, safe retries, redaction."""

import json
import logging

import pytest
import requests
import responses

from payments_klarna.client import (
    EMULATOR_BASE_URL,
    USER_AGENT,
    KlarnaClient,
    KlarnaConfig,
    KlarnaError,
    KlarnaResponseError,
    base_url_for,
)
from payments_klarna.models import KlarnaApiCall

from .conftest import BASE, CLIENT_TOKEN, klarna_error, session_created, session_read

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "purchase_country": "DE",
    "purchase_currency": "EUR",
    "locale": "de-DE",
    "order_amount": 1000,
    "order_tax_amount": 160,
    "order_lines": [{"name": "Bag", "quantity": 1, "unit_price": 1000, "total_amount": 1000}],
    "billing_address": {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "email": "erika@example.com",
        "street_address": "Heidestraße 17",
        "postal_code": "51147",
        "phone": "+49 221 1234567",
        "city": "Köln",
        "country": "DE",
    },
    "customer": {"date_of_birth": "1970-01-01"},
}


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    config = KlarnaConfig(
        environment="playground",
        region="eu",
        api_url="",
        username="merchant-user",
        password="p-secret-password",
        timeout=(3.0, 10.0),
    )
    return KlarnaClient(config, sleep=sleeps.append)


def test_base_url_from_environment_and_region_or_explicit_url():
    assert base_url_for("playground", "eu") == "https://api.playground.klarna.com"
    assert base_url_for("production", "na") == "https://api-na.klarna.com"
    assert base_url_for("playground", "oc") == "https://api-oc.playground.klarna.com"
    assert base_url_for("emulator", "eu") == EMULATOR_BASE_URL
    assert base_url_for("production", "eu", "http://127.0.0.1:8089/") == "http://127.0.0.1:8089"


@responses.activate
def test_create_session_sends_basic_auth_json_timeouts_and_returns_typed_session(client):
    responses.post(f"{BASE}/payments/v1/sessions", json=session_created())

    created = client.create_session(PAYLOAD)

    assert created.session_id == "s1"
    assert created.client_token == CLIENT_TOKEN
    assert [c.identifier for c in created.payment_method_categories] == ["pay_later", "pay_over_time"]
    request = responses.calls[0].request
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("KlarnaShop/0.1 Python/") and "requests/" in USER_AGENT
    assert json.loads(request.body) == PAYLOAD
    assert request.req_kwargs["timeout"] == (3.0, 10.0)


@responses.activate
def test_update_session_accepts_204_and_read_session_is_typed(client):
    responses.post(f"{BASE}/payments/v1/sessions/s1", status=204)
    responses.get(f"{BASE}/payments/v1/sessions/s1", json=session_read(status="complete"))

    assert client.update_session("s1", PAYLOAD) is None
    read = client.read_session("s1")

    assert read.status == "complete"
    assert read.payment_method_categories[0].name == "Pay later in 30 days"


@responses.activate
def test_create_order_parses_object_and_string_payment_method(client):
    responses.post(
        f"{BASE}/payments/v1/authorizations/tok-1/order",
        json={"order_id": "o1", "fraud_status": "ACCEPTED", "authorized_payment_method": {"type": "invoice"}},
    )
    responses.post(
        f"{BASE}/payments/v1/authorizations/tok-2/order",
        json={"order_id": "o2", "fraud_status": "PENDING", "authorized_payment_method": "invoice"},
    )

    first, second = client.create_order("tok-1", PAYLOAD), client.create_order("tok-2", PAYLOAD)

    assert (first.order_id, first.fraud_status, first.authorized_payment_method.type) == (
        "o1",
        "ACCEPTED",
        "invoice",
    )
    assert (second.fraud_status, second.authorized_payment_method.type) == ("PENDING", "invoice")


@pytest.mark.parametrize(
    ("status", "body", "code", "messages"),
    [
        (400, klarna_error("BAD_VALUE", "Bad value: order_lines"), "BAD_VALUE", ["Bad value: order_lines"]),
        (401, None, "UNDEFINED", ["HTTP 401 Unauthorized"]),
        (403, klarna_error("REJECTED", "Rejected"), "REJECTED", ["Rejected"]),
        (404, klarna_error("NOT_FOUND", "Invalid session id"), "NOT_FOUND", ["Invalid session id"]),
        (
            409,
            klarna_error("BAD_VALUE", "Not matching fields: [order_amount]"),
            "BAD_VALUE",
            ["Not matching fields: [order_amount]"],
        ),
        (429, {"error_code": "TOO_MANY_REQUESTS"}, "TOO_MANY_REQUESTS", ["UNDEFINED"]),
        (500, klarna_error("INTERNAL_SERVER_ERROR", "Oops"), "INTERNAL_SERVER_ERROR", ["Oops"]),
        (503, klarna_error("TEMPORARILY_UNAVAILABLE", "Later"), "TEMPORARILY_UNAVAILABLE", ["Later"]),
    ],
)
@responses.activate
def test_each_klarna_error_becomes_a_klarna_error_with_its_code(client, status, body, code, messages):
    responses.post(f"{BASE}/payments/v1/sessions", status=status, json=body)

    with pytest.raises(KlarnaError) as caught:
        client.create_session(PAYLOAD)

    error = caught.value
    assert (error.status, error.error_code, error.error_messages) == (status, code, messages)
    assert error.correlation_id == ("corr-1" if body and "correlation_id" in body else "UNDEFINED")
    assert error.uncertain is (status >= 500)
    assert len(responses.calls) == 1  # a session POST is never retried


@responses.activate
def test_singular_error_message_and_correlation_header_are_read(client):
    responses.post(
        f"{BASE}/payments/v1/sessions",
        status=400,
        json={"error_code": "BAD_REQUEST", "error_message": "Malformed"},
        headers={"Klarna-Correlation-Id": "hdr-corr"},
    )

    with pytest.raises(KlarnaError) as caught:
        client.create_session(PAYLOAD)

    assert caught.value.error_messages == ["Malformed"]
    assert caught.value.correlation_id == "hdr-corr"


@responses.activate
def test_non_json_error_body_is_a_generic_http_error(client):
    responses.post(f"{BASE}/payments/v1/sessions", status=502, body="<html>Bad gateway</html>")

    with pytest.raises(KlarnaError) as caught:
        client.create_session(PAYLOAD)

    assert (caught.value.status, caught.value.error_code) == (502, "UNDEFINED")
    row = KlarnaApiCall.objects.get()
    assert row.response_body == {"non_json_body": "<html>Bad gateway</html>"}


@responses.activate
def test_malformed_success_body_is_a_response_error(client):
    responses.post(f"{BASE}/payments/v1/sessions", body="not json", status=200)
    responses.post(f"{BASE}/payments/v1/authorizations/tok/order", json={"fraud_status": "ACCEPTED"})

    with pytest.raises(KlarnaResponseError) as caught:
        client.create_session(PAYLOAD)
    assert caught.value.error_code == "MALFORMED_RESPONSE"
    with pytest.raises(KlarnaResponseError) as caught:
        client.create_order("tok", PAYLOAD)
    assert caught.value.uncertain is True  # Klarna answered 200: the order may exist


@responses.activate
def test_connect_timeout_on_post_is_a_certain_failure(client):
    responses.post(f"{BASE}/payments/v1/sessions", body=requests.ConnectTimeout("connect timed out"))

    with pytest.raises(KlarnaError) as caught:
        client.create_session(PAYLOAD)

    assert (caught.value.status, caught.value.error_code, caught.value.uncertain) == (None, "TIMEOUT", False)


@responses.activate
def test_read_timeout_on_create_order_is_uncertain_and_not_retried(client):
    responses.post(
        f"{BASE}/payments/v1/authorizations/tok/order", body=requests.ReadTimeout("read timed out")
    )

    with pytest.raises(KlarnaError) as caught:
        client.create_order("tok", PAYLOAD)

    assert (caught.value.error_code, caught.value.uncertain) == ("TIMEOUT", True)
    assert len(responses.calls) == 1


@responses.activate
def test_connection_error_is_reported_as_connection_error(client):
    responses.post(
        f"{BASE}/payments/v1/sessions", body=requests.ConnectionError("Failed to establish a new connection")
    )

    with pytest.raises(KlarnaError) as caught:
        client.create_session(PAYLOAD)

    assert (caught.value.error_code, caught.value.uncertain) == ("CONNECTION_ERROR", False)


@responses.activate
def test_get_is_retried_with_backoff_on_5xx_429_and_connection_errors(client, sleeps):
    url = f"{BASE}/payments/v1/sessions/s1"
    responses.get(url, status=503, json=klarna_error("TEMPORARILY_UNAVAILABLE"))
    responses.get(url, status=429, json={"error_code": "TOO_MANY_REQUESTS"})
    responses.get(url, json=session_read())
    client.config = KlarnaConfig(**{**client.config.__dict__, "max_attempts": 3})

    read = client.read_session("s1")

    assert read.session_id == "s1"
    assert len(responses.calls) == 3
    assert len(sleeps) == 2 and all(0 <= s <= 4 for s in sleeps)
    assert list(KlarnaApiCall.objects.order_by("id").values_list("attempt", "status")) == [
        (1, 503),
        (2, 429),
        (3, 200),
    ]


@responses.activate
def test_get_retries_stop_after_max_attempts(client, sleeps):
    responses.get(f"{BASE}/payments/v1/sessions/s1", body=requests.ConnectionError("reset"))

    with pytest.raises(KlarnaError) as caught:
        client.read_session("s1")

    assert caught.value.error_code == "CONNECTION_ERROR"
    assert len(responses.calls) == 3 and len(sleeps) == 2


@responses.activate
def test_get_is_not_retried_on_4xx(client, sleeps):
    responses.get(
        f"{BASE}/payments/v1/sessions/s1", status=404, json=klarna_error("NOT_FOUND", "Invalid session id")
    )

    with pytest.raises(KlarnaError):
        client.read_session("s1")

    assert len(responses.calls) == 1 and sleeps == []


@responses.activate
def test_payments_posts_are_never_retried(client, sleeps):
    responses.post(f"{BASE}/payments/v1/sessions/s1", status=503)
    responses.post(f"{BASE}/payments/v1/authorizations/tok/order", status=500)

    for call in (lambda: client.update_session("s1", PAYLOAD), lambda: client.create_order("tok", PAYLOAD)):
        with pytest.raises(KlarnaError):
            call()

    assert len(responses.calls) == 2 and sleeps == []


@responses.activate
def test_order_management_cancel_is_retried_with_the_same_idempotency_key(client, sleeps):
    url = f"{BASE}/ordermanagement/v1/orders/o1/cancel"
    responses.post(url, status=500, json=klarna_error("INTERNAL_SERVER_ERROR"))
    responses.post(url, body=requests.ReadTimeout("slow"))
    responses.post(url, status=204)

    client.cancel_order("o1", "key-123")

    assert [call.request.headers["Klarna-Idempotency-Key"] for call in responses.calls] == ["key-123"] * 3
    assert len(sleeps) == 2


@responses.activate
def test_api_calls_and_logs_never_contain_credentials_tokens_or_personal_data(client, caplog):
    responses.post(f"{BASE}/payments/v1/sessions", json=session_created())
    responses.post(
        f"{BASE}/payments/v1/authorizations/secret-auth-token/order",
        status=409,
        json=klarna_error("BAD_VALUE", "Not matching fields: [billing_address.email erika@example.com]"),
    )
    responses.get(
        f"{BASE}/payments/v1/sessions/s1",
        json={**session_read(), "authorization_token": "secret-auth-token"},
    )
    caplog.set_level(logging.DEBUG)

    client.create_session(PAYLOAD)
    with pytest.raises(KlarnaError):
        client.create_order("secret-auth-token", PAYLOAD)
    client.read_session("s1")

    rows = list(KlarnaApiCall.objects.values())
    stored = json.dumps(rows, default=str) + caplog.text
    assert len(rows) == 3
    for secret in (
        "p-secret-password",
        "merchant-user",
        "secret-auth-token",
        CLIENT_TOKEN,
        "erika@example.com",
        "Mustermann",
        "Heidestraße",
        "51147",
        "1234567",
        "1970-01-01",
    ):
        assert secret not in stored, secret
    assert {row["path"] for row in rows} >= {"/payments/v1/authorizations/[redacted]/order"}
    assert rows[-1]["klarna_session_id"] == "s1"


def test_emulator_environment_mounts_the_in_process_emulator(monkeypatch):
    mounted = []
    monkeypatch.setattr("payments_klarna.client._mount_emulator", lambda session, url: mounted.append(url))
    config = KlarnaConfig(
        environment="emulator", region="eu", api_url="", username="e", password="s", timeout=(1.0, 1.0)
    )

    KlarnaClient(config).session  # noqa: B018 - built lazily

    assert mounted == [EMULATOR_BASE_URL]


def test_threads_of_a_worker_share_one_session_built_once(client, monkeypatch):
    """gthread: the first requests of a worker's threads race for the lazily built session."""
    import threading
    import time

    built = []
    build = KlarnaClient._build_session

    def slow_build(self):
        built.append(1)
        time.sleep(0.05)  # widen the window two unlocked builders would both enter
        return build(self)

    monkeypatch.setattr(KlarnaClient, "_build_session", slow_build)
    start = threading.Barrier(8)
    seen = []

    def first_call():
        start.wait()
        seen.append(client.session)

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(built) == 1
    assert len(seen) == 8 and all(session is seen[0] for session in seen)
    # Each thread may hold a keep-alive connection to Klarna without evicting another's.
    assert client.session.get_adapter(BASE).poolmanager.connection_pool_kw["maxsize"] >= 8
