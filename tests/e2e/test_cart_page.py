"""The cart page in a real browser: complete from the server before any script runs, its basic
actions working with JavaScript disabled, and the script updating it in place when enabled."""

import pytest

from cart.models import CartItem
from tests.browser_fixtures import wait_until

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT, 25 in stock
TEE = "demo-tee-01"


def add_red_m_tee(shop, quantity=1):
    page = shop.page
    page.goto(shop.url(f"/products/{TEE}/"))
    page.select_option("#option-color", label="Red")
    page.select_option("#option-size", label="M")
    page.fill("#quantity", str(quantity))
    page.click("button:has-text('Add to cart')")
    page.wait_for_selector("#messages .message--success")


def line(page, sku):
    return page.locator(f'[data-line="{sku}"]')


@pytest.fixture
def no_js(shop, chromium):
    """Open a second browser context with JavaScript disabled, with the shopper's cookies as
    they are now (their session, so their cart)."""
    contexts = []

    def open_page():
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900},
            locale="en-US",
            java_script_enabled=False,
            storage_state=shop.context.storage_state(),
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_without_javascript_change_quantity_remove_a_line_and_apply_a_coupon(shop, no_js):
    shop.add_to_cart(BOOK)
    add_red_m_tee(shop)
    page = no_js()

    page.goto(shop.url("/cart/"))
    assert page.locator("[data-cart-lines] tr").count() == 2
    assert "Color: Red" in line(page, "DEMO-TEE-01-RED-M").inner_text()
    assert page.inner_text("[data-grand-total]") == "56,90\xa0€"
    shop.shot("no-js-cart", page=page)

    line(page, "DEMO-BOOK-02").locator("input[name=quantity]").fill("3")
    with page.expect_navigation():
        line(page, "DEMO-BOOK-02").locator("button:has-text('Update')").click()
    assert page.url == shop.url("/cart/")  # redirect after post
    assert page.inner_text("#messages") == "Quantity updated."
    assert "96,00\xa0€" in line(page, "DEMO-BOOK-02").inner_text()
    assert page.inner_text("[data-grand-total]") == "120,90\xa0€"
    assert page.inner_text("[data-cart-count]") == "4"
    assert page.inner_text("[data-free-shipping]") == "Your order ships free."

    line(page, "DEMO-BOOK-02").locator("input[name=quantity]").fill("30")
    with page.expect_navigation():
        line(page, "DEMO-BOOK-02").locator("button:has-text('Update')").click()
    assert page.inner_text("#messages") == "Only 25 left in stock."

    with page.expect_navigation():
        page.click("button[aria-label='Remove Organic Cotton T-shirt']")
    assert page.inner_text("#messages") == "Organic Cotton T-shirt removed from your cart."
    assert page.locator("[data-cart-lines] tr").count() == 1
    assert page.inner_text("[data-cart-count]") == "3"

    page.fill("#coupon-code", "welcome10")
    with page.expect_navigation():
        page.click("button:has-text('Apply')")
    assert page.inner_text("#messages") == "Discount code WELCOME10 applied."
    assert page.inner_text("[data-grand-total]") == "86,40\xa0€"  # 96.00 − 10 %
    shop.shot("no-js-after", page=page)

    with page.expect_navigation():
        page.click("button:has-text('Remove code')")
    assert page.inner_text("#messages") == "Discount code removed."
    assert [(i.product.sku, i.quantity) for i in CartItem.objects.select_related("product")] == [
        ("DEMO-BOOK-02", 3)
    ]

    page.click("a:has-text('Go to checkout')")
    page.wait_for_url(shop.url("/checkout/"))
    assert "Baking with Sourdough × 3" in page.inner_text("[data-summary-lines]")


def test_first_paint_is_complete_and_the_script_updates_in_place(shop):
    shop.add_to_cart(BOOK, quantity=2)
    add_red_m_tee(shop)
    page = shop.page

    # What the server sent, before any script ran: every line, its options, the totals.
    response = page.goto(shop.url("/cart/"))
    html = response.text()
    assert "Loading" not in html
    assert 'data-line="DEMO-BOOK-02"' in html and 'data-line="DEMO-TEE-01-RED-M"' in html
    assert "tshirt-red.svg" in html and "<dd>Red</dd>" in html
    assert "data-grand-total>88,90\xa0€<" in html
    shop.shot("first-paint")

    page.evaluate("window.stillThisPage = true")
    tee = line(page, "DEMO-TEE-01-RED-M")
    tee.locator("input[name=quantity]").fill("2")
    tee.locator("button:has-text('Update')").click()
    page.wait_for_selector("#messages .message--success")
    assert page.inner_text("#messages") == "Quantity updated."
    assert page.inner_text("[data-grand-total]") == "113,80\xa0€"
    assert page.inner_text("[data-cart-count]") == "4"
    item = CartItem.objects.get(product__sku="DEMO-TEE-01-RED-M")
    # The same field has the focus again, in the new markup, on the same page (no reload).
    assert page.evaluate("document.activeElement.id") == f"qty-{item.pk}"
    assert page.evaluate("window.stillThisPage") is True

    line(page, "DEMO-BOOK-02").locator("button:has-text('Remove')").click()
    page.wait_for_selector('[data-cart-lines] tr[data-line="DEMO-BOOK-02"]', state="detached")
    assert page.inner_text("#messages") == "Baking with Sourdough removed from your cart."
    assert page.inner_text("[data-grand-total]") == "49,80\xa0€"
    assert page.inner_text("[data-cart-count]") == "2"
    assert page.evaluate("window.stillThisPage") is True
    shop.shot("after-remove")

    line(page, "DEMO-TEE-01-RED-M").locator("button:has-text('Remove')").click()
    page.wait_for_selector("[data-cart-empty]")
    assert page.inner_text("[data-cart-count]") == "0"
    assert page.evaluate("window.stillThisPage") is True


def test_lines_with_thumbnails_and_options_fit_a_360px_phone(shop):
    shop.add_to_cart(BOOK)
    add_red_m_tee(shop)
    page = shop.page
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(shop.url("/cart/"))
    assert page.locator("[data-line-thumbnail]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shop.shot("phone-cart")

    page.goto(shop.url("/checkout/"))
    page.click(".summary-details__toggle")  # folded on a phone: open it
    summary = page.locator("[data-summary-lines]")
    summary.locator("img").first.wait_for()
    # The script has re-rendered the summary from GraphQL (it shows the order total when done):
    # the same lines, thumbnails as GraphQL gives them (absolute URLs), the variant's options.
    wait_until(page, "!document.querySelector('[data-place-total]').hidden")
    assert summary.locator("img").nth(1).get_attribute("src") == shop.url(
        "/static/img/products/tshirt-red.svg"
    )
    text = summary.inner_text()
    assert "Organic Cotton T-shirt × 1" in text and "Color: Red" in text and "Size: M" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shop.shot("phone-checkout-summary")
