"""The order page's Klarna panel in Chromium: log in, open the order, type an amount to capture
(no choice preset), review it on the confirmation page, confirm, and see the panel show Klarna's
new captured amount. Screenshots under test-artifacts/admin/."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from checkout.models import Order

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "admin"


@pytest.mark.browser
def test_staff_captures_part_of_an_order_in_the_browser(
    chromium, live_server, transactional_db, gql, klarna_cart
):
    from tests.checkout_fixtures import PLACE_ORDER

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    User.objects.create_superuser("boss", "boss@example.com", "correct horse")
    number = gql.data(PLACE_ORDER, {"cart": klarna_cart()})["placeOrder"]["order"]["order_number"]
    order = Order.objects.get(number=number)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/checkout/order/{order.pk}/change/")
        page.fill("#id_username", "boss")
        page.fill("#id_password", "correct horse")
        page.click("input[type=submit]")
        page.wait_for_selector("#klarna-panel")
        page.locator("#klarna-panel").screenshot(path=str(ARTIFACTS / "01-klarna-panel.png"))
        page.screenshot(path=str(ARTIFACTS / "02-order-page.png"), full_page=True)
        assert page.inner_text('[data-amount="captured"]') == "0,00\xa0€"

        page.click("a.klarna-action-capture")
        assert page.locator("input[name=mode]:checked").count() == 0  # nothing preset
        page.fill("#id_amount", "12.34")
        page.fill("#id_shipping_company", "DHL")
        page.fill("#id_tracking_number", "JD014600006281230704")
        page.screenshot(path=str(ARTIFACTS / "03-capture-form.png"), full_page=True)
        page.click("input[type=submit][name=review]")

        page.wait_for_selector("#klarna-review")
        page.screenshot(path=str(ARTIFACTS / "04-capture-confirmation.png"), full_page=True)
        assert page.inner_text('[data-review="amount"]') == "12,34\xa0€"
        assert page.inner_text('[data-amount="captured"]') == "0,00\xa0€"  # nothing moved yet
        page.click("input[type=submit][name=confirm]")

        page.wait_for_selector(".messagelist")
        page.screenshot(path=str(ARTIFACTS / "05-after-capture.png"), full_page=True)
        assert "Klarna captured 12,34\xa0€." in page.inner_text(".messagelist")
        assert page.inner_text('[data-amount="captured"]') == "12,34\xa0€"
        assert page.inner_text('[data-amount="remaining-authorization"]') == "32,64\xa0€"
    finally:
        context.close()
