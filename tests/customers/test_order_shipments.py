"""Magento's ``CustomerOrder.shipments`` (issue 16): the shipments staff recorded, with tracking
and the items shipped, in Magento's shape; and the storefront's order page showing them."""

import pytest

from checkout.models import Order
from checkout.shipments import ShipmentRequest, plan_shipment, ship
from shop.graphql.ids import encode_uid

pytestmark = pytest.mark.django_db

QUERY = """{ customer { orders { items { number status
  shipments { id number tracking { carrier number title }
    items { id product_name product_sku quantity_shipped product_sale_price { value currency }
            order_item { id product_sku quantity_ordered } }
    comments { timestamp message } } } } } }"""


@pytest.fixture
def anna_order(gql, anna_auth, ready_customer_cart):
    cart = ready_customer_cart(anna_auth)
    number = gql.data(
        "mutation($c: String!) { placeOrder(input: {cart_id: $c}) { orderV2 { number } } }",
        {"c": cart},
        **anna_auth,
    )["placeOrder"]["orderV2"]["number"]
    return Order.objects.get(number=number)


def ship_one(order, quantity=1, url="https://tracking.example.com/t/123"):
    item = order.items.get()
    request = ShipmentRequest({item.pk: quantity}, "DHL", "JJD000390007", url)
    return ship(order, plan_shipment(order, request)).shipment


def test_customer_orders_list_shipments_with_tracking_and_items(gql, anna_auth, anna_order):
    assert gql.data(QUERY, **anna_auth)["customer"]["orders"]["items"][0]["shipments"] == []
    shipment = ship_one(anna_order)
    item = anna_order.items.get()

    [order] = gql.data(QUERY, **anna_auth)["customer"]["orders"]["items"]

    assert order["status"] == "partially_shipped"  # one of two shipped
    [row] = order["shipments"][0]["items"]
    assert order["shipments"] == [
        {
            "id": order["shipments"][0]["id"],
            "number": f"{anna_order.number}-1",
            "tracking": [{"carrier": "DHL", "number": "JJD000390007", "title": "DHL"}],
            "items": [row],
            "comments": [],
        }
    ]
    assert order["shipments"][0]["id"] == encode_uid(shipment.pk)
    assert row["id"] == encode_uid(shipment.items.get().pk)
    assert {k: v for k, v in row.items() if k != "id"} == {
        "product_name": "Joust Duffle Bag",
        "product_sku": "24-MB01",
        "quantity_shipped": 1.0,
        "product_sale_price": {"value": 19.99, "currency": "EUR"},
        "order_item": {"id": row["order_item"]["id"], "product_sku": "24-MB01", "quantity_ordered": 2.0},
    }
    assert shipment.items.get().order_item == item


def test_a_failed_or_unconfirmed_shipment_is_not_listed(gql, anna_auth, anna_order):
    shipment = ship_one(anna_order)
    shipment.state = "failed"
    shipment.save()
    [order] = gql.data(QUERY, **anna_auth)["customer"]["orders"]["items"]
    assert order["shipments"] == []


def test_my_orders_page_shows_shipment_and_tracking_link(client, anna, anna_order):
    ship_one(anna_order)
    client.force_login(anna)
    html = client.get(f"/account/orders/{anna_order.number}/").content.decode()
    assert f"{anna_order.number}-1" in html
    assert "JJD000390007" in html
    assert 'href="https://tracking.example.com/t/123"' in html
