"""The storefront per store (issue 17 part 5): /<code>/ pages in the store's currency and
money format, a guest cart per store, the store switcher and hreflang links."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from cart.models import Cart
from shop.models import Product, ProductPrice
from shop.money import format_money
from shop.store import find_store, use_store


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_default_store_keeps_its_euro_pages(demo):
    page = _text(Client().get("/"))
    assert 'data-store="default"' in page
    assert "19,99\xa0€" in page or "€" in page
    assert "kr" not in re.sub(r"<head>.*?</head>", "", page, flags=re.S).split('class="site-footer"')[0]


def test_se_pages_show_sek_prices_in_swedish_format(demo):
    client = Client()
    lamp = Product.objects.get(sku="DEMO-LAMP-01")
    sek = ProductPrice.objects.get(product=lamp, currency="SEK").price
    catalog = _text(client.get("/se/"))
    assert 'data-store="se"' in catalog and 'data-currency="SEK"' in catalog
    assert 'href="/se/products/demo-lamp-01/"' in catalog
    product = _text(client.get("/se/products/demo-lamp-01/"))
    assert sek == Decimal("1029.00")
    assert "1\xa0029,00\xa0kr" in product
    category = _text(client.get("/se/c/home-living/"))
    assert "kr" in category and 'href="/se/products/' in category


def test_gb_pages_show_pounds(demo):
    page = _text(Client().get("/gb/products/demo-lamp-01/"))
    gbp = ProductPrice.objects.get(product__sku="DEMO-LAMP-01", currency="GBP").price
    assert f"£{gbp:,.2f}" in page
    assert 'data-locale="en-GB"' in page


def test_us_store_hides_products_without_a_dollar_price(demo):
    assert Client().get("/us/products/demo-coffee-01/").status_code == 404
    assert "demo-coffee-01" not in _text(Client().get("/us/"))
    assert Client().get("/products/demo-coffee-01/").status_code == 200


def test_unknown_prefix_is_not_a_store(demo):
    assert Client().get("/xx/").status_code == 404


def test_guest_cart_belongs_to_the_store_of_the_page(demo):
    client = Client()
    client.post("/se/cart/add/", {"sku": "DEMO-LAMP-01", "quantity": "1"})
    client.post("/cart/add/", {"sku": "DEMO-NOTE-01", "quantity": "2"})
    se = find_store("se")
    carts = {c.store_id: c for c in Cart.objects.all()}
    assert set(carts) == {se.pk, None}
    assert [i.product.sku for i in carts[se.pk].items.all()] == ["DEMO-LAMP-01"]
    assert [i.product.sku for i in carts[None].items.all()] == ["DEMO-NOTE-01"]
    se_cart = _text(client.get("/se/cart/"))
    assert "1\xa0029,00\xa0kr" in se_cart and "Dot Grid" not in se_cart
    default_cart = _text(client.get("/cart/"))
    assert "Oak Desk Lamp" not in default_cart and "Dot Grid" in default_cart
    assert "kr" not in default_cart.split('class="site-footer"')[0]


def test_store_switcher_links_this_page_in_every_store(demo):
    page = _text(Client().get("/se/products/demo-lamp-01/"))
    switcher = page.split('class="store-switcher"')[1].split("</nav>")[0]
    assert 'href="/products/demo-lamp-01/"' in switcher
    assert 'href="/gb/products/demo-lamp-01/"' in switcher
    assert re.search(r'href="/se/products/demo-lamp-01/"[^>]*aria-current="true"', switcher)


def test_hreflang_alternates_on_catalog_product_and_category(demo):
    for path in ("/", "/se/products/demo-lamp-01/", "/gb/c/home-living/"):
        page = _text(Client().get(path))
        head = page.split("</head>")[0]
        suffix = path.split("/", 2)[2] if path.count("/") > 1 and path[1:3] in ("se", "gb") else path[1:]
        assert f'hreflang="sv-SE" href="http://testserver/se/{suffix}"' in head
        assert f'hreflang="en-GB" href="http://testserver/gb/{suffix}"' in head
        assert f'hreflang="x-default" href="http://testserver/{suffix}"' in head
    assert "hreflang" not in _text(Client().get("/cart/")).split("</head>")[0]


@pytest.mark.parametrize(
    ("code", "amount", "expected"),
    [
        ("se", Decimal("1234.56"), "1\xa0234,56\xa0kr"),
        ("gb", Decimal("1234.56"), "£1,234.56"),
        ("us", Decimal("1234.56"), "$1,234.56"),
    ],
)
def test_money_follows_the_stores_locale(demo, code, amount, expected):
    with use_store(find_store(code)):
        assert format_money(amount) == expected


def test_default_store_money_is_unchanged(demo, settings):
    assert format_money(Decimal("1234.56")) == "1.234,56\xa0€"
    with use_store(find_store("default")):
        assert format_money(Decimal("1234.56")) == "1.234,56\xa0€"
    settings.STORE_LOCALE = "de-DE"
    assert format_money(Decimal("1234.56")) == "1.234,56\xa0€"


def test_se_pages_are_in_swedish_and_the_default_store_in_english(demo):
    client = Client()
    se = client.get("/se/products/demo-lamp-01/")
    page = _text(se)
    assert '<html lang="sv">' in page and se["Content-Language"] == "sv"
    assert "Lägg i varukorgen" in page and "Add to cart" not in page
    assert ">Varukorg<" in page and "Hoppa till innehållet" in page
    client.post("/se/cart/add/", {"sku": "DEMO-LAMP-01", "quantity": "1"})
    cart = _text(client.get("/se/cart/"))
    assert "Din varukorg" in cart and "Delsumma" in cart and "Tillagd i din varukorg." in cart
    checkout = _text(client.get("/se/checkout/"))
    assert "<h1>Kassa</h1>" in checkout and "Slutför beställning" in checkout
    # A browser asking for Swedish on the default store still gets English (the store decides).
    default = _text(Client(headers={"accept-language": "sv"}).get("/products/demo-lamp-01/"))
    assert '<html lang="en">' in default and "Add to cart" in default and "Lägg i" not in default
    # The scripts' words: translated on /se/ pages, none on English ones.
    assert "Adressen är sparad." in checkout.split("data-messages=")[1].split(">")[0].replace("&quot;", '"')
    assert 'data-messages="{}"' in default
    # A market without a translation shows English pages.
    assert "Add to cart" in _text(client.get("/gb/products/demo-lamp-01/"))


def test_at_pages_are_in_german_the_default_store_stays_english(demo):
    at = _text(Client().get("/at/products/demo-lamp-01/"))
    assert '<html lang="de">' in at and "In den Warenkorb" in at and "Add to cart" not in at
    assert "Preise in EUR, inklusive MwSt." in at
    # The default store's first locale is de_DE, but its pages are as before: English.
    default = _text(Client().get("/products/demo-lamp-01/"))
    assert "Add to cart" in default and "In den Warenkorb" not in default
    head = default.split("</head>")[0]
    assert 'hreflang="de-AT" href="http://testserver/at/products/demo-lamp-01/"' in head
    assert 'hreflang="en-DE" href="http://testserver/products/demo-lamp-01/"' in head


def test_klarnas_confirmation_url_is_the_stores_page(demo, settings):
    from payments_klarna.provider import merchant_urls

    settings.SITE_URL = "https://shop.example"
    assert merchant_urls("100001", "s")["confirmation"] == "https://shop.example/checkout/success/100001/"
    with use_store(find_store("se")):
        urls = merchant_urls("100002", "s")
    assert urls["confirmation"] == "https://shop.example/se/checkout/success/100002/"
    assert urls["notification"] == "https://shop.example/klarna/notification/s/"


def test_every_storefront_page_has_its_se_twin(demo):
    client = Client()
    for path in ("/se/account/sign-in/", "/se/account/create/", "/se/cart/", "/se/checkout/", "/se/c/gifts/"):
        page = _text(client.get(path))
        assert 'data-store="se"' in page and '<html lang="sv">' in page, path
    redirect = client.get("/se")
    assert redirect.status_code == 301 and redirect["Location"] == "/se/"
