"""Staff money actions that cannot surprise (issue 16): no preset choice, a confirmation page
showing exactly what moves, a signed token that is the only thing able to move it, checks
before Klarna is called, and once-only under double submit. Against the in-process emulator;
Klarna writes are counted in the shop's API call log."""

import re
from dataclasses import asdict

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.test import Client

from checkout.admin_credit_memos import INVALID as CREDIT_MEMO_INVALID
from klarna_emulator import orders as emulator_orders
from klarna_emulator.models import EmulatorOrder
from payments_klarna import order_management as om
from payments_klarna.admin_order_review import EXPIRED, INVALID, STALE, Review
from payments_klarna.models import KlarnaOperation

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

ACTIONS = ("capture", "refund", "cancel", "release", "extend", "refresh")


def review_section(response) -> str:
    """The confirmation page from the headline to the Confirm form (the signed token excluded)."""
    html = response.content.decode()
    return html[html.index('id="klarna-review-headline"') : html.index('name="token"')]


def shown_actions(client, order) -> set[str]:
    html = client.get(change_url(order)).content.decode()
    return {name for name in ACTIONS if f"klarna-action-{name}" in html}


# --- the user's scenario: an amount typed, the choice left alone ---------------------------------


def test_typed_amount_with_no_choice_captures_exactly_that_after_confirmation(admin, placed_order):
    order = placed_order(qty=6)
    authorized = payment_of(order).authorized_amount
    assert authorized > 10000

    page = review(admin, order, "capture", amount="100.00")

    assert page.status_code == 200 and token_of(page) is not None
    assert klarna_writes(order) == 0 and payment_of(order).captured_amount == 0  # nothing moved yet
    shown = review_section(page)
    assert "Klarna will charge the customer 100,00\xa0€." in shown
    assert re.search(r'data-review="amount">100,00\xa0€<', shown)
    assert re.search(r'data-review="currency">EUR<', shown)
    assert "No order lines are sent: Klarna records the amount only." in shown
    assert om.format_minor(authorized - 10000, "EUR") in shown  # left to capture afterwards
    assert 'value="Confirm: capture 100,00\xa0€"' in page.content.decode()

    response = confirm(admin, order, "capture", token_of(page))

    assert messages_of(response) == ["Klarna captured 100,00\xa0€."]
    assert [capture.captured_amount for capture in klarna_captures(order)] == [10000]
    payment = payment_of(order)
    assert (payment.status, payment.captured_amount, payment.remaining_authorized_amount) == (
        "PART_CAPTURED",
        10000,
        authorized - 10000,
    )


