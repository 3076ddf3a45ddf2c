"""Admin fixtures: a superuser, a staff user who may only look, and a placed Klarna order."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from checkout.models import Order
from tests.checkout_fixtures import PLACE_ORDER

VIEW_PERMISSIONS = [
    ("checkout", "view_order"),
    ("checkout", "view_orderplacement"),
    ("payments_klarna", "view_klarnasession"),
    ("payments_klarna", "view_klarnaapicall"),
    ("payments_klarna", "view_klarnaoperation"),
]


def staff_client(*permissions) -> Client:
    user = User.objects.create_user(f"staff{User.objects.count()}", password="pw", is_staff=True)
    for app_label, codename in [*VIEW_PERMISSIONS, *permissions]:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(db) -> Client:
    user = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer(db) -> Client:
    """Staff who may see orders and Klarna data but not capture, refund or cancel."""
    return staff_client()


@pytest.fixture
def placed_order(gql, klarna_cart):
    def make(email="erika@example.com", qty=2) -> Order:
        cart_id = klarna_cart(email=email, qty=qty)
        number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
        return Order.objects.get(number=number)

    return make
