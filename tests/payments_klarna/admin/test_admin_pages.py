"""Admin pages for Klarna sessions, API calls and orders: they load, filter and search, and
never show a client token or an authorization token in full."""

import re

import pytest

from payments_klarna.models import KlarnaApiCall, KlarnaPayment, KlarnaSession

from .helpers import change_url, submit

pytestmark = pytest.mark.django_db


def admin_pages(order, session) -> list[str]:
    pages = [
        "/admin/",
        "/admin/checkout/order/",
        change_url(order),
        f"/admin/checkout/order/{order.pk}/klarna/capture/",
        f"/admin/checkout/order/{order.pk}/klarna/release/",  # a confirmation page
        "/admin/payments_klarna/klarnasession/",
        f"/admin/payments_klarna/klarnasession/{session.pk}/change/",
        "/admin/payments_klarna/klarnaapicall/",
        "/admin/payments_klarna/klarnaoperation/",
        "/admin/checkout/orderplacement/",
    ]
    pages += [
        f"/admin/payments_klarna/klarnaapicall/{pk}/change/"
        for pk in KlarnaApiCall.objects.values_list("pk", flat=True)
    ]
    return pages


def test_no_admin_page_shows_a_full_token(admin, placed_order):
    order = placed_order()
    submit(admin, order, "capture", mode="amount", amount="1.00")
    session = KlarnaSession.objects.get()
    secrets = [
        session.client_token,
        session.authorization_token,
        KlarnaPayment.objects.get().authorization_token,
    ]
    assert all(len(secret) > 8 for secret in secrets)

    for page in admin_pages(order, session):
        response = admin.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        for secret in secrets:
            assert secret not in html, page


def test_session_page_shows_truncated_tokens_categories_payload_history_and_calls(admin, placed_order):
    placed_order()
    session = KlarnaSession.objects.get()

    html = admin.get(f"/admin/payments_klarna/klarnasession/{session.pk}/change/").content.decode()

    assert session.client_token[:8] + "…" in html
    assert session.authorization_token[:8] + "…" in html
    assert "Pay later in 30 days" in html
    assert "Payload history" in html
    assert "/payments/v1/sessions" in html
    assert "[redacted]" in html  # the payload's personal data
    assert 'name="client_token"' not in html and 'name="authorization_token"' not in html


def test_session_list_searches_by_session_id_cart_and_email(admin, placed_order):
    placed_order(email="finder@example.com")
    session = KlarnaSession.objects.select_related("cart").get()

    for term in (session.session_id, session.cart.masked_id, "finder@example.com"):
        html = admin.get("/admin/payments_klarna/klarnasession/", {"q": term}).content.decode()
        assert session.session_id in html, term
        assert "44,98\xa0€" in html
    assert (
        session.session_id
        not in admin.get("/admin/payments_klarna/klarnasession/", {"q": "nobody"}).content.decode()
    )
    assert (
        admin.get("/admin/payments_klarna/klarnasession/", {"status__exact": "completed"}).status_code == 200
    )


def test_api_call_list_filters_and_searches(admin, placed_order):
    order = placed_order(email="erika+pend-accept-30@example.com")
    payment = KlarnaPayment.objects.get(order=order)
    submit(admin, order, "capture", mode="amount", amount="1.00")  # refused: fraud review pending
    refused = KlarnaApiCall.objects.get(error_code="CAPTURE_NOT_ALLOWED")

    by_code = admin.get("/admin/payments_klarna/klarnaapicall/", {"error_code": "CAPTURE_NOT_ALLOWED"})
    by_correlation = admin.get("/admin/payments_klarna/klarnaapicall/", {"q": refused.correlation_id})
    by_order = admin.get("/admin/payments_klarna/klarnaapicall/", {"q": payment.klarna_order_id})
    by_method = admin.get("/admin/payments_klarna/klarnaapicall/", {"method": "GET"})

    assert by_code.context["cl"].result_count == 1
    assert by_correlation.context["cl"].result_count == 1
    assert by_order.context["cl"].result_count >= 3  # create order, GET, capture
    assert {call.method for call in by_method.context["cl"].result_list} == {"GET"}


def test_order_list_searches_by_klarna_order_id_and_filters_by_fraud_status(admin, placed_order):
    order = placed_order()
    held = placed_order(email="erika+pend-accept-30@example.com")
    payment = KlarnaPayment.objects.get(order=order)

    found = admin.get("/admin/checkout/order/", {"q": payment.klarna_order_id}).context["cl"]
    pending = admin.get("/admin/checkout/order/", {"klarna_payment__fraud_status__exact": "PENDING"}).context[
        "cl"
    ]
    by_email = admin.get("/admin/checkout/order/", {"q": "erika@example.com"}).context["cl"]

    assert [o.number for o in found.result_list] == [order.number]
    assert [o.number for o in pending.result_list] == [held.number]
    assert [o.number for o in by_email.result_list] == [order.number]


def test_order_page_shows_items_addresses_totals_and_the_klarna_panel(admin, placed_order):
    order = placed_order()
    submit(admin, order, "refresh")
    payment = KlarnaPayment.objects.get(order=order)

    html = admin.get(change_url(order)).content.decode()

    assert "Joust Duffle Bag" in html and "Köln" in html and "44,98\xa0€" in html
    panel = html[html.index('id="klarna-panel"') :]
    assert payment.klarna_order_id in panel
    assert payment.klarna_reference in panel
    assert "invoice" in panel
    for label, value in [
        ("authorized", "44,98\xa0€"),
        ("captured", "0,00\xa0€"),
        ("refunded", "0,00\xa0€"),
        ("remaining-authorization", "44,98\xa0€"),
    ]:
        assert re.search(rf'data-amount="{label}">{re.escape(value)}<', panel), label
    assert "/ordermanagement/v1/orders/" in panel
    assert "Capture possible until" in panel
