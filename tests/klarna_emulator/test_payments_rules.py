"""Emulator-only behaviour of the Payments API: lifetimes, markets, categories, validation."""

from datetime import timedelta

import pytest

from klarna_emulator import clock, payments
from klarna_emulator.markets import categories_for
from klarna_emulator.transport import BASE_URL
from klarna_emulator.validation import expected_line_tax

from .conftest import ADDRESS, cart

SESSIONS = f"{BASE_URL}/payments/v1/sessions"


def _create(http, payload=None):
    response = http.post(SESSIONS, json=payload or cart())
    assert response.status_code == 200, response.text
    return response.json()


def _single_line(amount: int, currency="EUR", country="DE", locale=None) -> dict:
    payload = {
        "purchase_country": country,
        "purchase_currency": currency,
        "order_amount": amount,
        "order_tax_amount": 0,
        "order_lines": [{"name": "Thing", "quantity": 1, "unit_price": amount, "total_amount": amount}],
    }
    if locale:
        payload["locale"] = locale
    return payload


@pytest.mark.parametrize(
    ("amount", "identifiers"),
    [
        (5000, ["pay_now", "pay_later"]),
        (10000, ["pay_now", "pay_later", "pay_over_time"]),
        (100000, ["pay_now", "pay_later", "pay_over_time"]),
        (100001, ["pay_now", "pay_over_time"]),
        (500001, ["pay_now"]),
    ],
)
def test_categories_depend_on_the_amount(amount, identifiers):
    assert [c["identifier"] for c in categories_for("DE", "EUR", amount)] == identifiers


def test_categories_use_the_currency_scale_of_sek():
    assert [c["identifier"] for c in categories_for("SE", "SEK", 50000)] == ["pay_now", "pay_later"]
    assert [c["identifier"] for c in categories_for("SE", "SEK", 100000)] == [
        "pay_now",
        "pay_later",
        "pay_over_time",
    ]


def test_no_categories_for_a_currency_the_country_does_not_use():
    assert categories_for("DE", "USD", 5000) == []


def test_klarna_tax_formula_matches_the_documented_example():
    assert round(expected_line_tax(11900, 1900)) == 1900
    assert expected_line_tax(-19000, 1900) < 0


def test_session_expires_48_hours_after_the_last_update(emulator_http):
    session_id = _create(emulator_http)["session_id"]
    clock.advance(timedelta(hours=47))
    assert (
        emulator_http.post(f"{SESSIONS}/{session_id}", json={"merchant_reference2": "x"}).status_code == 204
    )

    clock.advance(timedelta(hours=47))
    still_there = emulator_http.get(f"{SESSIONS}/{session_id}")
    clock.advance(timedelta(hours=2))
    gone = emulator_http.get(f"{SESSIONS}/{session_id}")

    assert still_there.status_code == 200
    assert gone.status_code == 404
    assert gone.json()["error_messages"] == ["Invalid session id"]


def test_authorization_token_is_valid_for_60_minutes(emulator_http):
    session_id = _create(emulator_http)["session_id"]
    token = payments.authorize(session_id, "pay_later", {"billing_address": ADDRESS})["authorization_token"]
    clock.advance(timedelta(minutes=61))

    response = emulator_http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": ADDRESS}
    )

    assert response.status_code == 404
    assert response.json()["error_messages"] == ["Invalid authorization token"]


def test_session_is_complete_after_the_order_and_refuses_updates(emulator_http):
    session_id = _create(emulator_http)["session_id"]
    token = payments.authorize(session_id, "pay_later", {"billing_address": ADDRESS})["authorization_token"]
    emulator_http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": ADDRESS}
    )

    read = emulator_http.get(f"{SESSIONS}/{session_id}").json()
    update = emulator_http.post(f"{SESSIONS}/{session_id}", json={"merchant_reference2": "late"})

    assert read["status"] == "complete"
    assert read["authorization_token"] == token
    assert update.status_code == 404
    assert update.json()["error_code"] == "SESSION_COMPLETED"


def test_missing_required_fields_are_all_listed(emulator_http):
    response = emulator_http.post(SESSIONS, json={"locale": "de-DE"})

    assert response.status_code == 400
    assert response.json()["error_messages"] == [
        "Bad value: purchase_country",
        "Bad value: purchase_currency",
        "Bad value: order_amount",
        "Bad value: order_lines",
    ]


def test_malformed_json_is_bad_request(emulator_http):
    response = emulator_http.post(SESSIONS, data=b"{not json", headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["error_code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (_single_line(1000, "EUR", "XX"), "Bad value: purchase_country"),
        (_single_line(1000, "GBP", "DE"), "Bad value: purchase_currency"),
        (_single_line(1000, "EUR", "DE", "sv-SE"), "Bad value: locale"),
        (_single_line(1000, "EUR", "DE", "german"), "Bad value: locale"),
        (_single_line(1000, "EURO", "DE"), "Bad value: purchase_currency"),
    ],
)
def test_market_combinations_are_checked(emulator_http, payload, message):
    response = emulator_http.post(SESSIONS, json=payload)

    assert response.status_code == 400
    assert message in response.json()["error_messages"]


