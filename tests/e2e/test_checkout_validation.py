"""Validation a shopper can follow, in a real browser: every invalid field named in one
summary at the top of the form (role=alert, focused), each field marked with aria-invalid and
its message tied in by aria-describedby; postcodes checked per country with Google's address
data; "not that many" names how many there are."""

import pytest

from cart.models import CartAddress

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 25 in stock

SUMMARY_STATE = """
() => {
  const summary = document.querySelector("[data-error-summary]");
  return {
    role: summary.getAttribute("role"),
    hidden: summary.hidden,
    focused: document.activeElement === summary,
    items: [...summary.querySelectorAll("li")].map((li) => li.textContent),
  };
}
"""

FIELD_STATE = """
(el) => ({
  invalid: el.getAttribute("aria-invalid"),
  described: (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent.trim()),
})
"""


def test_empty_form_names_every_missing_field_in_one_focused_summary(shop):
    shop.add_to_cart(BOOK)
    page = shop.page
    page.goto(shop.url("/checkout/"))
    page.wait_for_selector("[data-summary-lines] li")
    page.click("[data-save-address]")
    page.wait_for_selector("[data-error-summary]:not([hidden])")
    shop.shot("empty-form")

    summary = page.evaluate(SUMMARY_STATE)
    assert summary["role"] == "alert" and summary["focused"]
    assert summary["items"] == [
        "Email: Enter your email address",
        "First name (shipping address): Enter a first name",
        "Last name (shipping address): Enter a last name",
        "Street and house number (shipping address): Enter the street and house number",
        "Postcode (shipping address): Enter a postcode",
        "City (shipping address): Enter a city",
        "Phone (shipping address): Enter a phone number",
    ]
    email = page.eval_on_selector("#email", FIELD_STATE)
    assert email == {
        "invalid": "true",
        "described": [
            "We send your order confirmation here. Sign in to use your account.",
            "Enter your email address",
        ],
    }
    assert page.eval_on_selector("#shipping-city", FIELD_STATE) == {
        "invalid": "true",
        "described": ["Enter a city"],
    }
    assert page.eval_on_selector("#shipping-street2", FIELD_STATE) == {"invalid": None, "described": []}

    # A summary entry takes the shopper to its field.
    page.click("[data-error-summary] a[href='#shipping-city']")
    assert page.evaluate("document.activeElement.id") == "shipping-city"
    page.fill("#shipping-city", "Berlin")
    assert page.eval_on_selector("#shipping-city", FIELD_STATE) == {"invalid": None, "described": []}


def test_german_postcode_is_checked_against_the_countrys_format(shop):
    shop.add_to_cart(BOOK)
    page = shop.page
    shop.fill_address("anna@example.com")  # 10115 Berlin: valid, saved
    shop.wait_until_ready()

    page.fill("#shipping-postcode", "1011")
    page.click("[data-save-address]")
    page.wait_for_selector("[data-error-summary]:not([hidden])")
    shop.shot("german-postcode-1011")
    summary = page.evaluate(SUMMARY_STATE)
    assert summary["items"] == ["Postcode (shipping address): Enter a postcode for Germany like 26133"]
    assert summary["focused"]
    assert page.eval_on_selector("#shipping-postcode", FIELD_STATE)["invalid"] == "true"
    assert CartAddress.objects.get(kind="shipping").postcode == "10115"  # nothing was sent

    # The same four digits are an Austrian postcode.
    page.select_option("#shipping-country", "AT")
    assert page.eval_on_selector("#shipping-postcode", FIELD_STATE) == {"invalid": None, "described": []}
    page.click("[data-save-address]")
    page.wait_for_selector("[data-address-status] .message--success")
    assert page.evaluate(SUMMARY_STATE)["hidden"]
    assert CartAddress.objects.get(kind="shipping").postcode == "1011"


def test_too_many_in_the_cart_says_how_many_are_left(shop):
    shop.add_to_cart(BOOK)
    page = shop.page
    page.goto(shop.url("/cart/"))
    page.wait_for_selector("[data-cart-lines] tr")
    page.fill("input[name=quantity]", "30")
    page.click("button:has-text('Update')")
    page.wait_for_selector("#messages .message--error")
    shop.shot("too-many")
    assert page.inner_text("#messages") == "Only 25 left in stock."

    page.goto(shop.url(f"/products/{BOOK}/"))
    page.fill("#quantity", "25")  # 1 already in the cart
    page.click("button:has-text('Add to cart')")
    page.wait_for_selector("#messages .message--error")
    assert page.inner_text("#messages") == "Only 25 left in stock."
