"""Shipping and payment choices a shopper understands, in a real browser: the cart explains the
free-shipping threshold, checkout lists free delivery first and preselects the cheapest
method with human names and estimates, and Check / Money order says where the money goes."""

import pytest

from tests.browser_fixtures import wait_until

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT; free shipping from 100.00 (default)


def test_cart_explains_the_threshold_and_checkout_preselects_free_delivery(shop):
    shop.add_to_cart(BOOK)
    page = shop.page
    page.goto(shop.url("/cart/"))
    page.wait_for_selector("[data-cart-lines] tr")
    assert page.inner_text("[data-free-shipping]") == "Add 68,00\xa0€ more for free shipping."
    shop.shot("cart-threshold")

    page.fill("input[name=quantity]", "4")
    page.click("button:has-text('Update')")
    page.wait_for_selector("[data-free-shipping].free-shipping--ok")
    assert page.inner_text("[data-free-shipping]") == "Your order ships free."
    shop.shot("cart-ships-free")

    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    options = page.eval_on_selector_all(
        "[data-shipping-options] .radio-option",
        "els => els.map(e => ({ key: e.dataset.shippingMethod, text: e.innerText, checked: e.querySelector('input').checked }))",
    )
    assert [o["key"] for o in options] == ["freeshipping|freeshipping", "flatrate|flatrate"]
    assert options[0]["checked"] and not options[1]["checked"]
    assert "Free delivery" in options[0]["text"] and "Arrives in 2–4 business days" in options[0]["text"]
    assert "Standard delivery" in options[1]["text"] and "5,00\xa0€" in options[1]["text"]
    assert "Flat Rate" not in page.inner_text("[data-checkout]")
    assert "Shipping (Free delivery)" in page.inner_text("[data-summary-totals]")
    shop.shot("free-delivery-preselected")

    # The shopper's own choice stands.
    page.check("#shipping-flatrate-flatrate")
    wait_until(page, "document.querySelector('[data-place-total-amount]').textContent === '133,00\xa0€'")
    shop.wait_until_ready()
    assert page.is_checked("#shipping-flatrate-flatrate")


def test_check_money_order_instructions_at_checkout_and_on_the_confirmation(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    page = shop.page
    # Only one method below the threshold: it is preselected.
    assert page.is_checked("#shipping-flatrate-flatrate")

    shop.choose_payment("checkmo")
    note = page.locator("[data-payment-code=checkmo] [data-checkmo-instructions]")
    assert note.is_visible()
    assert "payable to Klarna Demo Store" in note.inner_text()
    assert "Musterstraße 1" in note.inner_text()
    shop.shot("checkmo-instructions")

    page.click("[data-place-order]")
    shop.wait_for_confirmation()
    confirmation = page.inner_text("[data-checkmo-instructions]")
    assert "Make your check or money order for 37,00\xa0€ payable to Klarna Demo Store" in confirmation
    assert "10115 Berlin" in confirmation
    assert "Shipping (Standard delivery)" in page.inner_text(".totals")
