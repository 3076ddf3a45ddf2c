"""Shipments that capture (issue 16 part 1): staff ship chosen lines, Klarna captures exactly
those lines with shipping_info, the rest stays authorized, the last shipment completes the
order; check / money order ships without a capture; every refusal leaves nothing moved.
Against the in-process Klarna emulator."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from checkout import shipments
from checkout.models import EmailOutbox, Order, Shipment
from checkout.shipments import ShipmentError, ShipmentRequest, plan_shipment, ship
from klarna_emulator.models import EmulatorCapture, EmulatorOrder
from payments_klarna.models import KlarnaOperation, KlarnaPayment
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db

TRACKING_URL = "https://tracking.example.com/track?n=00340434161094012345"


@pytest.fixture
def klarna_order(gql, klarna_cart):
    def make(qty=3) -> Order:
        cart_id = klarna_cart(qty=qty)
        number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
        return Order.objects.get(number=number)

    return make


@pytest.fixture
def checkmo_order(gql, ready_to_place_cart):
    def make(qty=3) -> Order:
        cart_id = ready_to_place_cart(payment="checkmo", qty=qty)
        number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["order"]["order_number"]
        return Order.objects.get(number=number)

    return make


def request_for(order, quantity, **overrides) -> ShipmentRequest:
    item = order.items.get()
    fields = {
        "quantities": {item.pk: quantity},
        "carrier": "DHL",
        "tracking_number": "00340434161094012345",
        "tracking_url": TRACKING_URL,
        **overrides,
    }
    return ShipmentRequest(**fields)


def ship_now(order, quantity, **overrides):
    plan = plan_shipment(order, request_for(order, quantity, **overrides))
    return plan, ship(order, plan)


def klarna_captures(order) -> list[EmulatorCapture]:
    payment = KlarnaPayment.objects.get(order=order)
    return list(EmulatorCapture.objects.filter(order__order_id=payment.klarna_order_id).order_by("id"))


def shipment_emails(order) -> list[EmailOutbox]:
    return list(EmailOutbox.objects.filter(order=order, kind=EmailOutbox.Kind.SHIPMENT))


# --- transitions -------------------------------------------------------------------------------


def test_partial_shipment_captures_exactly_those_lines_and_leaves_the_rest_authorized(klarna_order):
    order = klarna_order(qty=3)
    payment = KlarnaPayment.objects.get(order=order)
    authorized = payment.authorized_amount

    plan, result = ship_now(order, 1)

    assert result.ok, result.message
    [capture] = klarna_captures(order)
    lines = capture.data["order_lines"]
    # one unit of the item, and the shipping fee with the first shipment
    assert [(line["type"], line["quantity"]) for line in lines] == [("physical", 1), ("shipping_fee", 1)]
    assert lines[0]["reference"] == "24-MB01" and lines[0]["total_amount"] == 1999
    assert capture.captured_amount == sum(line["total_amount"] for line in lines) == plan.capture.amount
    assert capture.data["shipping_info"] == [
        {"shipping_company": "DHL", "tracking_number": "00340434161094012345", "tracking_uri": TRACKING_URL}
    ]
    payment.refresh_from_db()
    assert payment.captured_amount == capture.captured_amount
    assert payment.remaining_authorized_amount == authorized - capture.captured_amount > 0
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_SHIPPED
    shipment = Shipment.objects.get(order=order)
    assert (shipment.state, shipment.number, shipment.payment_reference) == (
        Shipment.State.SHIPPED,
        f"{order.number}-1",
        capture.capture_id,
    )
    assert [(row.order_item.sku, row.quantity) for row in shipment.items.all()] == [("24-MB01", 1)]
    assert shipments.remaining_quantities(order) == {order.items.get().pk: 2}


def test_last_shipment_captures_the_rest_to_the_cent_and_completes_the_order(klarna_order):
    order = klarna_order(qty=3)
    authorized = KlarnaPayment.objects.get(order=order).authorized_amount

    assert ship_now(order, 1)[1].ok
    order.refresh_from_db()
    plan, result = ship_now(order, 2)

    assert result.ok, result.message
    first, second = klarna_captures(order)
    assert [(line["type"], line["quantity"]) for line in second.data["order_lines"]] == [("physical", 2)]
    assert first.captured_amount + second.captured_amount == authorized
    payment = KlarnaPayment.objects.get(order=order)
    assert (payment.status, payment.captured_amount, payment.remaining_authorized_amount) == (
        "CAPTURED",
        authorized,
        0,
    )
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETE
    assert shipments.refusal(order) == f"Everything on order #{order.number} has been shipped already."
    with pytest.raises(ShipmentError, match="at most 0 of “Joust Duffle Bag”"):
        plan_shipment(order, request_for(order, 1))


def test_shipment_email_has_items_and_tracking_link_and_is_sent_once(klarna_order):
    order = klarna_order(qty=3)
    _, result = ship_now(order, 1)

    [email] = shipment_emails(order)
    assert email.event_id == str(result.shipment.operation_id)
    assert "1 × Joust Duffle Bag (24-MB01)" in email.text_body
    assert "Tracking number: 00340434161094012345" in email.text_body
    assert TRACKING_URL in email.text_body
    assert f'href="{TRACKING_URL.replace("&", "&amp;")}"' in email.html_body
    assert re.search(r"Amount charged for this shipment: \d+,\d\d\xa0€", email.text_body)


def test_checkmo_order_ships_without_a_capture_and_completes(checkmo_order):
    order = checkmo_order(qty=2)
    assert order.status == Order.Status.PENDING

    plan, result = ship_now(order, 1, tracking_url="")
    assert plan.capture is None
    assert result.ok, result.message
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_SHIPPED
    _, result = ship_now(order, 1, tracking_url="")

    assert result.ok
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETE
    assert KlarnaOperation.objects.count() == 0 and EmulatorCapture.objects.count() == 0
    assert [s.capture_amount for s in Shipment.objects.filter(order=order)] == [0, 0]
    assert len(shipment_emails(order)) == 2
    assert "Amount charged" not in shipment_emails(order)[0].text_body


def test_double_confirm_captures_once(klarna_order):
    order = klarna_order(qty=3)
    plan = plan_shipment(order, request_for(order, 2))

    first = ship(order, plan)
    second = ship(order, plan)

    assert first.ok and second.ok
    assert "already recorded; nothing was repeated" in second.message
    assert len(klarna_captures(order)) == 1
    assert Shipment.objects.filter(order=order).count() == 1
    assert KlarnaOperation.objects.filter(kind="capture").count() == 1
    assert len(shipment_emails(order)) == 1


def test_capture_refused_by_klarna_ships_nothing_and_frees_the_units(klarna_order):
    order = klarna_order(qty=3)
    payment = KlarnaPayment.objects.get(order=order)
    # Klarna's authorization ran out, and the shop has not read that yet.
    EmulatorOrder.objects.filter(order_id=payment.klarna_order_id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    _, result = ship_now(order, 1)

    assert not result.ok and not result.pending
    assert result.message.startswith("Nothing was shipped or charged. Klarna did not allow this capture")
    assert klarna_captures(order) == []
    shipment = Shipment.objects.get(order=order)
    assert shipment.state == Shipment.State.FAILED
    assert shipments.remaining_quantities(order) == {order.items.get().pk: 3}
    order.refresh_from_db()
    assert order.status == Order.Status.PROCESSING
    assert shipment_emails(order) == []


def test_a_changed_order_is_not_shipped_from_a_stale_plan(klarna_order):
    order = klarna_order(qty=3)
    stale = plan_shipment(order, request_for(order, 2))
    assert ship_now(order, 1)[1].ok

    with pytest.raises(ShipmentError, match="changed since you reviewed"):
        ship(order, stale)
    assert len(klarna_captures(order)) == 1


# --- refusals: nothing moved -------------------------------------------------------------------


def test_shipping_more_than_ordered_is_refused(klarna_order):
    order = klarna_order(qty=3)
    with pytest.raises(ShipmentError) as error:
        plan_shipment(order, request_for(order, 4))
    assert str(error.value) == (
        "You can ship at most 3 of “Joust Duffle Bag” (ordered 3, already shipped 0); you asked for 4."
    )
    assert Shipment.objects.count() == 0 and klarna_captures(order) == []


def test_shipping_more_than_remains_is_refused(klarna_order):
    order = klarna_order(qty=3)
    assert ship_now(order, 2)[1].ok
    with pytest.raises(
        ShipmentError, match=r"at most 1 of “Joust Duffle Bag” \(ordered 3, already shipped 2\)"
    ):
        plan_shipment(order, request_for(order, 2))
    assert len(klarna_captures(order)) == 1


def test_canceled_order_is_refused(checkmo_order):
    order = checkmo_order()
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELED)
    order.refresh_from_db()

    with pytest.raises(ShipmentError) as error:
        plan_shipment(order, request_for(order, 1))
    assert str(error.value) == f"Order #{order.number} is cancelled: nothing can be shipped."
    assert shipments.refusal(order) == str(error.value)
    assert Shipment.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["ftp://tracking.example.com/1", "javascript:alert(1)", "tracking.example.com/1", "https://"]
)
def test_tracking_url_that_is_not_http_is_refused(klarna_order, url):
    order = klarna_order(qty=1)
    with pytest.raises(ShipmentError) as error:
        plan_shipment(order, request_for(order, 1, tracking_url=url))
    assert str(error.value) == (
        f"The tracking URL must be a web address starting with http:// or https:// (got “{url}”)."
    )
    assert Shipment.objects.count() == 0 and klarna_captures(order) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"carrier": " "}, "Enter the carrier (shipping company)."),
        ({"tracking_number": ""}, "Enter the tracking number."),
        ({"quantities": {}}, "Choose at least one item and the quantity to ship."),
    ],
)
def test_missing_details_are_refused(checkmo_order, overrides, message):
    order = checkmo_order()
    with pytest.raises(ShipmentError) as error:
        plan_shipment(order, request_for(order, 1, **overrides))
    assert str(error.value) == message


def test_an_item_of_another_order_is_refused(checkmo_order):
    order, other = checkmo_order(), checkmo_order()
    with pytest.raises(ShipmentError, match=f"is not a line of order #{order.number}"):
        plan_shipment(order, request_for(order, 1, quantities={other.items.get().pk: 1}))


def test_order_on_payment_review_is_refused(klarna_order):
    order = klarna_order()
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAYMENT_REVIEW)
    order.refresh_from_db()
    with pytest.raises(ShipmentError, match="on hold for payment review"):
        plan_shipment(order, request_for(order, 1))


# --- staff: the Ship action in the order admin ---------------------------------------------------


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


def ship_url(order) -> str:
    return f"/admin/checkout/order/{order.pk}/ship/"


def ship_form(order, quantity, **fields) -> dict:
    item = order.items.get()
    return {
        f"qty_{item.pk}": quantity,
        "carrier": "DHL",
        "tracking_number": "00340434161094012345",
        "tracking_url": TRACKING_URL,
        **fields,
    }


def test_staff_ship_form_is_prefilled_and_review_shows_exactly_what_is_captured(staff, klarna_order):
    order = klarna_order(qty=3)
    page = staff.get(f"/admin/checkout/order/{order.pk}/change/")
    assert 'id="order-action-ship"' in page.content.decode()
    form = staff.get(ship_url(order))
    assert form.context["form"][f"qty_{order.items.get().pk}"].initial == 3

    review = staff.post(ship_url(order), ship_form(order, 1))

    assert review.status_code == 200 and "token" in review.context
    amount = review.context["plan"].capture.amount
    html = review.content.decode()
    assert f"The customer will be charged {amount // 100},{amount % 100:02d}\xa0€ for this shipment." in html
    assert "Joust Duffle Bag" in html and "2 unit(s) left to ship." in html
    assert klarna_captures(order) == [] and Shipment.objects.count() == 0  # nothing moved yet

    done = staff.post(ship_url(order), {"token": review.context["token"]}, follow=True)
    again = staff.post(ship_url(order), {"token": review.context["token"]}, follow=True)

    assert [c.captured_amount for c in klarna_captures(order)] == [amount]
    assert any("Shipment" in str(m) and "recorded" in str(m) for m in done.context["messages"])
    assert any("nothing was repeated" in str(m) for m in again.context["messages"])
    assert f'data-shipment="{order.number}-1"' in again.content.decode()


def test_staff_over_shipping_and_bad_url_are_refused_in_plain_words(staff, klarna_order):
    order = klarna_order(qty=2)
    too_many = staff.post(ship_url(order), ship_form(order, 3))
    bad_url = staff.post(ship_url(order), ship_form(order, 1, tracking_url="ftp://x.example/1"))

    assert "token" not in too_many.context and "token" not in bad_url.context
    assert "You can ship at most 2 of “Joust Duffle Bag”" in too_many.content.decode()
    assert "must be a web address starting with http:// or https://" in bad_url.content.decode()
    assert Shipment.objects.count() == 0 and klarna_captures(order) == []


def test_staff_cannot_ship_a_cancelled_order(staff, checkmo_order):
    order = checkmo_order()
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELED)
    response = staff.get(ship_url(order), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"Order #{order.number} is cancelled: nothing can be shipped."
    ]
    assert 'id="order-action-ship"' not in response.content.decode()


def test_a_tampered_confirmation_ships_nothing(staff, checkmo_order):
    order = checkmo_order()
    review = staff.post(ship_url(order), ship_form(order, 1, tracking_url=""))
    response = staff.post(ship_url(order), {"token": review.context["token"] + "x"}, follow=True)
    assert "This confirmation is not valid" in str(list(response.context["messages"])[0])
    assert Shipment.objects.count() == 0


def test_staff_without_capture_permission_cannot_ship(checkmo_order):
    from tests.payments_klarna.admin.conftest import staff_client

    order = checkmo_order()
    client = staff_client()
    assert client.get(ship_url(order)).status_code == 403
    assert (
        'id="order-action-ship"'
        not in client.get(f"/admin/checkout/order/{order.pk}/change/").content.decode()
    )


def test_an_order_captured_in_full_beforehand_ships_without_a_second_capture(klarna_order):
    from payments_klarna import order_management as om

    order = klarna_order(qty=2)
    payment = KlarnaPayment.objects.get(order=order)
    assert om.capture(order, operation_id=str(uuid.uuid4()), amount=payment.authorized_amount).ok

    plan, result = ship_now(order, 2)

    assert plan.capture is None and result.ok
    assert len(klarna_captures(order)) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETE
