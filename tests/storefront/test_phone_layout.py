"""Phone layout in a real browser: one-line header, no sideways scrolling, the checkout's order
summary folded at the top.

Every storefront page a shopper meets (catalog, product, cart, checkout, sign-in, My orders)
is opened at 360×740 (and the header also at 390 px), signed out and signed in.
"""

import os
import uuid

import pytest
from django.core.management import call_command

from tests.browser_fixtures import wait_until

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"
TIMEOUT_MS = 20_000

# The header's parts as a shopper sees them: each must sit on the same line as the others,
# and none may wrap inside itself (a wrapped text is taller than one line of it).
HEADER_BOXES = """
() => {
  const header = document.querySelector(".site-header__inner");
  const parts = [header.querySelector(".site-header__brand"),
                 ...header.querySelectorAll(".site-nav > li > a:not(.cart-link), .site-nav > li button, .cart-link > span:not(.visually-hidden)")]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden");
  return parts.map((el) => {
    const box = el.getBoundingClientRect();
    return {
      text: el.textContent.trim(),
      top: box.top, bottom: box.bottom, left: box.left, right: box.right,
      lineHeight: parseFloat(getComputedStyle(el).lineHeight),
      lines: el.getClientRects().length,
    };
  });
}
"""


@pytest.fixture
def phone(chromium, live_server, transactional_db):
    call_command("seed_demo", verbosity=0)
    contexts = []

    def open_page(width=360, height=740):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    open_page.base_url = live_server.url
    yield open_page
    for context in contexts:
        context.close()


def assert_header_on_one_line(page):
    parts = page.evaluate(HEADER_BOXES)
    texts = [part["text"] for part in parts]
    assert any(text == "Cart" for text in texts), texts
    # One line: every part overlaps the band that all of them share.
    band_top = max(part["top"] for part in parts)
    band_bottom = min(part["bottom"] for part in parts)
    assert band_top < band_bottom, parts
    for part in parts:
        assert part["lines"] == 1, part
        assert part["bottom"] - part["top"] < 1.6 * part["lineHeight"], part  # not wrapped
    # Left to right in source order, none overlapping the next (the badge beside "Cart").
    for left, right in zip(parts, parts[1:], strict=False):
        assert left["right"] <= right["left"] + 0.5, (left, right)
    assert parts[-1]["right"] <= page.viewport_size["width"], parts[-1]


def assert_no_sideways_scroll(page, path):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{path} scrolls sideways: {width}px"


def add_book(page, base_url):
    page.goto(base_url + f"/products/{BOOK}/")
    page.fill("#quantity", "2")
    page.click("button:has-text('Add to cart')")
    page.wait_for_selector("#messages .message--success")


def fill_address(page):
    page.fill("#email", "anna@example.com")
    page.fill("#shipping-firstname", "Anna")
    page.fill("#shipping-lastname", "Muster")
    page.fill("#shipping-street1", "Hauptstraße 1")
    page.fill("#shipping-postcode", "10115")
    page.fill("#shipping-city", "Berlin")
    page.fill("#shipping-telephone", "+49 30 1234567")
    page.click("[data-save-address]")


