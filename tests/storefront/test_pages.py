"""Server-rendered storefront pages: the session's guest cart, CSRF on form posts, who may
see a confirmation, and which Klarna SDK the checkout loads."""

import pytest
from django.test import Client

from cart import services
from cart.models import Cart
from checkout.views import EMULATOR_SDK_PATH, KLARNA_CDN_SDK_URL, klarna_sdk_url


@pytest.fixture
def store(tax_rates, product):
    return product


def test_catalog_and_product_pages_show_price_with_tax_label_and_stock(client, store, make_product):
    make_product(price="9.90", stock=0, sku="TEA", name="Green Tea")

    catalog = client.get("/").content.decode()
    page = client.get("/products/24-mb01/").content.decode()

    assert "Joust Duffle Bag" in catalog and "Out of stock" in catalog
    assert "19,99\xa0€" in page and "incl. VAT" in page and "In stock" in page
    assert 'data-cart-id=""' in page


def test_product_price_is_labelled_excluding_tax_in_us_style(client, store, settings):
    settings.PRICES_INCLUDE_TAX = False

    page = client.get("/products/24-mb01/").content.decode()

    assert "excl. tax" in page


def test_first_add_creates_the_guest_cart_and_a_returning_shopper_finds_it(client, store):
    first = client.post("/cart/session/").json()["cart_id"]
    again = client.post("/cart/session/").json()["cart_id"]

    assert first == again and len(first) == 32
    assert f'data-cart-id="{first}"' in client.get("/cart/").content.decode()


def test_an_ordered_cart_is_replaced_by_a_new_one(client, store):
    old = client.post("/cart/session/").json()["cart_id"]
    Cart.objects.filter(masked_id=old).update(is_active=False)

    new = client.post("/cart/session/").json()["cart_id"]

    assert new != old
    assert Cart.objects.get(masked_id=new).is_active


def test_form_posts_keep_csrf_protection(store):
    client = Client(enforce_csrf_checks=True)

    assert client.post("/cart/session/").status_code == 403
    assert client.post("/cart/add/", {"sku": "24-MB01", "quantity": "1"}).status_code == 403


def test_add_to_cart_form_fallback_adds_and_redirects_to_the_cart(client, store):
    response = client.post("/cart/add/", {"sku": "24-MB01", "quantity": "2"})

    assert response.status_code == 302 and response["Location"] == "/cart/"
    cart = Cart.objects.get(masked_id=client.session["guest_cart_id"])
    assert [(i.product.sku, i.quantity) for i in cart.items.all()] == [("24-MB01", 2)]
    assert '<span class="cart-link__count" data-cart-count>2</span>' in client.get("/").content.decode()


def test_checkout_page_renders_countries_and_regions_from_the_validation_data(client, store, settings):
    settings.ALLOWED_COUNTRIES = ["DE", "US"]
    client.post("/cart/add/", {"sku": "24-MB01", "quantity": "1"})

    page = client.get("/checkout/").content.decode()

    assert '<option value="US">United States</option>' in page
    assert '"code": "CA", "name": "California"' in page
    assert 'id="klarna_container_' not in page  # containers come from the API's categories


def test_checkout_page_without_items_says_the_cart_is_empty(client, store):
    assert "Your cart is empty" in client.get("/checkout/").content.decode()


def test_klarna_sdk_url_setting_then_emulator_then_cdn(settings):
    settings.KLARNA_JS_SDK_URL = "https://cdn.example/api.js"
    assert klarna_sdk_url() == "https://cdn.example/api.js"
    settings.KLARNA_JS_SDK_URL = ""
    settings.KLARNA_ENVIRONMENT = "emulator"
    assert klarna_sdk_url() == EMULATOR_SDK_PATH
    settings.KLARNA_ENVIRONMENT = "playground"
    assert klarna_sdk_url() == KLARNA_CDN_SDK_URL


def test_unknown_order_confirmation_is_not_found(client, db):
    assert client.get("/checkout/success/100000999/").status_code == 404


def test_a_cart_created_elsewhere_is_not_this_sessions(client, store):
    from cart.session_carts import session_owns_cart

    other = services.create_guest_cart()
    client.post("/cart/session/")
    request = type("R", (), {"session": client.session})()

    assert not session_owns_cart(request, other.masked_id)
