"""Klarna's authorization callback: a backup for a browser that never came back. The secret in
the URL is derived per cart and checked against the session named in the body; the order is
placed later by klarna_reconcile through the same idempotent routine as placeOrder."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cart.models import Cart
from checkout.models import Order
from klarna_emulator import payments as emulator
from klarna_emulator.models import EmulatorOrder, EmulatorSession
from payments_klarna.callback_urls import authorization_secret
from payments_klarna.models import KlarnaSession
from payments_klarna.reconcile import run
from tests.checkout_fixtures import CREATE_SESSION, PLACE_ORDER, SET_KLARNA, klarna_billing

from .reconcile_helpers import deliver_callbacks

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorized_in_klarna_only(gql, ready_to_place_cart):
    """A cart whose shopper authorized in Klarna's widget, but whose browser never told the
    shop (no setPaymentMethodOnCart, no placeOrder)."""

    def make(category="pay_later"):
        cart_id = ready_to_place_cart(payment=None)
        gql.data(CREATE_SESSION, {"c": cart_id})
        session = KlarnaSession.objects.get(cart__masked_id=cart_id, status="active")
        answer = emulator.authorize(session.session_id, category, klarna_billing())
        assert answer["approved"], answer
        return cart_id, session, answer["authorization_token"]

    return make


def post_callback(client, secret, body):
    return client.post(f"/klarna/authorization/{secret}/", json.dumps(body), content_type="application/json")


def past_grace(session):
    KlarnaSession.objects.filter(pk=session.pk).update(
        authorization_callback_at=timezone.now() - timedelta(seconds=121)
    )


def test_session_is_created_with_the_carts_authorization_url(authorized_in_klarna_only):
    cart_id, session, _ = authorized_in_klarna_only()

    sent = EmulatorSession.objects.get(session_id=session.session_id).data["merchant_urls"]["authorization"]

    assert sent.endswith(f"/klarna/authorization/{authorization_secret(cart_id)}/")
    assert session.payload.get("merchant_urls") is None  # not part of the payload hash


def test_callback_stores_the_token_and_answers_200(client, authorized_in_klarna_only):
    cart_id, session, token = authorized_in_klarna_only()

    http = deliver_callbacks(client)

    assert [(status, body["result"]) for _, status, body in http.delivered] == [(200, "stored")]
    session.refresh_from_db()
    assert session.authorization_token == token
    # Klarna's callback does not say which category; with none chosen on the cart, the first.
    assert session.authorized_category == "pay_now"
    assert session.authorized_payload_hash == session.payload_hash
    assert session.authorization_callback_at is not None
    assert Order.objects.count() == 0  # nothing placed before the grace delay


def test_callback_with_a_wrong_secret_is_404_and_changes_nothing(client, authorized_in_klarna_only):
    _, session, token = authorized_in_klarna_only()

    response = post_callback(
        client, "0" * 64, {"authorization_token": token, "session_id": session.session_id}
    )

    assert response.status_code == 404
    session.refresh_from_db()
    assert (session.authorization_token, session.authorization_callback_at) == (None, None)


def test_callback_naming_another_carts_session_is_404(client, authorized_in_klarna_only):
    mine, _, _ = authorized_in_klarna_only()
    _, other, token = authorized_in_klarna_only()

    response = post_callback(
        client, authorization_secret(mine), {"authorization_token": token, "session_id": other.session_id}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.authorization_token is None


def test_callback_for_an_unknown_session_is_404(client, authorized_in_klarna_only):
    cart_id, _, token = authorized_in_klarna_only()

    response = post_callback(
        client, authorization_secret(cart_id), {"authorization_token": token, "session_id": "nope"}
    )

    assert response.status_code == 404


def test_callback_keeps_the_token_the_browser_already_sent(client, gql, authorized_in_klarna_only):
    cart_id, session, token = authorized_in_klarna_only()
    gql.data(SET_KLARNA, {"c": cart_id, "code": "klarna_pay_later", "token": token})

    response = post_callback(
        client,
        authorization_secret(cart_id),
        {"authorization_token": "another-token", "session_id": session.session_id},
    )

    assert response.json()["result"] == "already_authorized"
    session.refresh_from_db()
    assert session.authorization_token == token


def test_reconcile_places_the_order_only_after_the_grace_delay(client, authorized_in_klarna_only):
    cart_id, session, _ = authorized_in_klarna_only()
    deliver_callbacks(client)

    early = run(["authorization-callbacks"])
    past_grace(session)
    late = run(["authorization-callbacks"])

    assert early.lines == []
    [order] = Order.objects.all()
    assert late.lines == [
        f"[authorization-callbacks] cart {cart_id[:8]}…: order {order.number} placed (processing)"
    ]
    assert order.payment_method_code == "klarna_pay_now"
    assert order.klarna_payment.authorized_payment_method == "invoice"  # what the shopper chose
    assert order.klarna_payment.fraud_status == "ACCEPTED"
    assert not Cart.objects.get(masked_id=cart_id).is_active


def test_replayed_callback_places_no_second_order(client, authorized_in_klarna_only):
    cart_id, session, token = authorized_in_klarna_only()
    deliver_callbacks(client)
    past_grace(session)
    run(["authorization-callbacks"])

    replay = post_callback(
        client,
        authorization_secret(cart_id),
        {"authorization_token": token, "session_id": session.session_id},
    )
    run(["authorization-callbacks"])

    assert replay.status_code == 200 and replay.json()["result"] == "ignored"
    assert Order.objects.count() == 1
    assert EmulatorOrder.objects.count() == 1


def test_browser_that_came_back_wins_and_the_callback_places_nothing(client, gql, authorized_in_klarna_only):
    cart_id, session, token = authorized_in_klarna_only()
    deliver_callbacks(client)
    gql.data(SET_KLARNA, {"c": cart_id, "code": "klarna_pay_later", "token": token})
    number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
    past_grace(session)

    report = run(["authorization-callbacks"])

    assert report.lines == []  # the session is completed: nothing left to place
    assert list(Order.objects.values_list("number", flat=True)) == [number]
    assert EmulatorOrder.objects.count() == 1


def test_command_option_runs_only_the_callback_step(client, authorized_in_klarna_only, capsys):
    _, session, _ = authorized_in_klarna_only()
    deliver_callbacks(client)
    past_grace(session)

    call_command("klarna_reconcile", "--authorization-callbacks-only")

    out = capsys.readouterr().out
    assert "[authorization-callbacks]" in out and "placed (processing)" in out
    assert out.strip().endswith("klarna_reconcile: authorization-callbacks 1")
