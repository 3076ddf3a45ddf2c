"""The cart page and the checkout's order summary come complete from the server (lines with
thumbnail, chosen options, SKU, prices, coupon, totals, free-shipping notice), and the cart's
basic actions are plain forms that work without JavaScript: POST, redirect, message."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cart.models import Cart, CartItem, Coupon
from shop import configurable
from shop.models import Product

# Queries of a cart page with any number of lines (7 measured: session, cart, items with products,
# addresses, coupon, tax rates, variants' parents and values, ...): fixed, whatever the lines.
CART_PAGE_BUDGET = 8


@pytest.fixture
def tee(db):
    """A T-shirt in Red/Blue × S/M; Red M has 3 in stock."""
    parent = configurable.create_configurable(
        sku="TEE",
        name="Organic Tee",
        image_url="/static/img/products/tshirt-blue.svg",
        attributes=[
            configurable.AttributeSpec("color", "Colour", [("Red", "#c00"), ("Blue", "#00c")]),
            configurable.AttributeSpec("size", "Size", [("S", ""), ("M", "")]),
        ],
    )
    for colour in ("Red", "Blue"):
        for size in ("S", "M"):
            configurable.add_variant(
                parent,
                sku=f"TEE-{colour.upper()}-{size}",
                values={"color": colour, "size": size},
                price=Decimal("24.90"),
                stock_qty=3 if (colour, size) == ("Red", "M") else 20,
                image_url=f"/static/img/products/tshirt-{colour.lower()}.svg",
            )
    return parent


@pytest.fixture
def store(tax_rates, product):  # 24-MB01 "Joust Duffle Bag" at 19.99, 10 in stock
    product.image_url = "/static/img/products/tote.svg"
    product.save()
    return product


def add(client, sku="24-MB01", quantity=1, options=()):
    return client.post(
        "/cart/add/", {"sku": sku, "quantity": str(quantity), "selected_options": list(options)}
    )


def tee_options(parent, colour, size):
    configurable.load_configurable_data([parent])
    labels = {}
    for attribute in configurable.attributes_of(parent):
        for value in attribute.values.all():
            labels[value.label] = configurable.value_uid(attribute.pk, value.pk)
    return [labels[colour], labels[size]]


def page_of(client, url="/cart/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def line_html(html: str, sku: str) -> str:
    match = re.search(rf'<tr data-line="{re.escape(sku)}".*?</tr>', html, re.S)
    assert match, f"no line {sku}"
    return match.group(0)


def item_id(sku: str) -> int:
    return CartItem.objects.get(product__sku=sku).pk


# --- first paint -------------------------------------------------------------------------------------


def test_cart_page_has_every_line_with_thumbnail_options_sku_prices_and_no_loading_state(client, store, tee):
    add(client, quantity=2)
    add(client, "TEE", 1, tee_options(tee, "Red", "M"))

    html = page_of(client)

    assert "Loading" not in html
    bag = line_html(html, "24-MB01")
    assert 'src="/static/img/products/tote.svg"' in bag
    assert "Joust Duffle Bag" in bag and "SKU 24-MB01" in bag
    assert "19,99\xa0€" in bag and "39,98\xa0€" in bag  # unit price, row total
    assert 'name="quantity"' in bag and 'value="2"' in bag
    assert "data-line-options" not in bag
    shirt = line_html(html, "TEE-RED-M")
    assert 'src="/static/img/products/tshirt-red.svg"' in shirt  # the variant's own image
    assert 'href="/products/organic-tee/"' in shirt and "Organic Tee" in shirt
    assert re.search(r"<dt>Colour:</dt>\s*<dd>Red</dd>", shirt)
    assert re.search(r"<dt>Size:</dt>\s*<dd>M</dd>", shirt)
    assert "SKU TEE-RED-M" in shirt and "24,90\xa0€" in shirt
    # Totals from the totals engine: 39.98 + 24.90 = 64.88, VAT included (19 %).
    totals = re.search(r"<dl class=\"totals\" data-cart-totals>(.*?)</dl>", html, re.S).group(1)
    assert "Subtotal</dt><dd>64,88\xa0€</dd>" in totals
    assert "Shipping</dt>" in totals and "At checkout" in totals
    assert "Included VAT 19%" in totals and "10,36\xa0€" in totals
    assert "data-grand-total>64,88\xa0€</dd>" in totals
    assert "Add 35,12\xa0€ more for free shipping." in html
    assert '<span class="cart-link__count" data-cart-count>3</span>' in html


def test_cart_page_shows_the_coupon_and_its_discount(client, store):
    Coupon.objects.create(code="TENOFF", label="Ten off", discount_type="percent", value=Decimal("10"))
    add(client, quantity=2)
    client.post("/cart/coupon/", {"coupon_code": "tenoff"})

    html = page_of(client)

    assert re.search(r"Code <strong data-coupon-code>TENOFF</strong> applied", html)
    assert 'action="/cart/coupon/remove/"' in html and 'name="coupon_code"' not in html
    assert "Discount (Ten off)" in html and "−4,00\xa0€" in html  # 10 % of 39.98, rounded
    assert "data-grand-total>35,98\xa0€</dd>" in html


def test_empty_cart_and_no_cart_say_so(client, store):
    assert "Your cart is empty." in page_of(client)
    client.post("/cart/session/")  # a cart without lines
    html = page_of(client)
    assert "Your cart is empty." in html and "data-cart-lines" not in html
    assert "data-free-shipping" not in html


def test_a_line_with_more_than_is_left_says_how_many_are_left(client, store):
    add(client, quantity=5)
    Product.objects.filter(sku="24-MB01").update(stock_qty=2)

    bag = line_html(page_of(client), "24-MB01")

    assert "Only 2 left in stock." in bag and 'aria-invalid="true"' in bag


def test_checkout_summary_is_server_rendered_with_thumbnails_and_options(client, store, tee):
    add(client)
    add(client, "TEE", 2, tee_options(tee, "Blue", "S"))

    html = page_of(client, "/checkout/")

    lines = re.search(r"<ul class=\"summary-lines\" data-summary-lines>(.*?)</ul>", html, re.S).group(1)
    assert "Joust Duffle Bag × 1" in lines and "/static/img/products/tote.svg" in lines
    assert "Organic Tee × 2" in lines and "/static/img/products/tshirt-blue.svg" in lines
    assert re.search(r"<dt>Colour:</dt>\s*<dd>Blue</dd>", lines) and "49,80\xa0€" in lines
    assert "69,79\xa0€" in re.search(r"data-summary-toggle-total>(.*?)<", html).group(1)
    assert "Subtotal</dt><dd>69,79\xa0€</dd>" in html
    assert '<span class="cart-link__count" data-cart-count>3</span>' in html


# --- the forms, without JavaScript ---------------------------------------------------------------------


def test_change_quantity_redirects_back_with_a_message_and_new_totals(client, store):
    add(client)
    response = client.post("/cart/update/", {"item_id": item_id("24-MB01"), "quantity": "3"})
    assert response.status_code == 302 and response["Location"] == "/cart/"

    html = page_of(client)

    assert "Quantity updated." in html
    assert "59,97\xa0€" in line_html(html, "24-MB01")
    assert '<span class="cart-link__count" data-cart-count>3</span>' in html


def test_too_many_says_how_many_are_left_and_changes_nothing(client, store):
    add(client)

    response = client.post("/cart/update/", {"item_id": item_id("24-MB01"), "quantity": "11"}, follow=True)

    html = response.content.decode()
    assert '<p class="message message--error">Only 10 left in stock.</p>' in html
    assert CartItem.objects.get().quantity == 1


@pytest.mark.parametrize("quantity", ["abc", "1.5", "-1", ""])
def test_a_quantity_that_is_no_whole_number_is_refused(client, store, quantity):
    add(client, quantity=2)

    html = client.post("/cart/update/", {"item_id": item_id("24-MB01"), "quantity": quantity}, follow=True)

    assert "Please enter a whole number." in html.content.decode()
    assert CartItem.objects.get().quantity == 2


def test_more_than_any_line_may_hold_gets_magentos_message(client, store):
    add(client)
    html = client.post("/cart/update/", {"item_id": item_id("24-MB01"), "quantity": "9" * 30}, follow=True)
    assert "The most you may purchase is 10000." in html.content.decode()


def test_quantity_zero_removes_the_line(client, store):
    add(client)
    html = client.post("/cart/update/", {"item_id": item_id("24-MB01"), "quantity": "0"}, follow=True)
    assert "Joust Duffle Bag removed from your cart." in html.content.decode()
    assert not CartItem.objects.exists()


def test_remove_a_line(client, store, tee):
    add(client)
    add(client, "TEE", 1, tee_options(tee, "Red", "S"))

    response = client.post("/cart/remove/", {"item_id": item_id("TEE-RED-S")})

    assert response.status_code == 302 and response["Location"] == "/cart/"
    html = page_of(client)
    assert "Organic Tee removed from your cart." in html
    assert 'data-line="TEE-RED-S"' not in html and 'data-line="24-MB01"' in html


def test_removing_the_last_line_shows_the_empty_cart(client, store):
    add(client)
    html = client.post("/cart/remove/", {"item_id": item_id("24-MB01")}, follow=True).content.decode()
    assert "Your cart is empty." in html
    assert '<span class="cart-link__count" data-cart-count>0</span>' in html


def test_another_carts_line_cannot_be_changed_or_removed(client, store):
    other = Cart.objects.create()
    theirs = CartItem.objects.create(cart=other, product=store, quantity=1)
    add(client)

    updated = client.post("/cart/update/", {"item_id": theirs.pk, "quantity": "5"}, follow=True)
    removed = client.post("/cart/remove/", {"item_id": theirs.pk}, follow=True)

    assert f"Could not find cart item with id: {theirs.pk}." in updated.content.decode()
    assert f"Cart doesn&#x27;t contain the {theirs.pk} item." in removed.content.decode()
    theirs.refresh_from_db()
    assert theirs.quantity == 1


def test_apply_and_remove_a_coupon(client, store):
    Coupon.objects.create(code="TENOFF", discount_type="percent", value=Decimal("10"))
    add(client)

    applied = client.post("/cart/coupon/", {"coupon_code": " TenOff "}, follow=True).content.decode()
    assert "Discount code TENOFF applied." in applied and "data-coupon-code>TENOFF<" in applied

    removed = client.post("/cart/coupon/remove/", follow=True).content.decode()
    assert "Discount code removed." in removed and 'name="coupon_code"' in removed
    assert Cart.objects.get().coupon is None


def test_an_unknown_coupon_gets_magentos_message(client, store):
    add(client)
    html = client.post("/cart/coupon/", {"coupon_code": "NOPE"}, follow=True).content.decode()
    assert "The coupon code isn&#x27;t valid. Verify the code and try again." in html
    assert Cart.objects.get().coupon is None


def test_forms_without_a_cart_change_nothing_and_say_the_cart_is_empty(client, store):
    html = client.post("/cart/update/", {"item_id": "1", "quantity": "2"}, follow=True).content.decode()
    assert "Your cart is empty." in html
    assert not Cart.objects.exists()


@pytest.mark.parametrize("url", ["/cart/update/", "/cart/remove/", "/cart/coupon/", "/cart/coupon/remove/"])
def test_cart_forms_need_the_csrf_token_and_post(store, url):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/account/sign-in/").content.decode()  # a form's token, as a browser posts it
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url, {"item_id": "1", "quantity": "2", "coupon_code": "X"}).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": token, "item_id": "1"}).status_code == 302
    assert client.get(url).status_code == 405


def test_cart_page_forms_carry_the_csrf_token(client, store):
    add(client)
    html = page_of(client)
    forms = re.findall(r'<form [^>]*method="post"[^>]*>(.*?)</form>', html, re.S)
    actions = re.findall(r'<form [^>]*method="post" action="([^"]+)"', html)
    assert {"/cart/update/", "/cart/remove/", "/cart/coupon/"} <= set(actions)
    assert forms and all('name="csrfmiddlewaretoken"' in form for form in forms)


# --- SQL budget ----------------------------------------------------------------------------------------


def cart_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cart/").status_code == 200
    return len(queries)


def test_cart_page_renders_in_a_fixed_number_of_queries_for_1_and_20_lines(client, store, tee, make_product):
    Coupon.objects.create(code="TENOFF", discount_type="percent", value=Decimal("10"))
    add(client, "TEE", 1, tee_options(tee, "Red", "S"))
    client.post("/cart/coupon/", {"coupon_code": "TENOFF"})
    one = cart_page_queries(client)

    cart = Cart.objects.get()
    variants = list(Product.objects.filter(parent=tee).exclude(sku="TEE-RED-S"))
    simples = [make_product(price="5.00", tax_class="reduced" if n % 2 else "standard") for n in range(16)]
    CartItem.objects.bulk_create(CartItem(cart=cart, product=p, quantity=1) for p in [*variants, *simples])
    twenty = cart_page_queries(client)

    html = page_of(client)
    assert html.count("<tr data-line=") == 20 and html.count("data-line-options") == 4
    assert one == twenty <= CART_PAGE_BUDGET, (one, twenty)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/cart/update/", {"item_id": "1\x00", "quantity": "2"}),
        ("/cart/update/", {"item_id": "１", "quantity": "٣"}),  # non-ASCII digits
        ("/cart/update/", {"item_id": "9" * 40, "quantity": "2"}),
        ("/cart/remove/", {"item_id": "-1"}),
        ("/cart/coupon/", {"coupon_code": "TEN\x00OFF"}),
        ("/cart/coupon/", {"coupon_code": "X" * 5000}),
    ],
)
def test_hostile_form_values_get_a_message_and_change_nothing(client, store, url, data):
    add(client, quantity=2)

    response = client.post(url, data, follow=True)

    assert response.status_code == 200 and response.redirect_chain == [("/cart/", 302)]
    assert 'class="message message--error"' in response.content.decode()
    item = CartItem.objects.get()
    assert item.quantity == 2 and item.cart.coupon is None