@pytest.mark.parametrize(
    ("country", "currency", "locale"),
    [
        ("AT", "EUR", "de-AT"),
        ("NL", "EUR", "nl-NL"),
        ("FI", "EUR", "fi-FI"),
        ("SE", "SEK", "sv-SE"),
        ("GB", "GBP", "en-GB"),
        ("US", "USD", "en-US"),
    ],
)
def test_supported_markets_are_accepted(emulator_http, country, currency, locale):
    assert emulator_http.post(SESSIONS, json=_single_line(1000, currency, country, locale)).status_code == 200


def test_billing_country_overrides_purchase_country(emulator_http):
    payload = {**_single_line(1000, "EUR", "DE"), "billing_address": {**ADDRESS, "country": "SE"}}

    response = emulator_http.post(SESSIONS, json=payload)

    assert response.json()["error_messages"] == ["Bad value: purchase_currency"]


def test_line_sum_and_lengths_are_checked(emulator_http):
    line = {
        "name": "",
        "quantity": 2,
        "unit_price": 500,
        "total_amount": 999,
        "quantity_unit": "way-too-long",
    }
    payload = {**_single_line(999), "order_lines": [line]}

    messages = emulator_http.post(SESSIONS, json=payload).json()["error_messages"]

    assert messages == ["Bad value: order_lines[0].name", "Bad value: order_lines[0].quantity_unit"]


def test_line_total_must_be_quantity_times_price_minus_discount(emulator_http):
    line = {
        "name": "Bag",
        "quantity": 2,
        "unit_price": 500,
        "total_discount_amount": 100,
        "total_amount": 1000,
    }
    payload = {**_single_line(1000), "order_lines": [line]}

    messages = emulator_http.post(SESSIONS, json=payload).json()["error_messages"]

    assert messages == ["Bad value: order_lines[0].total_amount"]


def test_order_tax_amount_tolerance_is_one_per_line(emulator_http):
    assert _create(emulator_http, cart(order_tax_amount=1980))  # 1978 + 2 lines
    response = emulator_http.post(SESSIONS, json=cart(order_tax_amount=1981))
    assert response.json()["error_messages"] == ["Bad value: order_tax_amount"]


def test_us_sales_tax_line_carries_the_order_tax(emulator_http):
    payload = {
        "purchase_country": "US",
        "purchase_currency": "USD",
        "locale": "en-US",
        "order_amount": 21000,
        "order_tax_amount": 1000,
        "order_lines": [
            {
                "name": "Bag",
                "quantity": 1,
                "unit_price": 20000,
                "total_amount": 20000,
                "tax_rate": 0,
                "total_tax_amount": 0,
            },
            {
                "type": "sales_tax",
                "name": "Sales Tax",
                "quantity": 1,
                "unit_price": 1000,
                "total_amount": 1000,
            },
        ],
    }

    assert emulator_http.post(SESSIONS, json=payload).status_code == 200


def test_merchant_urls_must_be_https_except_on_loopback(emulator_http):
    ok = cart(merchant_urls={"confirmation": "http://127.0.0.1:8000/checkout/success/1/"})
    bad = cart(merchant_urls={"confirmation": "http://shop.example/checkout/success/1/"})

    assert emulator_http.post(SESSIONS, json=ok).status_code == 200
    assert emulator_http.post(SESSIONS, json=bad).json()["error_messages"] == [
        "Bad value: merchant_urls.confirmation"
    ]


def test_create_order_mismatch_lists_amount_and_item_count(emulator_http):
    session_id = _create(emulator_http)["session_id"]
    token = payments.authorize(session_id, "pay_later", {"billing_address": ADDRESS})["authorization_token"]
    three_lines = cart(
        order_amount=12390 + 490,
        order_tax_amount=1978 + 78,
        order_lines=[*cart()["order_lines"], cart()["order_lines"][1]],
    )

    response = emulator_http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order",
        json={**three_lines, "billing_address": ADDRESS},
    )

    assert response.status_code == 409
    assert response.json()["error_messages"] == [
        "Not matching fields: [order_amount, order_tax_amount, "
        "Incorrect number of items in the cart. Expected: 2, Actual: 3]"
    ]


def test_other_merchant_cannot_see_the_session(emulator_http):
    session_id = _create(emulator_http)["session_id"]
    emulator_http.auth = ("another-merchant", "secret")

    assert emulator_http.get(f"{SESSIONS}/{session_id}").status_code == 404


def test_redirect_url_sends_the_shopper_to_the_confirmation_url(emulator_http, client):
    confirmation = "https://shop.example/checkout/success/{order.id}/"
    payload = cart(merchant_urls={"confirmation": confirmation})
    session_id = _create(emulator_http, payload)["session_id"]
    token = payments.authorize(session_id, "pay_now", {"billing_address": ADDRESS})["authorization_token"]
    order = emulator_http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order", json={**payload, "billing_address": ADDRESS}
    ).json()

    response = client.get(order["redirect_url"])

    assert order["redirect_url"].startswith("/klarna-emulator/redirect/")
    assert response.status_code == 302
    assert response["Location"] == f"https://shop.example/checkout/success/{order['order_id']}/"
    assert order["authorized_payment_method"] == {"type": "direct_debit"}
