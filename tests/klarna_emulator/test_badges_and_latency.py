"""The emulator's own badges (no request leaves the machine) and its configurable latency."""

import json
import time

import pytest
import requests

from .conftest import cart

BADGE_PATH = "/klarna-emulator/assets/badges/klarna.svg"
BASIC = "Basic ZW11bGF0b3ItbWVyY2hhbnQ6ZW11bGF0b3Itc2VjcmV0"  # emulator-merchant:emulator-secret
SESSION_WITH_ASSETS = """
mutation($c: String!) { createKlarnaPaymentsSession(input: {cart_id: $c}) {
  payment_method_categories { identifier asset_urls { descriptive standard } } } }
"""


def _assets(categories):
    return {c["identifier"]: c["asset_urls"] for c in categories}


def test_in_process_session_names_the_emulators_badge_on_the_shops_origin(emulator_http):
    from klarna_emulator.transport import BASE_URL

    created = emulator_http.post(f"{BASE_URL}/payments/v1/sessions", json=cart()).json()
    read = emulator_http.get(f"{BASE_URL}/payments/v1/sessions/{created['session_id']}").json()

    # Origin-relative: the in-process emulator's API host (klarna-emulator.invalid) is no
    # browser's; the browser reaches the emulator on the shop's own origin.
    badge = {"descriptive": BADGE_PATH, "standard": BADGE_PATH}
    assert _assets(created["payment_method_categories"]) == {
        "pay_now": badge,
        "pay_later": badge,
        "pay_over_time": badge,
    }
    assert _assets(read["payment_method_categories"]) == _assets(created["payment_method_categories"])


def test_emulator_over_http_names_and_serves_its_badge_at_its_own_host(client, db):
    created = client.post(
        "/klarna-emulator/payments/v1/sessions",
        data=json.dumps(cart()),
        content_type="application/json",
        HTTP_AUTHORIZATION=BASIC,
        HTTP_HOST="localhost:8089",
    ).json()
    url = created["payment_method_categories"][0]["asset_urls"]["standard"]
    badge = client.get(BADGE_PATH)

    assert url == f"http://localhost:8089{BADGE_PATH}"
    assert badge.status_code == 200
    assert badge["Content-Type"] == "image/svg+xml"
    assert b"<svg" in badge.content and b"Klarna." in badge.content
    assert b"klarnacdn" not in badge.content


def test_graphql_gives_the_browser_an_absolute_badge_url_on_the_shop(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart(payment=None)

    categories = gql.data(SESSION_WITH_ASSETS, {"c": cart_id})["createKlarnaPaymentsSession"][
        "payment_method_categories"
    ]

    url = f"http://testserver{BADGE_PATH}"
    assert categories and all(c["asset_urls"] == [{"descriptive": url, "standard": url}] for c in categories)


def test_latency_delays_every_api_answer_in_process(emulator_http, settings):
    from klarna_emulator.transport import BASE_URL

    settings.KLARNA_EMULATOR_LATENCY_MS = 200
    started = time.monotonic()
    created = emulator_http.post(f"{BASE_URL}/payments/v1/sessions", json=cart(), timeout=(1, 5))
    elapsed = time.monotonic() - started

    assert created.status_code == 200 and elapsed >= 0.2
    # Slower than the caller's read timeout: a timeout, as from Klarna itself.
    with pytest.raises(requests.exceptions.ReadTimeout):
        emulator_http.post(f"{BASE_URL}/payments/v1/sessions", json=cart(), timeout=(1, 0.1))


def test_latency_delays_the_answer_over_http_too(client, db, settings):
    settings.KLARNA_EMULATOR_LATENCY_MS = 150
    started = time.monotonic()
    response = client.post(
        "/klarna-emulator/payments/v1/sessions",
        data=json.dumps(cart()),
        content_type="application/json",
        HTTP_AUTHORIZATION=BASIC,
    )

    assert response.status_code == 200 and time.monotonic() - started >= 0.15
    assert "X-Klarna-Emulator-Delay" not in response
