"""Klarna's pending-order notifications: the secret finds the payment, the order is re-read
from Klarna, and only Klarna's answer changes anything."""

import json
from datetime import timedelta

import pytest

from checkout.models import Order
from klarna_emulator import callbacks, clock
from payments_klarna.models import KlarnaPayment
from shop.models import Product
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


def notify(client, secret, body=None):
    return client.post(
        f"/klarna/notification/{secret}/",
        json.dumps(body or {"order_id": "spoofed", "event_type": "FRAUD_RISK_ACCEPTED"}),
        content_type="application/json",
    )


class DjangoClientHttp:
    """Delivers the emulator's callbacks to this test's Django app, as Klarna would over HTTP."""

    def __init__(self, client):
        self.client = client
        self.delivered = []

    def post(self, url, json, timeout):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        response = self.client.post(
            path, data=__import__("json").dumps(json), content_type="application/json"
        )
        self.delivered.append((path, response.status_code, response.json()))
        return response

    @property
    def notifications(self):
        """Deliveries to the notification URL (the emulator also sends authorization callbacks)."""
        return [delivery for delivery in self.delivered if "/klarna/notification/" in delivery[0]]


def klarna_decides(client) -> DjangoClientHttp:
    """Let the persona's review delay pass and have the emulator fire its notifications."""
    clock.advance(timedelta(minutes=1))
    http = DjangoClientHttp(client)
    callbacks.fire_due(http=http)
    return http


@pytest.fixture
def held_order(gql, klarna_cart):
    def make(decision="accept"):
        cart_id = klarna_cart(email=f"erika+pend-{decision}-00@example.com")
        number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
        return Order.objects.get(number=number)

    return make


def test_accepted_after_review_releases_the_hold(client, held_order):
    order = held_order("accept")
    assert order.status == "payment_review"

    http = klarna_decides(client)

    order.refresh_from_db()
    assert [(status, body["result"]) for _, status, body in http.notifications] == [(200, "released")]
    assert order.status == "processing"
    assert KlarnaPayment.objects.get(order=order).fraud_status == "ACCEPTED"


def test_rejected_after_review_cancels_locally_and_restocks(client, held_order, product):
    order = held_order("reject")
    stock_after_order = Product.objects.get(pk=product.pk).stock_qty

    klarna_decides(client)

    order.refresh_from_db()
    assert order.status == "canceled"
    assert Product.objects.get(pk=product.pk).stock_qty == stock_after_order + 2


def test_body_is_not_trusted_while_klarna_still_pending(client, held_order):
    order = held_order("accept")  # Klarna decides only when the persona's delay is due

    response = notify(client, order.klarna_payment.callback_secret, {"event_type": "FRAUD_RISK_ACCEPTED"})

    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == "payment_review"


def test_late_accept_never_revives_a_cancelled_order(client, held_order):
    order = held_order("accept")
    Order.objects.filter(pk=order.pk).update(status="canceled")

    klarna_decides(client)

    order.refresh_from_db()
    assert order.status == "canceled"


def test_replayed_notification_is_idempotent(client, held_order):
    order = held_order("accept")
    first = klarna_decides(client).notifications[0][2]

    second = notify(client, order.klarna_payment.callback_secret).json()

    order.refresh_from_db()
    assert (first["result"], second["result"]) == ("released", "unchanged")
    assert order.status == "processing"


def test_unknown_secret_is_404_and_changes_nothing(client, held_order):
    order = held_order("reject")

    response = notify(client, "not-a-secret", {"event_type": "FRAUD_RISK_REJECTED"})

    order.refresh_from_db()
    assert response.status_code == 404
    assert order.status == "payment_review"


def test_notification_needs_post(client, held_order):
    order = held_order("accept")

    assert client.get(f"/klarna/notification/{order.klarna_payment.callback_secret}/").status_code == 405
