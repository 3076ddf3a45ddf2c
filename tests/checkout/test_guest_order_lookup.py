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
    assert f"data-order-number>{guest_order.number}<" in html
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


def test_the_confirmation_email_of_a_guest_links_to_the_lookup(
    gql, ready_to_place_cart, django_capture_on_commit_callbacks
):
    from checkout.models import EmailOutbox

    # The confirmation is rendered by its sender, after placeOrder's commit.
    with django_capture_on_commit_callbacks(execute=True):
        number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart()})["placeOrder"]["order"]["order_number"]
    row = EmailOutbox.objects.get(order__number=number, kind="confirmation")
    assert row.state == "sent"
    assert "/account/find-order/" in row.text_body
    assert "/account/find-order/" in row.html_body


def test_sign_in_page_links_to_the_lookup(db):
    assert 'href="/account/find-order/"' in Client().get("/account/sign-in/").content.decode()


def test_remember_keeps_the_last_ten_orders(db):
    session = {}

    class FakeOrder:
        def __init__(self, number):
            self.number = number

    for n in range(12):
        guest_orders.remember(session, FakeOrder(str(n)))
    assert session[guest_orders.SESSION_KEY] == [str(n) for n in range(2, 12)]


# --- adding earlier guest orders to a new account ---------------------------------------------------

import re  # noqa: E402

from django.core import mail  # noqa: E402


@pytest.fixture
def erika(django_user_model):
    from shop import customers

    return customers.create_customer(
        email="Erika@example.com", firstname="Erika", lastname="M", password="Correct-Horse-42"
    )


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_account_sees_no_guest_order_before_the_email_is_proven(guest_order, erika):
    client = _signed_in(erika)
    page = client.get("/account/orders/").content.decode()
    assert guest_order.number not in page
    assert "You have no orders yet." in page
    assert "data-earlier-orders" in page
    assert client.get(f"/account/orders/{guest_order.number}/").status_code == 404


def test_the_emailed_link_adds_the_guest_orders_of_the_address(guest_order, erika):
    client = _signed_in(erika)
    response = client.post("/account/orders/add-earlier/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Erika@example.com"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path_and_query = link.split("://", 1)[1].split("/", 1)[1]
    followed = client.get("/" + path_and_query, follow=True)
    html = followed.content.decode()
    assert "1 earlier order added to your account." in html
    assert f'data-order="{guest_order.number}"' in html
    guest_order.refresh_from_db()
    assert guest_order.customer_id == erika.pk
    # Opening it again finds nothing more.
    again = client.get("/" + path_and_query, follow=True).content.decode()
    assert "We found no earlier orders placed with" in again


def test_a_link_opened_by_another_account_adds_nothing(guest_order, erika, django_user_model):
    _signed_in(erika).post("/account/orders/add-earlier/")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    from shop import customers

    mallory = customers.create_customer(
        email="mallory@example.com", firstname="M", lastname="X", password="Correct-Horse-42"
    )
    html = (
        _signed_in(mallory).get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True).content.decode()
    )
    assert "This link has expired or belongs to another account." in html
    guest_order.refresh_from_db()
    assert guest_order.customer_id is None


def test_a_link_dies_when_the_account_email_changes(guest_order, erika):
    from checkout.guest_orders import link_tokens

    token = link_tokens.make_token(erika)
    erika.email = "other@example.com"
    erika.save()
    html = (
        _signed_in(erika)
        .get("/account/orders/add-earlier/confirm/", {"token": token}, follow=True)
        .content.decode()
    )
    assert "This link has expired" in html
    guest_order.refresh_from_db()
    assert guest_order.customer_id is None


def test_link_requests_are_throttled_per_account(erika):
    client = _signed_in(erika)
    for _ in range(3):
        client.post("/account/orders/add-earlier/")
    html = client.post("/account/orders/add-earlier/", follow=True).content.decode()
    assert "Too many attempts" in html
    assert len(mail.outbox) == 3


def test_signed_out_visitors_are_sent_to_sign_in(db):
    response = Client().post("/account/orders/add-earlier/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
