import pytest
from django.contrib.auth.models import User

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
