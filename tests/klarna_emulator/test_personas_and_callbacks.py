"""Personas by email and the callbacks Klarna owes the merchant."""

import json
from datetime import timedelta

import responses

from klarna_emulator import callbacks, clock, payments
from klarna_emulator.models import EmulatorCallback
from klarna_emulator.transport import BASE_URL

from .conftest import ADDRESS, cart

NOTIFY = "https://shop.example/klarna/notification/secret/"


def _session(http, payload=None) -> str:
    return http.post(f"{BASE_URL}/payments/v1/sessions", json=payload or cart()).json()["session_id"]


def _order(http, email: str) -> dict:
    billing = {**ADDRESS, "email": email}
    session_id = _session(http)
    token = payments.authorize(session_id, "pay_later", {"billing_address": billing})["authorization_token"]
    response = http.post(
        f"{BASE_URL}/payments/v1/authorizations/{token}/order", json={**cart(), "billing_address": billing}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_denied_persona_is_not_approved(emulator_http):
    session_id = _session(emulator_http)

    result = payments.authorize(
        session_id, "pay_later", {"billing_address": {**ADDRESS, "email": "a+denied@x.com"}}
    )

    assert result == {"approved": False, "show_form": False}


def test_red_persona_hides_the_form_on_load_and_authorize(emulator_http):
    session_id = _session(emulator_http, cart(billing_address={**ADDRESS, "email": "a+red@example.com"}))

    loaded = payments.load(session_id, "pay_later", None)
    authorized = payments.authorize(session_id, "pay_later")

    assert loaded["show_form"] is False
    assert authorized == {"approved": False, "show_form": False}


def test_missing_billing_fields_come_back_as_invalid_fields(emulator_http):
    session_id = _session(emulator_http)

    result = payments.authorize(
        session_id, "pay_later", {"billing_address": {**ADDRESS, "email": "", "given_name": ""}}
    )

    assert result == {
        "approved": False,
        "show_form": True,
        "error": {"invalid_fields": ["billing_address.given_name", "billing_address.email"]},
    }


def test_category_not_offered_for_the_amount_is_not_approved(emulator_http):
    session_id = _session(emulator_http)  # EUR 123.90: pay_over_time is offered, so ask for one that is not

    emulator_http.post(
        f"{BASE_URL}/payments/v1/sessions/{session_id}",
        json={
            "order_amount": 5000,
            "order_tax_amount": 798,
            "order_lines": [
                {
                    "name": "Mug",
                    "quantity": 1,
                    "unit_price": 5000,
                    "total_amount": 5000,
                    "tax_rate": 1900,
                    "total_tax_amount": 798,
                }
            ],
        },
    )

    assert payments.authorize(session_id, "pay_over_time", {"billing_address": ADDRESS}) == {
        "approved": False,
        "show_form": False,
    }


def test_pending_accept_notification_fires_when_due(emulator_http):
    order = _order(emulator_http, "k+pend-accept-10@klarna.com")

    with responses.RequestsMock() as mock:
        mock.add("POST", NOTIFY, status=200)
        early = callbacks.fire_due()
        clock.advance(timedelta(minutes=10))
        fired = callbacks.fire_due()
        sent = mock.calls[0].request

    status = emulator_http.get(f"{BASE_URL}/ordermanagement/v1/orders/{order['order_id']}").json()
    assert order["fraud_status"] == "PENDING"
    assert early == []
    assert len(fired) == 1
    body = json.loads(sent.body)
    assert body["order_id"] == order["order_id"]
    assert body["event_type"] == "FRAUD_RISK_ACCEPTED"
    assert status["fraud_status"] == "ACCEPTED"


def test_pending_reject_with_00_is_due_at_once_and_cancels_the_order(emulator_http):
    order = _order(emulator_http, "k+pend-reject-00@klarna.com")

    with responses.RequestsMock() as mock:
        mock.add("POST", NOTIFY, status=200)
        callbacks.fire_due()
        event = mock.calls[0].request.body

    status = emulator_http.get(f"{BASE_URL}/ordermanagement/v1/orders/{order['order_id']}").json()
    assert b"FRAUD_RISK_REJECTED" in event
    assert (status["fraud_status"], status["status"]) == ("REJECTED", "CANCELLED")
    assert EmulatorCallback.objects.get().delivered_at is not None


def test_failed_notification_is_retried_later(emulator_http):
    _order(emulator_http, "k+pend-accept-00@klarna.com")

    with responses.RequestsMock() as mock:
        mock.add("POST", NOTIFY, status=500)
        mock.add("POST", NOTIFY, status=200)
        callbacks.fire_due()
        again_too_soon = callbacks.fire_due()
        clock.advance(timedelta(minutes=3))
        retried = callbacks.fire_due()

    assert again_too_soon == []
    assert retried[0].delivered_at is not None
    assert retried[0].attempts == 2


def test_authorization_callback_is_posted_with_token_and_session(emulator_http):
    callback_url = "https://shop.example/klarna/authorization/secret/"
    session_id = _session(emulator_http, cart(merchant_urls={"authorization": callback_url}))
    token = payments.authorize(session_id, "pay_later", {"billing_address": ADDRESS})["authorization_token"]

    with responses.RequestsMock() as mock:
        mock.add(
            "POST",
            callback_url,
            status=200,
            match=[
                responses.matchers.json_params_matcher(
                    {"authorization_token": token, "session_id": session_id}
                )
            ],
        )
        callbacks.fire_due()


def test_tick_command_fires_due_notifications(emulator_http, capsys):
    from django.core.management import call_command

    _order(emulator_http, "k+pend-accept-00@klarna.com")

    with responses.RequestsMock() as mock:
        mock.add("POST", NOTIFY, status=204)
        call_command("klarna_emulator_tick")

    assert "FRAUD_RISK_ACCEPTED" in capsys.readouterr().out
