"""Refunds as credit memos (issue 16): staff refund lines (with quantities, optionally the
shipping) or an amount, with a reason; checked here against what was captured and not yet
refunded before Klarna is called; Klarna refunds once with the memo's order lines; offline
methods record the memo only; a fully refunded order is closed; the shopper sees the memos in
``customer.orders { credit_memos }`` and on the My orders page.

The order of these tests: 2 × "Joust Duffle Bag" at €19.99 (19 % VAT) + €5.00 flat-rate shipping
= €44.98, paid with Klarna (the in-process emulator) or by check / money order.
"""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from cart.payment_methods import RefundLine, RefundRequest
from checkout import credit_memos
from checkout.credit_memos import CreditMemoInput, CreditMemoRefused
from checkout.models import CreditMemo, EmailOutbox, Order
from checkout.orders import cancel_order
from klarna_emulator import faults
from klarna_emulator.models import EmulatorRefund
from payments_klarna import order_management
from payments_klarna.models import KlarnaApiCall, KlarnaPayment
from payments_klarna.order_lines import validate_payload
from payments_klarna.refunds import klarna_lines
from shop import customers
from shop.graphql.ids import encode_uid
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    user = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def klarna_order(gql, klarna_cart):
    def make(qty=2) -> Order:
        number = gql.data(PLACE_ORDER, {"cart": klarna_cart(qty=qty)})["placeOrder"]["order"]["order_number"]
        return Order.objects.get(number=number)

    return make


@pytest.fixture
def checkmo_order(gql, ready_to_place_cart):
    number = gql.data(PLACE_ORDER, {"cart": ready_to_place_cart("checkmo")})["placeOrder"]["order"][
        "order_number"
    ]
    return Order.objects.get(number=number)


def capture(order, amount: int):
    result = order_management.capture(order, operation_id=uuid.uuid4(), amount=amount)
    assert result.ok, result.message


def memo_url(order) -> str:
    return f"/admin/checkout/order/{order.pk}/credit-memo/"


def bag(order):
    return order.items.get()


def review(client, order, **fields):
    """The credit memo form posted: the confirmation page (or the form again, with errors)."""
    return client.post(memo_url(order), fields)


def confirm(client, order, token):
    return client.post(memo_url(order), {"token": token}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.non_field_errors()] + [
        str(e) for name, errors in form.errors.items() if name != "__all__" for e in errors
    ]


def refund_calls(order) -> int:
    payment = KlarnaPayment.objects.get(order=order)
    return KlarnaApiCall.objects.filter(
        method="POST", path=f"/ordermanagement/v1/orders/{payment.klarna_order_id}/refunds"
    ).count()


def klarna_refunds(order) -> list[EmulatorRefund]:
    payment = KlarnaPayment.objects.get(order=order)
    return list(EmulatorRefund.objects.filter(order__order_id=payment.klarna_order_id).order_by("id"))


# --- by lines, by amount, in parts -------------------------------------------------------------


def test_refund_by_lines_sends_the_memo_lines_to_klarna_after_confirmation(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)
    item = bag(order)

    page = review(staff, order, **{f"qty_{item.pk}": "1", "reason": "Damaged in transit"})

    assert page.status_code == 200 and "token" in page.context, form_errors(page)
    html = page.content.decode()
    assert page.context["amount"] == "19,99\xa0€"
    assert page.context["rows"] == [("Joust Duffle Bag", 1, "19,99\xa0€")]
    assert "Confirm: refund 19,99\xa0€" in html and "EUR" in html and "Damaged in transit" in html
    assert klarna_refunds(order) == [] and not CreditMemo.objects.exists()  # nothing moved yet

    response = confirm(staff, order, page.context["token"])

    memo = CreditMemo.objects.get()
    assert messages_of(response) == [f"Credit memo {memo.number}: 19,99\xa0€ refunded."]
    (refund,) = klarna_refunds(order)
    assert refund.refunded_amount == 1999
    assert refund.data["order_lines"] == [
        {
            "type": "physical",
            "reference": item.sku,
            "name": "Joust Duffle Bag",
            "quantity": 1,
            "quantity_unit": "pcs",
            "unit_price": 1999,
            "tax_rate": 1900,
            "total_amount": 1999,
            "total_discount_amount": 0,
            "total_tax_amount": 319,
        }
    ]
    assert refund.data["description"] == "Damaged in transit"
    assert (memo.state, memo.grand_total, memo.subtotal, memo.shipping, memo.adjustment) == (
        "refunded",
        Decimal("19.99"),
        Decimal("19.99"),
        Decimal("0"),
        Decimal("0"),
    )
    assert memo.tax_total == Decimal("3.19")  # half of the line's 6.38 VAT
    assert memo.provider_reference == refund.refund_id
    assert [(i.order_item_id, i.quantity, i.total) for i in memo.items.all()] == [
        (item.pk, 1, Decimal("19.99"))
    ]
    assert KlarnaPayment.objects.get(order=order).refunded_amount == 1999
    email = EmailOutbox.objects.get(order=order, kind="refund")
    assert email.event_id == str(memo.operation_id)
    assert f"We have refunded 19,99\xa0€ for your order #{order.number}." in email.text_body
    assert (
        "1 × Joust Duffle Bag: 19,99\xa0€" in email.text_body
        and "Reason: Damaged in transit" in email.text_body
    )
    assert "<li>1 × Joust Duffle Bag: 19,99\xa0€</li>" in email.html_body
    order.refresh_from_db()
    assert order.status == "processing"  # part refunded: still open
    assert memo.number in staff.get(f"/admin/checkout/order/{order.pk}/change/").content.decode()


