"""A shopper of the Swedish store buys on /se/ pages in Swedish, in SEK, with Klarna (emulator)."""

from pathlib import Path

import pytest

from checkout.models import Order
from shop.models import ProductPrice
from shop.store import find_store

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"
SHOTS = Path("/work/wt/shots/17b")


def test_swedish_guest_checkout_with_klarna_in_sek(shop):
    page = shop.page
    book_sek = ProductPrice.objects.get(product__url_key=BOOK, currency="SEK").price  # 369.00
    shipping_sek = find_store("se").flatrate_price  # 59.00
    total = f"{book_sek + shipping_sek:.2f}".replace(".", ",") + "\xa0kr"  # 428,00 kr

    page.goto(shop.url("/se/"))
    assert page.get_attribute("html", "lang") == "sv"
    page.goto(shop.url(f"/se/products/{BOOK}/"))
    assert "369,00\xa0kr" in page.inner_text("[data-price-amount]")
    page.click("button:has-text('Lägg i varukorgen')")
    page.wait_for_selector("#messages .message--success")
    assert page.inner_text("[data-cart-count]") == "1"

    page.goto(shop.url("/se/checkout/"))
    page.wait_for_selector("[data-summary-lines] li")
    assert page.inner_text("h1") == "Kassa"
    page.fill("#email", "astrid@example.se")
    page.fill("#shipping-firstname", "Astrid")
    page.fill("#shipping-lastname", "Svensson")
    page.fill("#shipping-street1", "Drottninggatan 1")
    page.fill("#shipping-postcode", "11151")
    page.fill("#shipping-city", "Stockholm")
    page.select_option("#shipping-country", "SE")
    page.fill("#shipping-telephone", "+46 8 123 456")
    page.click("[data-save-address]")
    shop.wait_until_ready()
    # The scripts' words come translated from the server (<body data-messages>).
    assert page.inner_text("[data-address-status]") == "Adressen är sparad."
    totals = page.inner_text("[data-summary-totals]")
    assert "Delsumma" in totals and "Frakt (" in totals and "Summa" in totals and "Subtotal" not in totals
    selected = page.eval_on_selector("input[name=payment_method]:checked", "el => el.value")
    assert selected.startswith("klarna_")
    identifier = selected.removeprefix("klarna_")
    assert page.inner_text("[data-place-total-amount]") == total
    assert total in shop.widget(identifier).inner_text()
    assert "Slutför beställning" in page.inner_text("[data-place-order]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "se-checkout-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "se-checkout-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("[data-place-order]")
    shop.approve_in_klarna()
    number = shop.wait_for_confirmation()
    assert "/se/checkout/success/" in page.url
    order = Order.objects.get(number=number)
    assert order.currency == "SEK" and order.store_id == find_store("se").pk
    assert order.payment_method_code == selected and order.status == "processing"
    assert f"{order.grand_total:.2f}".replace(".", ",") + "\xa0kr" == total
    assert page.inner_text("h1") == "Tack för din beställning"
    assert page.inner_text("[data-grand-total]") == total
    summary = page.inner_text(".confirmation")
    assert "Delsumma" in summary and "Betalning:" in summary and "Beställd med astrid@example.se" in summary
    page.screenshot(path=str(SHOTS / "se-confirmation-1280.png"), full_page=True)
