"""The order list staff work from (issue 16 part 6): search by name, city, postcode and Klarna
order id; filters; a CSV export of exactly the listed orders; the admin home's "needs attention"."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from checkout.models import EmailOutbox, Order, OrderPlacement
from payments_klarna.models import KlarnaPayment
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db

ORDERS = "/admin/checkout/order/"


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


@pytest.fixture
def checkmo_order(gql, ready_to_place_cart):
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart("checkmo")})["placeOrder"]["order"][
        "order_number"
    ]
    return Order.objects.get(number=number)


@pytest.fixture
def klarna_order(gql, klarna_cart):
    number = gql.data(PLACE_ORDER, {"cart": klarna_cart()})["placeOrder"]["order"]["order_number"]
    return Order.objects.get(number=number)


def _listed(response) -> list[str]:
    return [order.number for order in response.context["cl"].result_list]


@pytest.mark.parametrize("query", ["Mustermann", "Köln", "51147", "erika@example.com"])
def test_search_finds_an_order_by_name_city_postcode_or_email(staff, checkmo_order, query):
    assert _listed(staff.get(ORDERS, {"q": query})) == [checkmo_order.number]
    assert _listed(staff.get(ORDERS, {"q": "Nobody"})) == []


def test_search_finds_an_order_by_its_klarna_order_id(staff, klarna_order, checkmo_order):
    klarna_id = KlarnaPayment.objects.get(order=klarna_order).klarna_order_id
    assert _listed(staff.get(ORDERS, {"q": klarna_id})) == [klarna_order.number]


def test_filters_by_status_and_payment_method(staff, klarna_order, checkmo_order):
    assert _listed(staff.get(ORDERS, {"payment_method_code__exact": "checkmo"})) == [checkmo_order.number]
    Order.objects.filter(pk=klarna_order.pk).update(status="payment_review")
    assert _listed(staff.get(ORDERS, {"status__exact": "payment_review"})) == [klarna_order.number]


def test_csv_export_has_exactly_the_listed_orders_in_currency_precision(staff, klarna_order, checkmo_order):
    page = staff.get(ORDERS, {"payment_method_code__exact": "checkmo"}).content.decode()
    assert 'href="/admin/checkout/order/export.csv?payment_method_code__exact=checkmo"' in page
    response = staff.get(f"{ORDERS}export.csv", {"payment_method_code__exact": "checkmo"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["number"] for row in rows] == [checkmo_order.number]
    row = rows[0]
    assert row["billing_name"] == "Erika Mustermann" and row["billing_city"] == "Köln"
    assert row["billing_postcode"] == "51147" and row["currency"] == "EUR"
    assert row["grand_total"] == f"{checkmo_order.grand_total:.2f}"  # 69.00, not 69.0000
    everything = staff.get(f"{ORDERS}export.csv")
    assert len(list(csv.DictReader(io.StringIO(b"".join(everything.streaming_content).decode())))) == 2


def test_export_is_staff_only(checkmo_order):
    response = Client().get(f"{ORDERS}export.csv")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_home_lists_what_needs_attention_with_links(staff, klarna_order, checkmo_order):
    home = staff.get("/admin/").content.decode()
    assert 'id="needs-attention"' in home
    assert "Nothing needs attention." in home

    Order.objects.filter(pk=checkmo_order.pk).update(status="payment_review")
    EmailOutbox.objects.filter(order=checkmo_order).update(state="failed")
    placement = OrderPlacement.objects.get(order_number=klarna_order.number)
    OrderPlacement.objects.filter(pk=placement.pk).update(
        state="uncertain", updated_at=timezone.now() - timedelta(hours=1)
    )
    KlarnaPayment.objects.filter(order=klarna_order).update(expires_at=timezone.now() + timedelta(days=2))

    response = staff.get("/admin/")
    items = {item.label: item for item in response.context["items"]}
    assert items["Orders on hold (payment review)"].count == 1
    assert items["Emails that failed"].count == 1
    assert items["Placements unfinished for more than 15 minutes"].count == 1
    expiring = items["Klarna authorizations expiring soon (capture or extend)"]
    assert expiring.count == 1
    assert "Nothing needs attention." not in response.content.decode()
    # Each link lists exactly those.
    assert _listed(staff.get(expiring.url)) == [klarna_order.number]
    assert _listed(staff.get(items["Orders on hold (payment review)"].url)) == [checkmo_order.number]