def test_refund_by_amount_sends_no_lines(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)

    page = review(staff, order, amount="10.00", reason="Goodwill")
    confirm(staff, order, page.context["token"])

    (refund,) = klarna_refunds(order)
    assert refund.refunded_amount == 1000 and "order_lines" not in refund.data
    memo = CreditMemo.objects.get()
    assert (memo.adjustment, memo.grand_total, memo.items.count()) == (Decimal("10.00"), Decimal("10.00"), 0)


def test_partial_then_the_rest_with_shipping_closes_the_order(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)
    item = bag(order)

    first = review(staff, order, **{f"qty_{item.pk}": "1", "reason": "Returned"})
    confirm(staff, order, first.context["token"])
    rest = review(staff, order, **{f"qty_{item.pk}": "1", "shipping": "on", "reason": "Returned too"})
    assert rest.context["rows"] == [
        ("Joust Duffle Bag", 1, "19,99\xa0€"),
        ("Flat Rate - Fixed", 1, "5,00\xa0€"),
    ]
    confirm(staff, order, rest.context["token"])

    first_refund, second_refund = klarna_refunds(order)
    assert (first_refund.refunded_amount, second_refund.refunded_amount) == (1999, 2499)
    assert [line["type"] for line in second_refund.data["order_lines"]] == ["physical", "shipping_fee"]
    assert second_refund.data["order_lines"][1]["total_amount"] == 500
    memos = list(CreditMemo.objects.all())
    assert sum(m.grand_total for m in memos) == Decimal("44.98")
    assert sum(m.tax_total for m in memos) == order.tax_total  # the parts add up to the order
    order.refresh_from_db()
    assert order.status == "closed"
    # Nothing is left: the form is not even offered.
    response = staff.get(memo_url(order), follow=True)
    assert messages_of(response) == ["Everything paid on this order has already been refunded."]


# --- refusals, checked before Klarna ---------------------------------------------------------------


def test_over_refund_is_refused_locally_in_the_orders_currency_and_nothing_is_sent(staff, klarna_order):
    order = klarna_order()
    capture(order, 3000)

    page = review(staff, order, amount="35.00", reason="Too much")

    assert form_errors(page) == ["You can refund at most 30,00\xa0€ — 35,00\xa0€ was asked."]
    assert "token" not in page.context
    assert refund_calls(order) == 0 and klarna_refunds(order) == []
    assert not CreditMemo.objects.exists()


def test_a_line_beyond_what_is_captured_is_refused_as_money(staff, klarna_order):
    order = klarna_order()
    capture(order, 1000)

    page = review(staff, order, **{f"qty_{bag(order).pk}": "1", "reason": "Returned"})

    assert form_errors(page) == ["You can refund at most 10,00\xa0€ — 19,99\xa0€ was asked."]
    assert refund_calls(order) == 0


