"""Staff actions on the order page's Klarna panel, against the in-process emulator: every
write goes through Order Management with the operation's stored idempotency key, and the
order's amounts change only from Klarna's answer. Money actions are reviewed, then confirmed
(``helpers.submit`` does both; tests/payments_klarna/admin/test_admin_confirmation.py covers
the confirmation itself)."""

import uuid
from datetime import timedelta

import pytest

from checkout.models import Order
from klarna_emulator import faults
from klarna_emulator.models import EmulatorOrder, EmulatorRefund
from payments_klarna.models import KlarnaApiCall, KlarnaOperation

from .conftest import staff_client
from .helpers import (
    action_url,
    change_url,
    confirm,
    klarna_captures,
    klarna_writes,
    messages_of,
    payment_of,
    review,
    submit,
    token_of,
)

pytestmark = pytest.mark.django_db


def test_capture_everything_updates_amounts_from_klarna(admin, placed_order):
    order = placed_order()

    response = submit(admin, order, "capture", mode="all")

    payment = payment_of(order)
    assert messages_of(response) == ["Klarna captured 44,98\xa0€."]
    assert (payment.status, payment.captured_amount, payment.remaining_authorized_amount) == (
        "CAPTURED",
        4498,
        0,
    )
    assert payment.refreshed_at is not None
    operation = KlarnaOperation.objects.get()
    assert (operation.kind, operation.status, operation.amount) == ("capture", "succeeded", 4498)
    assert operation.klarna_capture_id == klarna_captures(order)[0].capture_id
    sent = KlarnaApiCall.objects.get(method="POST", path__endswith="/captures")
    assert sent.idempotency_key == operation.idempotency_key


def test_partial_capture_by_lines_sends_lines_and_shipping_info(admin, placed_order):
    order = placed_order()
    form = admin.get(action_url(order, "capture")).context["form"]
    lines = form.klarna_lines
    assert [line["quantity"] for line in lines] == [2, 1]  # the bag, then shipping

    submit(
        admin,
        order,
        "capture",
        mode="lines",
        line_0="1",
        line_1="0",
        shipping_company="DHL",
        tracking_number="JD0001",
    )

    capture = klarna_captures(order)[0]
    assert capture.captured_amount == 1999
    assert capture.data["order_lines"][0]["quantity"] == 1
    assert capture.data["shipping_info"] == [{"shipping_company": "DHL", "tracking_number": "JD0001"}]
    payment = payment_of(order)
    assert (payment.status, payment.captured_amount, payment.remaining_authorized_amount) == (
        "PART_CAPTURED",
        1999,
        2499,
    )


def test_partial_capture_by_amount_then_partial_refund(admin, placed_order):
    order = placed_order()

    submit(admin, order, "capture", mode="amount", amount="30.00")
    response = submit(admin, order, "refund", mode="amount", amount="10.50")

    assert messages_of(response) == [f"Credit memo {order.number}-1: 10,50\xa0€ refunded."]
    payment = payment_of(order)
    assert (payment.captured_amount, payment.refunded_amount, payment.remaining_authorized_amount) == (
        3000,
        1050,
        1498,
    )
    assert EmulatorRefund.objects.get().refunded_amount == 1050


