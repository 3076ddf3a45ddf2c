"""A guest finds an order again by number, email and billing postcode (storefront page
/account/find-order/), throttled, shown only to the session that proved all three."""

import pytest
from django.core.cache import caches
from django.test import Client

from checkout import guest_orders
from checkout.models import Order
from tests.checkout_fixtures import PLACE_ORDER

FIND = "/account/find-order/"


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    caches["default"].clear()


@pytest.fixture
def guest_order(gql, ready_to_place_cart) -> Order:
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart()})["placeOrder"]["order"]["order_number"]
    return Order.objects.get(number=number)


def _find(client, number, email="erika@example.com", postcode="51147"):
    return client.post(FIND, {"number": number, "email": email, "postcode": postcode})


def test_all_three_match_shows_the_order_to_this_session_only(guest_order):
    client = Client()
    response = _find(client, guest_order.number, email="ERIKA@example.com", postcode=" 51 147 ")
    assert response.status_code == 302
    assert response["Location"] == f"/account/find-order/{guest_order.number}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-order-number>{guest_order.number}<' in html
    assert "Heidestraße 17" in html
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    # Another browser (no lookup in its session) gets nothing.
    assert Client().get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    "field,value",
    [("number", "999999999"), ("email", "someone@example.com"), ("postcode", "10115")],
)
def test_one_wrong_part_gets_the_same_refusal(guest_order, field, value):
    data = {"number": guest_order.number, "email": "erika@example.com", "postcode": "51147", field: value}
    client = Client()
    response = client.post(FIND, data)
    assert response.status_code == 200
    assert "You entered incorrect data. Please try again." in response.content.decode()
    assert client.get(f"/account/find-order/{guest_order.number}/").status_code == 404


def test_a_customers_order_is_not_found_as_a_guest_order(guest_order, django_user_model):
    customer = django_user_model.objects.create_user("erika@example.com", "erika@example.com", "x-Pass-1234")
    Order.objects.filter(pk=guest_order.pk).update(customer=customer)
    response = _find(Client(), guest_order.number)
    assert response.status_code == 200
    assert "You entered incorrect data. Please try again." in response.content.decode()


def test_guessing_is_throttled_per_client_even_with_the_right_answer_later(guest_order):
    client = Client()
    for postcode in ("00001", "00002", "00003", "00004", "00005"):
        assert "incorrect data" in _find(client, guest_order.number, postcode=postcode).content.decode()
    refused = _find(client, guest_order.number)
    assert refused.status_code == 200
    assert "Too many attempts" in refused.content.decode()


def test_guessing_is_throttled_per_order_number_across_clients(guest_order):
    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            FIND, {"number": guest_order.number, "email": "erika@example.com", "postcode": f"0000{n}"}
        )
    refused = Client(REMOTE_ADDR="10.0.0.99").post(
        FIND, {"number": guest_order.number, "email": "erika@example.com", "postcode": "51147"}
    )
    assert "Too many attempts" in refused.content.decode()


def test_the_form_names_missing_fields(db):
    html = Client().post(FIND, {"number": "", "email": "nope", "postcode": ""}).content.decode()
    assert "This field is required." in html
    assert "Enter a valid email address." in html


def test_the_confirmation_email_of_a_guest_links_to_the_lookup(guest_order):
    from checkout.models import EmailOutbox

    row = EmailOutbox.objects.get(order=guest_order, kind="confirmation")
    assert "/account/find-order/" in row.text_body
    assert "/account/find-order/" in row.html_body


def test_sign_in_page_links_to_the_lookup(db):
    assert 'href="/account/find-order/"' in Client().get("/account/sign-in/").content.decode()


def test_remember_keeps_the_last_ten_orders(db):
    session = {}

    class O:
        def __init__(self, number):
            self.number = number

    for n in range(12):
        guest_orders.remember(session, O(str(n)))
    assert session[guest_orders.SESSION_KEY] == [str(n) for n in range(2, 12)]