def test_the_capture_and_refund_forms_preset_no_choice(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", amount="10.00")

    form = admin.get(action_url(order, "capture")).context["form"]
    assert form["mode"].value() in (None, "")
    assert "checked" not in str(form["mode"])
    assert all(form[f"line_{i}"].value() is None for i in range(len(form.klarna_lines)))
    # Refund is a credit memo: no quantity, no shipping tick, no amount, no reason preset.
    refund = admin.get(action_url(order, "refund"), follow=True).context["form"]
    assert all(refund[name].value() in (None, "", False) for name in refund.fields), refund.initial
    assert "checked" not in str(refund["shipping"])


def test_typed_refund_amount_with_no_choice_refunds_exactly_that(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", mode="all")

    page = review(admin, order, "refund", amount="10.00")
    assert "10,00\xa0€ will be refunded to the customer." in page.content.decode()
    response = confirm(admin, order, "refund", token_of(page))

    assert messages_of(response) == [f"Credit memo {order.number}-1: 10,00\xa0€ refunded."]
    assert (payment_of(order).captured_amount, payment_of(order).refunded_amount) == (4498, 1000)


def test_line_quantities_with_no_choice_capture_those_lines(admin, placed_order):
    order = placed_order()

    page = review(admin, order, "capture", line_0="1")

    shown = review_section(page)
    assert "These Klarna order lines are sent with the amount." in shown
    assert re.search(r"<td>Joust Duffle Bag</td><td>1</td>", shown)
    assert re.search(r'data-review="amount">19,99\xa0€<', shown)
    assert "1999" not in shown and "19.9900" not in shown  # never minor units or 4 decimals
    confirm(admin, order, "capture", token_of(page))
    [capture] = klarna_captures(order)
    assert capture.captured_amount == 1999
    assert [(line["name"], line["quantity"]) for line in capture.data["order_lines"]] == [
        ("Joust Duffle Bag", 1)
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        (
            {"mode": "all", "amount": "10.00"},
            "You chose “Everything (44,98\xa0€)” and also typed an amount of 10,00\xa0€: choose "
            "“An amount” to capture only that, or clear the amount to capture everything.",
        ),
        (
            {"mode": "all", "line_0": "1"},
            "You chose “Everything (44,98\xa0€)” and also entered line quantities: choose “Chosen "
            "lines” to capture only those, or clear the quantities to capture everything.",
        ),
        (
            {"amount": "10.00", "line_0": "1"},
            "You entered both an amount (10,00\xa0€) and line quantities: enter only one of them, "
            "so it is clear what to capture.",
        ),
        ({}, "Enter an amount, enter line quantities, or choose “Everything (44,98\xa0€)”."),
        ({"mode": "amount"}, "You chose “An amount”: enter the amount."),
        ({"mode": "lines"}, "You chose “Chosen lines”: enter a quantity for at least one line."),
        ({"amount": "0"}, "There is nothing to do for a zero amount."),
    ],
)
def test_contradictory_or_empty_capture_forms_are_refused_in_plain_words(
    admin, placed_order, fields, message
):
    order = placed_order()

    page = review(admin, order, "capture", **fields)

    assert token_of(page) is None
    assert page.context["form"].non_field_errors() == [message]
    assert klarna_writes(order) == 0


# --- cancel and release: straight to their confirmation -------------------------------------------


def test_cancel_confirmation_shows_every_line_and_moves_nothing_until_confirmed(admin, placed_order):
    order = placed_order()

    page = review(admin, order, "cancel")

    shown = review_section(page)
    assert (
        "Klarna will cancel the whole order: the customer will not be charged the 44,98\xa0€ authorized."
        in (shown)
    )
    assert "Joust Duffle Bag" in shown and "<td>2</td>" in shown
    assert klarna_writes(order) == 0 and payment_of(order).status == "AUTHORIZED"
    confirm(admin, order, "cancel", token_of(page))
    assert payment_of(order).status == "CANCELLED"


def test_release_confirmation_shows_the_amount_left(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", amount="20.00")

    page = review(admin, order, "release")

    assert "Klarna will release the 24,98\xa0€ left of the authorization" in review_section(page)
    assert klarna_writes(order, "/release-remaining-authorization") == 0


# --- the signed token ----------------------------------------------------------------------------


def test_a_tampered_token_is_refused_and_nothing_moves(admin, placed_order):
    order = placed_order()
    token = token_of(review(admin, order, "capture", amount="1.00"))
    payload, rest = token.split(":", 1)
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest

    response = confirm(admin, order, "capture", tampered)

    assert messages_of(response) == [INVALID]
    assert klarna_writes(order) == 0 and KlarnaOperation.objects.count() == 0


def test_a_token_signed_elsewhere_is_refused(admin, placed_order):
    order = placed_order()
    user = User.objects.get(username="boss")
    review_data = Review(
        order_id=order.pk, action="capture", user_id=user.pk, currency="EUR", amount_minor=4498, state={}
    )
    forged = signing.dumps(asdict(review_data), salt="another-salt", compress=True)

    response = confirm(admin, order, "capture", forged)

    assert messages_of(response) == [INVALID]
    assert klarna_writes(order) == 0


def test_a_token_is_good_only_for_its_order_action_and_staff_member(admin, placed_order):
    order, other = placed_order(), placed_order(email="other@example.com")
    token = token_of(review(admin, order, "capture", amount="1.00"))
    colleague = staff_client(("checkout", "capture_payment"), ("checkout", "refund_payment"))

    for client, target, action, refused in [
        (admin, other, "capture", INVALID),
        (admin, order, "refund", CREDIT_MEMO_INVALID),
        (colleague, order, "capture", INVALID),
    ]:
        response = confirm(client, target, action, token)
        assert messages_of(response) == [refused], (target, action)
    assert KlarnaOperation.objects.count() == 0


def test_an_old_token_is_refused(admin, placed_order, monkeypatch):
    order = placed_order()
    token = token_of(review(admin, order, "capture", amount="1.00"))
    monkeypatch.setattr("payments_klarna.admin_order_review.MAX_AGE_SECONDS", -1)

    response = confirm(admin, order, "capture", token)

    assert messages_of(response) == [EXPIRED]
    assert klarna_writes(order) == 0


def test_confirming_after_another_capture_is_refused_as_stale(admin, placed_order):
    order = placed_order()
    stale = token_of(review(admin, order, "capture", amount="10.00"))
    submit(admin, order, "capture", amount="5.00")  # a colleague, meanwhile

    response = confirm(admin, order, "capture", stale)

    assert messages_of(response)[0] == STALE
    assert response.redirect_chain[-1][0] == action_url(order, "capture")  # to review it again
    assert [capture.captured_amount for capture in klarna_captures(order)] == [500]


def test_confirming_after_a_change_made_at_klarna_only_is_refused_as_stale(admin, placed_order):
    order = placed_order()
    stale = token_of(review(admin, order, "cancel"))
    klarna_order = EmulatorOrder.objects.get(order_id=payment_of(order).klarna_order_id)
    emulator_orders.capture(klarna_order.merchant, klarna_order.order_id, {"captured_amount": 700})

    response = confirm(admin, order, "cancel", stale)

    assert messages_of(response)[0] == STALE  # found by reading Klarna again at confirm time
    assert klarna_writes(order, "/cancel") == 0
    assert payment_of(order).status == "PART_CAPTURED"


def test_confirm_needs_the_csrf_token(placed_order, admin):
    order = placed_order()
    token = token_of(review(admin, order, "capture", amount="1.00"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="boss"))

    response = strict.post(action_url(order, "capture"), {"token": token})

    assert response.status_code == 403
    assert klarna_writes(order) == 0


def test_confirm_needs_the_permission(viewer, admin, placed_order):
    order = placed_order()
    token = token_of(review(admin, order, "capture", amount="1.00"))

    assert viewer.post(action_url(order, "capture"), {"token": token}).status_code == 403
    assert klarna_writes(order) == 0


# --- checked before Klarna is called -------------------------------------------------------------


def test_over_capture_is_refused_before_klarna(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", amount="40.00")

    page = review(admin, order, "capture", amount="5.00")

    assert page.context["form"].non_field_errors() == [
        "You can capture at most 4,98\xa0€ (what is left of the authorization); you asked for 5,00\xa0€."
    ]
    assert token_of(page) is None
    assert klarna_writes(order, "/captures") == 1


def test_over_refund_is_refused_before_klarna_in_major_units(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", amount="30.00")
    submit(admin, order, "refund", amount="10.00")

    page = review(admin, order, "refund", amount="25.00")

    assert page.context["form"].non_field_errors() == [
        "You can refund at most 20,00\xa0€ — 25,00\xa0€ was asked."
    ]
    assert klarna_writes(order, "/refunds") == 1


def test_order_management_itself_refuses_an_over_refund_without_calling_klarna(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", amount="30.00")

    with pytest.raises(om.OperationInvalid, match=r"at most 30,00\xa0€ .* you asked for 30,01\xa0€"):
        om.refund(order, operation_id="6d1f6a53-3f7e-4a49-9d43-4f7d0f1b1a11", amount=3001)

    assert (
        klarna_writes(order, "/refunds") == 0 and not KlarnaOperation.objects.filter(kind="refund").exists()
    )


# --- actions offered only when the order's state allows them -------------------------------------


def test_actions_offered_follow_the_orders_state(admin, placed_order):
    order = placed_order()
    assert shown_actions(admin, order) == {"capture", "cancel", "extend", "refresh"}

    submit(admin, order, "capture", amount="20.00")
    assert shown_actions(admin, order) == {"capture", "refund", "release", "extend", "refresh"}

    submit(admin, order, "capture", mode="all")
    assert shown_actions(admin, order) == {"refund", "refresh"}

    submit(admin, order, "refund", mode="all")
    assert shown_actions(admin, order) == {"refresh"}
    html = admin.get(change_url(order)).content.decode()
    assert "Nothing can be captured, refunded, cancelled or released in this state." in html


def test_a_cancelled_order_offers_nothing_but_refresh(admin, placed_order):
    order = placed_order()
    submit(admin, order, "cancel")

    assert shown_actions(admin, order) == {"refresh"}


@pytest.mark.parametrize(
    "action, message",
    [
        ("capture", "Nothing is left of the authorization: there is nothing to capture, release or extend."),
        ("release", "Nothing is left of the authorization: there is nothing to capture, release or extend."),
        ("extend", "Nothing is left of the authorization: there is nothing to capture, release or extend."),
        ("refund", "Everything paid on this order has already been refunded."),
        (
            "cancel",
            "44,98\xa0€ of this order is already captured, so it cannot be cancelled: refund what was "
            "captured, or release the rest of the authorization.",
        ),
    ],
)
def test_a_hidden_action_opened_by_url_is_refused_without_calling_klarna(
    admin, placed_order, action, message
):
    order = placed_order()
    submit(admin, order, "capture", mode="all")
    submit(admin, order, "refund", mode="all")
    writes = klarna_writes(order)

    response = submit(admin, order, action)

    assert messages_of(response) == [message]
    assert response.redirect_chain[-1][0] == change_url(order)
    assert klarna_writes(order) == writes