def test_refund_before_capture_is_refused_without_calling_klarna(staff, klarna_order):
    order = klarna_order()

    response = staff.get(memo_url(order), follow=True)
    assert messages_of(response) == [credit_memos.REFUSALS["nothing_captured"]]
    with pytest.raises(CreditMemoRefused, match="Nothing has been captured on this order yet"):
        credit_memos.create_credit_memo(
            order, CreditMemoInput(reason="x", amount=Decimal("1.00")), operation_id=uuid.uuid4()
        )
    assert refund_calls(order) == 0 and not CreditMemo.objects.exists()


def test_a_cancelled_order_is_refused(staff, checkmo_order):
    cancel_order(checkmo_order)

    with pytest.raises(CreditMemoRefused) as refused:
        credit_memos.create_credit_memo(
            checkmo_order, CreditMemoInput(reason="x", amount=Decimal("1.00")), operation_id=uuid.uuid4()
        )

    assert str(refused.value) == f"Order #{checkmo_order.number} is cancelled: nothing can be refunded."
    response = staff.get(memo_url(checkmo_order), follow=True)
    assert messages_of(response) == [str(refused.value)]
    assert not CreditMemo.objects.exists()


def test_a_reason_is_required(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)

    page = review(staff, order, amount="5.00", reason="  ")

    assert form_errors(page) == [credit_memos.REFUSALS["reason_missing"]]
    assert refund_calls(order) == 0 and not CreditMemo.objects.exists()


def test_lines_and_an_amount_together_or_nothing_at_all_are_refused(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)

    both = review(staff, order, **{f"qty_{bag(order).pk}": "1", "amount": "3.00", "reason": "x"})
    nothing = review(staff, order, reason="x")

    assert form_errors(both) == [
        "You chose lines and also entered an amount of 3,00\xa0€: refund either the chosen lines or an "
        "amount, not both."
    ]
    assert form_errors(nothing) == [credit_memos.REFUSALS["nothing_chosen"]]
    assert refund_calls(order) == 0


def test_more_of_a_line_than_is_left_is_refused(klarna_order):
    order = klarna_order()
    capture(order, 4498)
    item = bag(order)
    wanted = CreditMemoInput(reason="x", quantities={item.pk: 2})
    assert credit_memos.create_credit_memo(order, wanted, operation_id=uuid.uuid4()).ok

    with pytest.raises(CreditMemoRefused) as refused:
        credit_memos.create_credit_memo(
            order, CreditMemoInput(reason="x", quantities={item.pk: 1}), operation_id=uuid.uuid4()
        )

    assert str(refused.value) == "Only 0 of “Joust Duffle Bag” can still be refunded; 1 was asked."
    assert refund_calls(order) == 1


# --- once only ---------------------------------------------------------------------------------------


def test_confirming_twice_refunds_once(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)
    token = review(staff, order, amount="12.34", reason="Late delivery").context["token"]

    first = confirm(staff, order, token)
    second = confirm(staff, order, token)

    memo = CreditMemo.objects.get()
    assert messages_of(first) == [f"Credit memo {memo.number}: 12,34\xa0€ refunded."]
    assert messages_of(second) == [f"Credit memo {memo.number} was already made; nothing was refunded again."]
    assert [r.refunded_amount for r in klarna_refunds(order)] == [1234]
    assert refund_calls(order) == 1
    assert KlarnaPayment.objects.get(order=order).refunded_amount == 1234
    assert EmailOutbox.objects.filter(order=order, kind="refund").count() == 1


def test_a_confirmation_is_refused_once_the_refunds_changed(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)
    stale = review(staff, order, amount="10.00", reason="a").context["token"]
    confirm(staff, order, review(staff, order, amount="5.00", reason="b").context["token"])

    response = confirm(staff, order, stale)

    assert messages_of(response) == [
        "The order's refunds changed since you reviewed this credit memo; review it again."
    ]
    assert [r.refunded_amount for r in klarna_refunds(order)] == [500]


def test_an_altered_confirmation_moves_nothing(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)
    token = review(staff, order, amount="1.00", reason="a").context["token"]

    response = confirm(staff, order, token[:-3] + "xyz")

    assert "not valid" in messages_of(response)[0]
    assert refund_calls(order) == 0 and not CreditMemo.objects.exists()


# --- offline methods ---------------------------------------------------------------------------------


