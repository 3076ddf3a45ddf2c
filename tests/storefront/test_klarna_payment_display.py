"""The chosen Klarna method as Klarna names it, with its terms, on the confirmation, in My orders
and in the confirmation email (issue 18 part 2): never just "Payment: Pay later"."""

import uuid
from datetime import UTC, datetime

import pytest

from cart.session_carts import SESSION_CART_HISTORY_KEY
from checkout.models import EmailOutbox, Order, Shipment
from checkout.payment_display import payment_shown
from payments_klarna.client import AuthorizedPaymentMethod
from shop import customers
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


def place(gql, cart_id) -> Order:
    number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
    return Order.objects.get(number=number)


def confirmation(client, order) -> str:
    session = client.session
    session[SESSION_CART_HISTORY_KEY] = [order.cart.masked_id]
    session.save()
    response = client.get(f"/checkout/success/{order.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_pay_later_order_keeps_klarnas_name_and_days(gql, client, klarna_cart):
    order = place(gql, klarna_cart("pay_later"))

    # Klarna's category name from the session, Klarna's days from create order's answer.
    assert order.payment_details == {"name": "Klarna — Pay later in 30 days", "days": 30}
    assert order.payment_method_title == "Pay later"  # GraphQL's Magento title is unchanged
    html = confirmation(client, order)
    assert "Klarna — Pay later in 30 days" in html
    assert "Due 30 days after your order ships" in html
    assert "Payment: Pay later<" not in html


def test_instalments_are_named_with_their_number(gql, client, klarna_cart):
    order = place(gql, klarna_cart("pay_over_time", qty=5))  # 5 × 19.99: within pay over time

    assert order.payment_details == {"name": "Klarna — Pay in 3 interest-free instalments", "instalments": 3}
    html = confirmation(client, order)
    assert "Klarna — Pay in 3 interest-free instalments" in html
    assert "Paid in 3 instalments" in html


def test_my_orders_and_the_order_page_show_the_method_and_the_due_date_once_shipped(gql, klarna_cart):
    order = place(gql, klarna_cart("pay_later"))
    anna = customers.create_customer(
        email="erika@example.com", firstname="Erika", lastname="M", password="Correct-Horse-42"
    )
    Order.objects.filter(pk=order.pk).update(customer=anna)
    from django.test import Client

    client = Client()
    client.force_login(anna)

    listing = client.get("/account/orders/").content.decode()
    assert "Klarna — Pay later in 30 days" in listing
    assert "Due 30 days after your order ships" in listing

    Shipment.objects.create(
        order=order,
        number=f"{order.number}-1",
        operation_id=uuid.uuid4(),
        state=Shipment.State.SHIPPED,
        carrier="DHL",
        tracking_number="123",
        shipped_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
    )
    page = client.get(f"/account/orders/{order.number}/").content.decode()
    assert "Klarna — Pay later in 30 days" in page
    assert "Due by 31 Dec 2026 (30 days after shipping)" in page


def test_the_confirmation_email_names_the_klarna_method(gql, klarna_cart, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # its sender renders it after the commit
        order = place(gql, klarna_cart("pay_later"))

    email = EmailOutbox.objects.get(order=order, kind="confirmation")
    line = "Payment: Klarna — Pay later in 30 days (Due 30 days after your order ships)"
    assert line in email.text_body
    assert line in email.html_body


def test_other_methods_and_older_orders_show_their_title(gql, client, ready_to_place_cart):
    order = place(gql, ready_to_place_cart("checkmo"))

    assert order.payment_details == {}
    assert payment_shown(order).name == "Check / Money order"
    assert payment_shown(order).terms == ""
    assert "Payment: <strong data-payment-name>Check / Money order</strong>" in confirmation(client, order)


def test_klarnas_authorized_payment_method_terms_are_read_and_checked():
    parsed = AuthorizedPaymentMethod.parse({"type": "invoice", "number_of_days": 14})
    assert (parsed.type, parsed.number_of_days, parsed.number_of_installments) == ("invoice", 14, None)
    odd = AuthorizedPaymentMethod.parse({"type": "x", "number_of_days": "14", "number_of_installments": True})
    assert (odd.number_of_days, odd.number_of_installments) == (None, None)
    assert AuthorizedPaymentMethod.parse("invoice") == AuthorizedPaymentMethod("invoice")
