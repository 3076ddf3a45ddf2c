"""A guest who ordered without an account finds the order again in another browser, on a desktop
and on a phone (/account/find-order/): a wrong postcode gets the one refusal, the three right
answers show the order. The Django-client tests in tests/checkout/test_guest_order_lookup.py
cover the throttling and the account linking."""

import pytest
from django.core.cache import caches

from checkout.models import Order

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT


@pytest.fixture(autouse=True)
def _fresh_throttle(transactional_db):
    caches["default"].clear()


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_guest_finds_the_order_in_another_browser(shop, chromium, viewport):
    shop.add_to_cart(BOOK)
    shop.fill_address("gustav@example.com")
    shop.wait_until_ready()
    shop.choose_payment("checkmo")
    shop.page.click("[data-place-order]")
    number = shop.wait_for_confirmation()
    assert Order.objects.get(number=number).customer_id is None

    width, height = viewport
    other = chromium.new_context(viewport={"width": width, "height": height}, locale="en-US")
    try:
        page = other.new_page()
        page.goto(shop.url("/account/find-order/"))
        page.get_by_label("Order number").fill(number)
        page.get_by_label("Email used for the order").fill("Gustav@Example.com")
        page.get_by_label("Billing postcode").fill("10999")  # the order's is 10115
        page.click("button:has-text('Find the order')")
        refusal = page.locator("[data-form-error]")
        refusal.wait_for()
        assert number not in refusal.inner_text()  # says nothing about the order
        assert page.locator("[data-order-number]").count() == 0
        page.screenshot(path=str(shop.folder / f"find-order-refused-{width}.png"), full_page=True)

        page.get_by_label("Billing postcode").fill("10115")
        page.click("button:has-text('Find the order')")
        page.wait_for_url(shop.url(f"/account/find-order/{number}/"))
        assert page.inner_text("[data-order-number]") == number
        assert "Hauptstraße 1" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shop.folder / f"find-order-found-{width}.png"), full_page=True)
    finally:
        other.close()
