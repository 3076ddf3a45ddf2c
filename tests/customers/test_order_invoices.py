"""``CustomerOrder.invoices`` (Klarna's field): one invoice per capture Klarna confirmed, with
the captured amount; none before a capture."""

import uuid

from checkout.models import Order
from payments_klarna import order_management
from payments_klarna.models import KlarnaOperation
from shop.graphql.ids import encode_uid
from tests.checkout_fixtures import PLACE_ORDER

INVOICES = "{ customer { orders { items { number invoices { id number total { grand_total { value currency } } } } } } }"


def test_each_confirmed_capture_is_an_invoice_of_the_customers_order(gql, klarna_cart, anna, anna_auth):
    number = gql.data(PLACE_ORDER, {"cart": klarna_cart()})["placeOrder"]["order"]["order_number"]
    Order.objects.filter(number=number).update(customer=anna)
    order = Order.objects.get(number=number)
    before = gql.data(INVOICES, **anna_auth)["customer"]["orders"]["items"]

    first = order_management.capture(order, operation_id=uuid.uuid4(), amount=2000)
    second = order_management.capture(order, operation_id=uuid.uuid4(), amount=2498)

    assert before == [{"number": number, "invoices": []}]
    assert first.ok and second.ok, (first, second)
    captures = list(KlarnaOperation.objects.filter(kind="capture").order_by("id"))
    (row,) = gql.data(INVOICES, **anna_auth)["customer"]["orders"]["items"]
    assert row["invoices"] == [
        {
            "id": encode_uid(capture.pk),
            "number": capture.klarna_capture_id,
            "total": {"grand_total": {"value": value, "currency": "EUR"}},
        }
        for capture, value in zip(captures, (20.0, 24.98), strict=True)
    ]
    assert all(capture.klarna_capture_id for capture in captures)
