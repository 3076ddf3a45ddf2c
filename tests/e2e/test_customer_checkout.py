"""A customer in a real browser: a guest cart, sign in (the cart follows and merges into the
account's cart), checkout pre-filled from the address book, Klarna widget, then My orders."""

import pytest

from cart.addresses import validate_address
from cart.customer_carts import customer_cart
from cart.locks import locked
from cart.services import add_products
from checkout.models import Order
from shop import customers

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT
PASSWORD = "Correct-Horse-42"


@pytest.fixture
def anna(demo_store):
    user = customers.create_customer(
        email="anna.customer@example.com", firstname="Anna", lastname="Kunde", password=PASSWORD
    )
    address = validate_address(
        {
            "firstname": "Anna",
            "lastname": "Kunde",
            "street": ["Hauptstraße 1"],
            "city": "Berlin",
            "postcode": "10115",
            "country_code": "DE",
            "telephone": "+49 30 1234567",
        }
    )
    customers.save_address(user, address)
    # Anna left something in her account's cart last time.
    with locked(customer_cart(user)) as cart:
        assert add_products(cart, [(BOOK.upper(), 1)]).user_errors == ()
    return user


def test_customer_signs_in_cart_merges_and_pays_with_klarna(shop, anna):
    page = shop.page
    shop.add_to_cart(BOOK, quantity=2)  # as a guest
    assert page.inner_text("[data-cart-count]") == "2"

    page.goto(shop.url("/account/sign-in/?next=/checkout/"))
    page.fill("#id_email", "anna.customer@example.com")
    page.fill("#id_password", PASSWORD)
    shop.shot("sign-in")
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/checkout/")
    page.wait_for_selector("[data-summary-lines] li")
    shop.shot("checkout-pre-filled")

    # The guest's 2 books joined the 1 already in Anna's cart; the page knows her.
    assert page.inner_text("[data-cart-count]") == "3"
    assert page.locator("[data-account-link]").count() == 1
    assert page.input_value("#email") == "anna.customer@example.com"
    assert page.get_attribute("#email", "readonly") is not None
    assert page.input_value("#shipping-street1") == "Hauptstraße 1"
    assert page.input_value("#shipping-city") == "Berlin"

    page.click("[data-save-address]")
    shop.wait_until_ready()
    selected = page.eval_on_selector("input[name=payment_method]:checked", "el => el.value")
    assert selected.startswith("klarna_")
    shop.widget(selected.removeprefix("klarna_")).filter(
        has_text="101,00"
    ).wait_for()  # 3 x 32.00 + 5.00 flat rate
    shop.shot("klarna-widget")

    page.click("[data-place-order]")
    shop.approve_in_klarna()
    number = shop.wait_for_confirmation()

    order = Order.objects.get(number=number)
    assert order.customer == anna
    assert order.email == "anna.customer@example.com"
    assert order.payment_method_code == selected
    assert order.status == "processing"
    assert sum(item.quantity for item in order.items.all()) == 3

    page.click("[data-account-link]")
    page.wait_for_selector(f"[data-order='{number}']")
    shop.shot("my-orders")
    page.click(f"a:has-text('#{number}')")
    page.wait_for_selector("[data-order-status]")
    assert page.inner_text("[data-order-number]") == number
    assert page.inner_text("[data-grand-total]") == "101,00\xa0€"
    shop.shot("order-detail")

    page.click("[data-sign-out]")
    page.wait_for_selector("[data-sign-in-link]")
    assert page.locator("meta[name=customer-token]").count() == 0


def test_signed_in_page_token_is_the_only_customer_power_of_the_browser(shop, anna):
    page = shop.page
    page.goto(shop.url("/account/sign-in/"))
    page.fill("#id_email", "anna.customer@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-account-link]")
    query = "{ customer { email } }"
    # Cookies alone (the signed-in session) give no customer on /graphql ...
    without = page.evaluate(
        """async (q) => (await fetch('/graphql', {method: 'POST', credentials: 'same-origin',
             headers: {'Content-Type': 'application/json'}, body: JSON.stringify({query: q})})).json()""",
        query,
    )
    assert without["errors"][0]["message"] == "The current customer isn't authorized."
    # ... the page's bearer token does.
    token = page.get_attribute("meta[name=customer-token]", "content")
    with_token = page.evaluate(
        """async ([q, t]) => (await fetch('/graphql', {method: 'POST',
             headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + t},
             body: JSON.stringify({query: q})})).json()""",
        [query, token],
    )
    assert with_token == {"data": {"customer": {"email": "anna.customer@example.com"}}}