def test_checkmo_memo_is_recorded_offline_without_klarna_and_closes_when_all_is_refunded(
    staff, checkmo_order
):
    order = checkmo_order
    item = bag(order)

    page = review(staff, order, **{f"qty_{item.pk}": "2", "shipping": "on", "reason": "Order returned"})
    assert "Recorded offline" in page.content.decode()
    response = confirm(staff, order, page.context["token"])

    memo = CreditMemo.objects.get()
    assert messages_of(response) == [
        f"Credit memo {memo.number} recorded: 44,98\xa0€ to give back outside the shop (this payment "
        "method moves no money here)."
    ]
    assert (memo.state, memo.offline, memo.grand_total) == ("refunded", True, Decimal("44.98"))
    assert not KlarnaApiCall.objects.exists()
    assert (
        EmailOutbox.objects.filter(order=order, kind="refund", event_id=str(memo.operation_id)).count() == 1
    )
    order.refresh_from_db()
    assert order.status == "closed"


def test_checkmo_over_refund_is_refused(checkmo_order):
    with pytest.raises(CreditMemoRefused) as refused:
        credit_memos.create_credit_memo(
            checkmo_order, CreditMemoInput(reason="x", amount=Decimal("50.00")), operation_id=uuid.uuid4()
        )
    assert str(refused.value) == "You can refund at most 44,98\xa0€ — 50,00\xa0€ was asked."


def test_a_refund_needs_the_refund_permission(klarna_order):
    order = klarna_order()
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="checkout", codename="view_order")
    )
    client = Client()
    client.force_login(user)

    assert client.get(memo_url(order)).status_code == 403
    assert client.post(memo_url(order), {"amount": "1.00", "reason": "x"}).status_code == 403


# --- what the shopper sees ---------------------------------------------------------------------------

CREDIT_MEMOS = """{ customer { orders { items { number status credit_memos {
  id number
  items { id order_item { product_sku quantity_ordered } product_name product_sku quantity_refunded
          product_sale_price { value currency } }
  comments { message timestamp }
  total { grand_total { value currency } subtotal { value currency } total_shipping { value currency }
          total_tax { value currency } adjustment { value currency } }
} } } } }"""


def test_customer_orders_show_credit_memos_and_my_orders_page_lists_refunds(gql, klarna_order, client):
    anna = customers.create_customer(
        email="anna@example.com", firstname="Anna", lastname="Muster", password="Correct-Horse-42"
    )
    order = klarna_order()
    Order.objects.filter(pk=order.pk).update(customer=anna)
    capture(order, 4498)
    item = bag(order)
    by_lines = credit_memos.create_credit_memo(
        order,
        CreditMemoInput(reason="Returned", quantities={item.pk: 1}, shipping=True),
        operation_id=uuid.uuid4(),
    )
    by_amount = credit_memos.create_credit_memo(
        order, CreditMemoInput(reason="Goodwill", amount=Decimal("3.00")), operation_id=uuid.uuid4()
    )
    assert by_lines.ok and by_amount.ok
    auth = {"HTTP_AUTHORIZATION": f"Bearer {customers.issue_token(anna).token}"}

    (row,) = gql.data(CREDIT_MEMOS, **auth)["customer"]["orders"]["items"]

    first, second = by_lines.memo, by_amount.memo
    eur = lambda value: {"value": value, "currency": "EUR"}  # noqa: E731
    assert row["credit_memos"] == [
        {
            "id": encode_uid(first.pk),
            "number": first.number,
            "items": [
                {
                    "id": encode_uid(first.items.get(is_shipping=False).pk),
                    "order_item": {"product_sku": item.sku, "quantity_ordered": 2.0},
                    "product_name": "Joust Duffle Bag",
                    "product_sku": item.sku,
                    "quantity_refunded": 1.0,
                    "product_sale_price": eur(19.99),
                }
            ],
            "comments": [
                {"message": "Returned", "timestamp": first.created_at.strftime("%Y-%m-%d %H:%M:%S")}
            ],
            "total": {
                "grand_total": eur(24.99),
                "subtotal": eur(19.99),
                "total_shipping": eur(5.0),
                "total_tax": eur(float(first.tax_total)),
                "adjustment": eur(0.0),
            },
        },
        {
            "id": encode_uid(second.pk),
            "number": second.number,
            "items": [],
            "comments": [
                {"message": "Goodwill", "timestamp": second.created_at.strftime("%Y-%m-%d %H:%M:%S")}
            ],
            "total": {
                "grand_total": eur(3.0),
                "subtotal": eur(0.0),
                "total_shipping": eur(0.0),
                "total_tax": eur(0.0),
                "adjustment": eur(3.0),
            },
        },
    ]
    assert first.tax_total == Decimal("3.19") + Decimal("0.80")  # the bag's share + shipping's VAT

    client.force_login(anna)
    html = client.get(f"/account/orders/{order.number}/").content.decode()
    assert (
        "Refunds" in html and "24,99\xa0€" in html and "Goodwill" in html and "1 × Joust Duffle Bag" in html
    )