def test_order_list_shows_captured_and_refunded_money(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", mode="all")
    submit(admin, order, "refund", mode="all")

    html = admin.get("/admin/checkout/order/").content.decode()

    assert html.count("44,98\xa0€") == 3  # grand total, captured and refunded columns
    assert "ACCEPTED" in html


def test_cancel_before_capture_cancels_at_klarna_and_locally(admin, placed_order, product):
    order = placed_order()
    stock_after_order = type(product).objects.get(pk=product.pk).stock_qty

    response = submit(admin, order, "cancel")

    assert messages_of(response) == ["Klarna cancelled the order; nothing will be charged."]
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELED
    assert payment_of(order).status == "CANCELLED"
    assert type(product).objects.get(pk=product.pk).stock_qty == stock_after_order + 2


def test_release_remaining_authorization_after_partial_capture(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", mode="amount", amount="20.00")

    response = submit(admin, order, "release")

    assert "released the remaining authorization" in messages_of(response)[0]
    payment = payment_of(order)
    assert (payment.status, payment.captured_amount, payment.remaining_authorized_amount) == (
        "CAPTURED",
        2000,
        0,
    )


def test_extend_authorization_moves_the_expiry_from_klarnas_answer(admin, placed_order):
    from klarna_emulator import clock

    order = placed_order()
    submit(admin, order, "refresh")
    before = payment_of(order).expires_at
    clock.advance(timedelta(days=10))

    response = submit(admin, order, "extend")

    assert messages_of(response) == ["Klarna extended the authorization time."]
    assert payment_of(order).expires_at - before >= timedelta(days=9)


def test_refresh_applies_what_klarna_holds(admin, placed_order):
    order = placed_order()
    EmulatorOrder.objects.filter(order_id=payment_of(order).klarna_order_id).update(klarna_reference="REF-42")

    response = submit(admin, order, "refresh")

    assert messages_of(response)[0].startswith("Refreshed from Klarna")
    assert payment_of(order).klarna_reference == "REF-42"


def test_double_confirmed_capture_captures_once(admin, placed_order):
    order = placed_order()
    token = token_of(review(admin, order, "capture", amount="10.00"))

    first = confirm(admin, order, "capture", token)
    second = confirm(admin, order, "capture", token)

    assert messages_of(first) == ["Klarna captured 10,00\xa0€."]
    assert messages_of(second) == ["This operation was already carried out; nothing was repeated."]
    assert len(klarna_captures(order)) == 1
    assert klarna_writes(order, "/captures") == 1
    assert KlarnaOperation.objects.count() == 1
    assert payment_of(order).captured_amount == 1000


def test_double_confirmed_cancel_cancels_once(admin, placed_order):
    order = placed_order()
    token = token_of(review(admin, order, "cancel"))

    first = confirm(admin, order, "cancel", token)
    second = confirm(admin, order, "cancel", token)  # the order is cancelled by now: still no 2nd call

    assert messages_of(first) == ["Klarna cancelled the order; nothing will be charged."]
    assert messages_of(second) == ["This operation was already carried out; nothing was repeated."]
    assert klarna_writes(order, "/cancel") == 1
    assert KlarnaOperation.objects.count() == 1


def test_capture_retried_after_timeouts_reuses_the_key_and_captures_once(admin, placed_order, settings):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    order = placed_order()
    token = token_of(review(admin, order, "capture", mode="all"))
    # Klarna captures but every answer arrives too late (the client's own retries included).
    faults.inject(r"/captures$", method="POST", kind="delay", delay_seconds="0.4", times=3)

    first = confirm(admin, order, "capture", token)
    retry = confirm(admin, order, "capture", token_of(first))

    assert "confirm the same action again to retry safely" in messages_of(first)[0]
    assert token_of(first) is not None  # the same confirmation is shown again, to retry
    assert messages_of(retry) == ["Klarna captured 44,98\xa0€."]
    keys = set(
        KlarnaApiCall.objects.filter(path__endswith="/captures").values_list("idempotency_key", flat=True)
    )
    assert keys == {KlarnaOperation.objects.get().idempotency_key}
    assert len(klarna_captures(order)) == 1
    assert payment_of(order).captured_amount == 4498


def test_cancel_after_capture_is_refused_before_klarna_in_plain_words(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", mode="amount", amount="5.00")

    response = submit(admin, order, "cancel")

    assert messages_of(response) == [
        "5,00\xa0€ of this order is already captured, so it cannot be cancelled: refund what was "
        "captured, or release the rest of the authorization."
    ]
    assert klarna_writes(order, "/cancel") == 0
    assert not KlarnaOperation.objects.filter(kind="cancel").exists()
    order.refresh_from_db()
    assert order.status == Order.Status.PROCESSING


def test_capture_of_a_held_order_is_refused_in_plain_words(admin, placed_order):
    order = placed_order(email="erika+pend-accept-30@example.com")

    response = submit(admin, order, "capture", mode="all")

    assert messages_of(response)[0].startswith("Klarna did not allow this capture")
    assert payment_of(order).captured_amount == 0


def test_refund_before_capture_is_refused_before_klarna_in_plain_words(admin, placed_order):
    order = placed_order()

    response = submit(admin, order, "refund", amount="1.00")

    assert messages_of(response) == [
        "Nothing has been captured on this order yet, so there is nothing to refund. Capture what "
        "shipped first, or cancel the order."
    ]
    assert klarna_writes(order) == 0


def test_confirming_a_refused_operation_again_does_not_call_klarna_again(admin, placed_order):
    order = placed_order(email="erika+pend-accept-30@example.com")
    token = token_of(review(admin, order, "capture", amount="1.00"))
    confirm(admin, order, "capture", token)

    response = confirm(admin, order, "capture", token)

    assert messages_of(response)[0].startswith("Klarna did not allow this capture")
    assert klarna_writes(order, "/captures") == 1


def test_staff_without_payment_permissions_see_the_panel_but_no_buttons(viewer, placed_order):
    order = placed_order()

    html = viewer.get(change_url(order)).content.decode()

    assert 'id="klarna-panel"' in html
    assert payment_of(order).klarna_order_id in html
    assert [
        name
        for name in ("capture", "refund", "cancel", "release", "extend")
        if f"klarna-action-{name}" in html
    ] == []
    assert "klarna-action-refresh" in html  # reading Klarna needs only the view permission
    assert "You can see this payment but not act on it" in html


@pytest.mark.parametrize("action", ["capture", "refund", "cancel", "release", "extend"])
def test_posting_an_action_without_its_permission_is_forbidden(viewer, placed_order, action):
    order = placed_order()

    response = viewer.post(action_url(order, action), {"operation_id": str(uuid.uuid4()), "mode": "all"})

    assert response.status_code == 403
    assert viewer.get(action_url(order, action)).status_code == 403
    assert KlarnaOperation.objects.count() == 0


def test_capture_permission_shows_only_capture_and_extend(placed_order):
    order = placed_order()
    client = staff_client(("checkout", "capture_payment"))

    html = client.get(change_url(order)).content.decode()

    shown = {
        name
        for name in ("capture", "refund", "cancel", "release", "extend", "refresh")
        if f"klarna-action-{name}" in html
    }
    assert shown == {"capture", "extend", "refresh"}
    assert submit(client, order, "capture", mode="amount", amount="1.00").status_code == 200
    assert client.post(action_url(order, "refund"), {"operation_id": str(uuid.uuid4())}).status_code == 403


def test_each_confirmation_and_extend_form_carries_csrf_and_a_fresh_operation_id(admin, placed_order):
    from payments_klarna.admin_order_review import Review

    order = placed_order()

    pages = [review(admin, order, "capture", amount="1.00") for _ in range(2)]
    forms = [admin.get(action_url(order, "extend")) for _ in range(2)]

    assert all("csrfmiddlewaretoken" in page.content.decode() for page in [*pages, *forms])
    reviews = [
        Review.unsign(token_of(page), order=order, action="capture", user=page.wsgi_request.user)
        for page in pages
    ]
    assert reviews[0].operation_id != reviews[1].operation_id
    assert (
        forms[0].context["form"].initial["operation_id"] != forms[1].context["form"].initial["operation_id"]
    )
