import pytest
from django.contrib.auth.models import User

from checkout.admin_order_page import order_page
from checkout.models import Order
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("admin", "admin@example.com", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_order_admin_lists_and_shows_an_order(gql, ready_to_place_cart, staff_client):
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart()})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)

    listing = staff_client.get("/admin/checkout/order/?q=" + number)
    detail = staff_client.get(f"/admin/checkout/order/{order.pk}/change/")

    assert listing.status_code == 200 and number.encode() in listing.content
    assert detail.status_code == 200
    assert b"24-MB01" in detail.content and b"Mustermann" in detail.content


def test_order_admin_is_staff_only(client, gql, ready_to_place_cart):
    gql.data(PLACE_ORDER, {"cart": ready_to_place_cart()})

    response = client.get("/admin/checkout/order/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_order_page_reads_as_an_order_not_a_field_dump(gql, ready_to_place_cart, staff_client):
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart()})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)

    html = staff_client.get(f"/admin/checkout/order/{order.pk}/change/").content.decode()

    summary = html[html.index('id="order-summary"') : html.index('id="order-items"')]
    assert 'data-order-status="pending"' in summary or 'data-order-status="processing"' in summary
    assert 'data-total="grand-total">44,98\xa0€<' in summary  # 2 × 19,99\xa0€ + 5,00\xa0€, currency precision
    assert 'data-total="subtotal">39,98\xa0€<' in summary
    # Addresses as on an envelope, not as field values.
    assert "Erika Mustermann<br>Heidestraße 17<br>51147 Köln<br>Germany" in summary
    assert "[&#x27;Heidestraße 17&#x27;]" not in html and "['Heidestraße 17']" not in html
    assert "19.9900" not in html and "44.9800" not in html  # no column dumps with four decimals
    items = html[html.index('id="order-items"') :]
    assert 'data-item="24-MB01"' in items and "19,99\xa0€" in items
    # The order's parts follow in this order: items, timeline, then the actions.
    assert (
        html.index('id="order-items"') < html.index('id="order-history"') < html.index('id="order-shipments"')
    )


def test_the_order_page_reads_a_fixed_number_of_queries_whatever_the_lines(
    gql, ready_to_place_cart, django_assert_max_num_queries
):
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart()})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)
    with django_assert_max_num_queries(7):
        assert len(order_page(order)["items"]) == 1
    item = order.items.get()
    for _ in range(4):  # more lines of the same shape
        item.pk = None
        item.save()

    with django_assert_max_num_queries(7):
        assert len(order_page(order)["items"]) == 5