# --- Klarna's answer unknown or negative ----------------------------------------------------------


def test_a_refund_whose_answer_was_lost_is_retried_with_the_same_key_and_refunds_once(
    staff, klarna_order, settings
):
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    order = klarna_order()
    capture(order, 4498)
    page = review(staff, order, amount="20.00", reason="Late")
    # Klarna refunds, but every answer arrives too late (the client's own retries included).
    faults.inject(r"/refunds$", method="POST", kind="delay", delay_seconds="0.4", times=3)

    first = confirm(staff, order, page.context["token"])

    memo = CreditMemo.objects.get()
    assert "confirm the same action again to retry safely" in messages_of(first)[0]
    assert memo.state == "pending" and first.context["token"]  # the same confirmation, to retry
    # Meanwhile the pending memo counts as refunded: no second refund can overtake it.
    assert credit_memos.refund_state(order).limit == Decimal("24.98")

    retry = confirm(staff, order, first.context["token"])

    assert messages_of(retry) == [f"Credit memo {memo.number}: 20,00\xa0€ refunded."]
    assert [r.refunded_amount for r in klarna_refunds(order)] == [2000]
    payment = KlarnaPayment.objects.get(order=order)
    keys = set(
        KlarnaApiCall.objects.filter(path__endswith="/refunds").values_list("idempotency_key", flat=True)
    )
    assert keys == {payment.operations.get(kind="refund").idempotency_key}
    assert payment.refunded_amount == 2000
    assert EmailOutbox.objects.filter(order=order, kind="refund").count() == 1


def test_a_refund_klarna_refuses_leaves_a_failed_memo_that_counts_for_nothing(staff, klarna_order):
    order = klarna_order()
    capture(order, 4498)
    faults.inject(r"/refunds$", method="POST", status=403, error_code="REFUND_NOT_ALLOWED")

    response = confirm(staff, order, review(staff, order, amount="20.00", reason="x").context["token"])

    assert messages_of(response)[0].startswith("Klarna did not allow this refund")
    memo = CreditMemo.objects.get()
    assert (memo.state, memo.error_message) == ("failed", messages_of(response)[0])
    assert credit_memos.refund_state(order).limit == Decimal("44.98")
    assert not EmailOutbox.objects.filter(kind="refund").exists()
    order.refresh_from_db()
    assert order.status == "processing"


# --- US style: prices without tax ------------------------------------------------------------------


def test_us_style_lines_carry_no_tax_and_one_sales_tax_line_that_adds_up():
    request = RefundRequest(
        operation_id=str(uuid.uuid4()),
        amount=Decimal("25.82"),  # 2 × 10.00 − 1.00 discount + 1.38 tax; shipping 5.00 + 0.44 tax
        currency="USD",
        prices_include_tax=False,
        lines=(
            RefundLine(
                "item",
                "SKU-1",
                "Mug",
                2,
                Decimal("10.00"),
                Decimal("1.00"),
                Decimal("7.25"),
                Decimal("1.38"),
                Decimal("20.38"),
            ),
            RefundLine(
                "shipping",
                "flatrate_flatrate",
                "Flat Rate",
                1,
                Decimal("5.00"),
                Decimal("0"),
                Decimal("8.80"),
                Decimal("0.44"),
                Decimal("5.44"),
            ),
        ),
    )

    lines = klarna_lines(request)

    assert [
        (line["type"], line["total_amount"], line["tax_rate"], line["total_tax_amount"]) for line in lines
    ] == [
        ("physical", 1900, 0, 0),
        ("shipping_fee", 500, 0, 0),
        ("sales_tax", 182, 0, 0),
    ]
    assert sum(line["total_amount"] for line in lines) == 2582  # exactly the refunded amount
    validate_payload({"order_amount": 2582, "order_tax_amount": 182, "order_lines": lines})  # Klarna's rules