def test_every_page_fits_a_360px_phone_with_a_one_line_header(phone):
    page = phone()
    base = phone.base_url
    page.goto(base + "/")
    assert_header_on_one_line(page)
    assert_no_sideways_scroll(page, "/")

    page.goto(base + f"/products/{BOOK}/")
    assert_header_on_one_line(page)
    assert_no_sideways_scroll(page, "product")

    add_book(page, base)
    page.goto(base + "/cart/")
    page.wait_for_selector("[data-cart-lines] tr")
    assert_header_on_one_line(page)
    assert_no_sideways_scroll(page, "/cart/")
    badge = page.locator("[data-cart-count]").bounding_box()
    cart_word = page.locator(".cart-link > span").first.bounding_box()
    assert badge["x"] >= cart_word["x"] + cart_word["width"]  # beside "Cart", not below it
    assert badge["y"] < cart_word["y"] + cart_word["height"]

    page.goto(base + "/checkout/")
    page.wait_for_selector("[data-summary-lines] li", state="attached")
    assert_header_on_one_line(page)
    assert_no_sideways_scroll(page, "/checkout/")
    page.click("[data-save-address]")  # every field's message and the summary shown
    page.wait_for_selector("[data-error-summary]:not([hidden])")
    assert_no_sideways_scroll(page, "/checkout/ with errors")
    fill_address(page)
    page.wait_for_selector("[data-testid=klarna-emulator-widget]")  # the Klarna widget shown
    wait_until(page, "!document.querySelector('[data-place-order]').disabled")
    assert_no_sideways_scroll(page, "/checkout/ with Klarna")
    page.check("#payment-checkmo")
    wait_until(page, "!document.querySelector('[data-place-order]').disabled")
    page.click("[data-place-order]")
    page.wait_for_url("**/checkout/success/**")
    assert_header_on_one_line(page)
    assert_no_sideways_scroll(page, "confirmation")

    page.goto(base + "/account/sign-in/")
    assert_header_on_one_line(page)
    assert_no_sideways_scroll(page, "/account/sign-in/")

    page.goto(base + "/account/create/")
    page.fill("#id_firstname", "Anna")
    page.fill("#id_lastname", "Muster")
    page.fill("#id_email", f"anna-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#id_password", "a long enough passphrase")
    page.click("button:has-text('Create account')")
    page.goto(base + "/account/orders/")
    page.wait_for_selector("[data-sign-out]")
    assert_header_on_one_line(page)  # signed in: My orders, Sign out and Cart
    assert_no_sideways_scroll(page, "/account/orders/")


@pytest.mark.parametrize("width", [360, 390])
def test_header_stays_on_one_line_signed_out_and_in(phone, width):
    page = phone(width=width)
    page.goto(phone.base_url + "/account/sign-in/")
    assert_header_on_one_line(page)
    assert "Sign in" in [part["text"] for part in page.evaluate(HEADER_BOXES)]

    page.goto(phone.base_url + "/account/create/")
    page.fill("#id_firstname", "Anna")
    page.fill("#id_lastname", "Muster")
    page.fill("#id_email", f"anna-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#id_password", "a long enough passphrase")
    page.click("button:has-text('Create account')")
    page.wait_for_selector("[data-sign-out]")
    assert_header_on_one_line(page)
    assert {"My orders", "Sign out", "Cart"} <= {part["text"] for part in page.evaluate(HEADER_BOXES)}


def test_checkout_summary_is_folded_above_the_form_on_a_phone_and_open_beside_it_on_desktop(phone):
    page = phone()
    add_book(page, phone.base_url)
    page.goto(phone.base_url + "/checkout/")
    page.wait_for_selector("[data-summary-lines] li", state="attached")
    wait_until(page, "document.querySelector('[data-summary-toggle-total]').textContent !== ''")

    details = page.locator("[data-summary-details]")
    assert details.evaluate("el => el.open") is False
    assert page.inner_text("[data-summary-toggle-total]") == "64,00\xa0€"
    summary_box = page.locator(".checkout__summary").bounding_box()
    form_box = page.locator("[data-address-form]").bounding_box()
    assert summary_box["y"] + summary_box["height"] <= form_box["y"]  # above the form
    assert not page.locator("[data-summary-lines] li").first.is_visible()

    page.click("#summary-heading")  # the shopper unfolds it
    assert page.locator("[data-summary-lines] li").first.is_visible()
    assert "Baking with Sourdough" in page.inner_text("[data-summary-lines]")

    desktop = phone(width=1280, height=900)
    add_book(desktop, phone.base_url)
    desktop.goto(phone.base_url + "/checkout/")
    desktop.wait_for_selector("[data-summary-lines] li")  # visible: open
    summary_box = desktop.locator(".checkout__summary").bounding_box()
    form_box = desktop.locator("[data-address-form]").bounding_box()
    assert summary_box["x"] >= form_box["x"] + form_box["width"]  # the right-hand column


def test_checkout_summary_is_a_details_element_open_without_javascript(client, db):
    """Without the script the summary is a plain open <details>: nothing hidden, still foldable."""
    call_command("seed_demo", verbosity=0)
    client.post("/cart/add/", {"sku": "DEMO-BOOK-02", "quantity": "1"})
    html = client.get("/checkout/").content.decode()
    assert '<details class="summary-details" open data-summary-details>' in html
    assert html.index("data-summary-details") < html.index("data-address-form")
