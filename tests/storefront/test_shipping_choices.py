"""Shipping and payment choices in the shopper's words: the cart's free-shipping notice (from
the totals engine), the storefront's names and delivery estimates (settings; GraphQL keeps
Magento's titles) and the Check / Money order instructions."""

import json
import re
from decimal import Decimal

import pytest

from cart.session_carts import SESSION_CART_KEY
from checkout.offline_payments import checkmo_instructions

pytestmark = pytest.mark.django_db

GRAPHQL_METHODS = """
query($cartId: String!) { cart(cart_id: $cartId) { shipping_addresses {
  available_shipping_methods { carrier_code method_code carrier_title method_title } } } }"""


@pytest.fixture
def store(tax_rates, product):  # 24-MB01 at 19.99
    return product


def add(client, sku="24-MB01", quantity=1):
    client.post("/cart/add/", {"sku": sku, "quantity": str(quantity)})


def test_cart_page_says_how_much_more_for_free_shipping(client, store, settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("52.27")
    add(client, quantity=2)  # 39.98

    page = client.get("/cart/").content.decode()

    assert "Add 12,29\xa0€ more for free shipping." in page


def test_cart_page_says_the_order_ships_free_at_the_threshold(client, store, settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("39.98")
    add(client, quantity=2)

    assert "Your order ships free." in client.get("/cart/").content.decode()
    assert client.get("/cart/free-shipping/").json() == {
        "notice": {"qualifies": True, "text": "Your order ships free."}
    }


def test_free_shipping_notice_follows_the_cart_and_is_absent_without_items(client, store, settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("100.00")
    assert client.get("/cart/free-shipping/").json() == {"notice": None}
    add(client)

    assert client.get("/cart/free-shipping/").json() == {
        "notice": {"qualifies": False, "text": "Add 80,01\xa0€ more for free shipping."}
    }


def test_checkout_page_names_methods_from_settings(client, store, settings):
    settings.SHIPPING_FLATRATE_NAME = "Parcel"
    settings.SHIPPING_FLATRATE_ESTIMATE = "Tomorrow"
    add(client)

    page = client.get("/checkout/").content.decode()

    names = json.loads(
        re.search(r'<script id="shipping-names" type="application/json">(.*?)</script>', page)[1]
    )
    assert names == {
        "flatrate|flatrate": {"name": "Parcel", "estimate": "Tomorrow"},
        "freeshipping|freeshipping": {"name": "Free delivery", "estimate": "Arrives in 2–4 business days"},
    }


def test_graphql_keeps_magentos_carrier_titles(client, store, gql, settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("10.00")
    add(client)
    cart_id = client.session[SESSION_CART_KEY]
    address = {
        "firstname": "A",
        "lastname": "B",
        "street": ["S 1"],
        "city": "Berlin",
        "postcode": "10115",
        "country_code": "DE",
        "telephone": "1",
    }
    gql.data(
        "mutation($cartId: String!, $a: CartAddressInput!) { setShippingAddressesOnCart(input: "
        "{ cart_id: $cartId, shipping_addresses: [{ address: $a }] }) { cart { id } } }",
        {"cartId": cart_id, "a": address},
    )

    data = gql.data(GRAPHQL_METHODS, {"cartId": cart_id})

    assert data["cart"]["shipping_addresses"][0]["available_shipping_methods"] == [
        {
            "carrier_code": "flatrate",
            "method_code": "flatrate",
            "carrier_title": "Flat Rate",
            "method_title": "Fixed",
        },
        {
            "carrier_code": "freeshipping",
            "method_code": "freeshipping",
            "carrier_title": "Free Shipping",
            "method_title": "Free",
        },
    ]


def test_check_instructions_come_from_settings(settings):
    settings.CHECKMO_PAYABLE_TO = "Shop GmbH"
    settings.CHECKMO_MAILING_ADDRESS = "Postfach 1\n10115 Berlin"

    assert checkmo_instructions().payable_to == "Shop GmbH"
    assert checkmo_instructions().mailing_address == "Postfach 1\n10115 Berlin"


def test_checkout_page_carries_the_check_instructions(client, store, settings):
    settings.CHECKMO_PAYABLE_TO = "Shop GmbH"
    settings.CHECKMO_MAILING_ADDRESS = "Postfach 1\n10115 Berlin"
    add(client)

    page = client.get("/checkout/").content.decode()

    assert '<template id="payment-note-checkmo">' in page
    assert "payable to <strong>Shop GmbH</strong>" in page
    assert "Postfach 1<br>10115 Berlin" in page
