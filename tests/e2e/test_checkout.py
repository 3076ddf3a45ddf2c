"""A shopper buys in a real browser: catalog -> cart -> checkout with the emulated Klarna widget."""

import pytest

from checkout.models import Order

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT


def test_guest_checkout_with_check_money_order(shop):
    shop.page.goto(shop.url("/"))
    shop.shot("catalog")
    shop.add_to_cart(BOOK, quantity=2)
    assert shop.page.inner_text("[data-cart-count]") == "2"
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    shop.choose_payment("checkmo")
    shop.shot("checkmo-chosen")

    shop.page.click("[data-place-order]")
    number = shop.wait_for_confirmation()

    order = Order.objects.get(number=number)
    assert order.email == "anna@example.com"
    assert order.payment_method_code == "checkmo"
    assert "Thank you for your order" in shop.page.inner_text("h1")
    assert shop.page.inner_text("[data-grand-total]") == "69,00\xa0€"  # 2 x 32.00 + 5.00 flat rate
    assert shop.page.inner_text("[data-cart-count]") == "0"


def test_guest_checkout_with_klarna_widget(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    codes = shop.payment_codes()
    assert codes[-1] == "checkmo" and any(code.startswith("klarna_") for code in codes)
    selected = shop.page.eval_on_selector("input[name=payment_method]:checked", "el => el.value")
    identifier = selected.removeprefix("klarna_")
    assert shop.widget(identifier).inner_text().count("37,00") == 1  # 32.00 + 5.00 shipping
    # Named as Klarna presents them, saying Klarna before one is chosen, each with its badge.
    titles = shop.page.eval_on_selector_all(
        "[data-payment-code^=klarna_] .payment-option__title", "els => els.map(e => e.textContent)"
    )
    assert titles[:2] == ["Klarna — Pay now", "Klarna — Pay later in 30 days"]
    assert shop.page.locator("[data-payment-code^=klarna_] .payment-option__logo").count() == len(titles)
    # The page writes the amount exactly as Klarna's widget does (store locale en-DE).
    total = shop.page.inner_text("[data-place-total-amount]")
    assert total == "37,00\xa0€" and total in shop.widget(identifier).inner_text()
    shop.shot("klarna-widget")

    shop.page.click("[data-place-order]")
    shop.approve_in_klarna()
    number = shop.wait_for_confirmation()

    order = Order.objects.get(number=number)
    assert order.payment_method_code == selected
    assert order.status == "processing"
    assert not shop.page.locator("[data-on-hold]").count()
    assert shop.page.inner_text("[data-payment-name]") == titles[0]
    assert shop.page.inner_text("[data-grand-total]") == total


def test_cart_change_in_another_tab_reloads_widget_with_new_amount_and_categories(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    assert "klarna_pay_over_time" not in shop.payment_codes()  # 37.00 EUR is under its minimum
    checkout = shop.page
    shop.shot("before-change")

    cart = shop.new_page()
    cart.goto(shop.url("/cart/"))
    cart.fill("input[name=quantity]", "4")
    cart.click("button:has-text('Update')")
    cart.wait_for_selector("#messages .message--success")
    shop.shot("cart-quantity-4", page=cart)
    cart.close()

    # The shopper comes back to the checkout tab.
    checkout.bring_to_front()
    checkout.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    checkout.wait_for_selector("#payment-klarna_pay_over_time")
    shop.wait_until_ready()
    selected = checkout.eval_on_selector("input[name=payment_method]:checked", "el => el.value")
    widget = shop.widget(selected.removeprefix("klarna_"))
    # 4 x 32.00 reaches free shipping (100.00): the shopper never picked a method, so the
    # cheapest one, now free delivery, is chosen for them.
    widget.filter(has_text="128,00").wait_for()
    assert checkout.inner_text("[data-place-total-amount]") == "128,00\xa0€"
    assert checkout.is_checked("#shipping-freeshipping-freeshipping")
    shop.shot("after-change")

    checkout.check("#payment-klarna_pay_over_time")
    shop.wait_until_ready()
    shop.widget("pay_over_time").filter(has_text="128,00").wait_for()
    shop.shot("pay-over-time")


def test_declined_persona_gets_a_clear_message_and_can_pay_otherwise(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna+denied@example.com")
    shop.wait_until_ready()
    selected = shop.page.eval_on_selector("input[name=payment_method]:checked", "el => el.value")
    assert selected.startswith("klarna_")

    shop.page.click("[data-place-order]")
    shop.approve_in_klarna()
    shop.page.wait_for_selector("[data-payment-status] .message--error")
    shop.shot("declined")

    assert "Klarna couldn't approve this payment" in shop.status_text()
    assert shop.payment_codes() == ["checkmo"]  # a final rejection removes Klarna
    assert Order.objects.count() == 0
    shop.wait_until_ready()
    shop.page.click("[data-place-order]")
    shop.wait_for_confirmation()
    assert Order.objects.get().payment_method_code == "checkmo"


def test_red_persona_hides_klarna(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna+red@example.com")
    shop.page.wait_for_selector("[data-payment-status] .message--error")
    shop.wait_until_ready()
    shop.shot("klarna-hidden")

    assert shop.payment_codes() == ["checkmo"]
    assert "Klarna isn't available for this order" in shop.status_text()
    assert not shop.page.locator("[data-testid=klarna-emulator-widget]").is_visible()


def test_closing_the_klarna_window_keeps_the_shopper_on_the_page(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()

    shop.page.click("[data-place-order]")
    shop.page.wait_for_selector("[data-testid=klarna-emulator-overlay]")
    shop.page.click("[data-testid=klarna-emulator-close]")
    shop.page.wait_for_selector("[data-payment-status] .message--info")
    shop.wait_until_ready()
    shop.shot("closed")

    assert "You closed the Klarna window" in shop.status_text()
    assert "/checkout/" in shop.page.url and Order.objects.count() == 0


def test_double_click_on_place_order_places_one_order(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    shop.choose_payment("checkmo")

    shop.page.dblclick("[data-place-order]")
    shop.wait_for_confirmation()

    assert Order.objects.count() == 1


def test_pending_persona_sees_order_on_hold(shop):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna+pend-accept-10@example.com")
    shop.wait_until_ready()

    shop.page.click("[data-place-order]")
    shop.approve_in_klarna()
    number = shop.wait_for_confirmation()

    assert Order.objects.get(number=number).status == "payment_review"
    assert "on hold" in shop.page.inner_text("[data-on-hold]")
    assert "Your order is on hold" in shop.page.inner_text("h1")


def test_confirmation_is_only_shown_to_the_session_that_ordered(shop, chromium):
    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    shop.choose_payment("checkmo")
    shop.page.click("[data-place-order]")
    shop.wait_for_confirmation()
    url = shop.page.url

    stranger = chromium.new_context()
    try:
        response = stranger.new_page().goto(url)
        assert response.status == 404
    finally:
        stranger.close()
