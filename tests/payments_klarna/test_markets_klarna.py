"""Klarna per market (issue 17): purchase currency and locale from the store, purchase country
from the billing address, the store's Klarna account for every call; a billing country outside
the store is refused before Klarna is called."""

import re
from decimal import Decimal

import pytest

from checkout.models import EmailOutbox, Order
from klarna_emulator import payments as emulator
from klarna_emulator.models import EmulatorOrder, EmulatorSession
from payments_klarna.client import KlarnaError
from payments_klarna.models import KlarnaApiCall, KlarnaPayment, KlarnaSession
from payments_klarna.services import read_klarna_order
from shop.models import Product, ProductPrice, Store, TaxRate
from tests.checkout_fixtures import ADDRESS, CREATE_SESSION, SET_KLARNA

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "default": ADDRESS,  # Germany: the default store, from settings
    "at": {
        "firstname": "Anna",
        "lastname": "Huber",
        "street": ["Mariahilfer Straße 1"],
        "city": "Wien",
        "postcode": "1060",
        "country_code": "AT",
        "telephone": "+43 1 123456",
    },
    "nl": {
        "firstname": "Jan",
        "lastname": "Jansen",
        "street": ["Damrak 1"],
        "city": "Amsterdam",
        "postcode": "1012 LG",
        "country_code": "NL",
        "telephone": "+31 20 123 4567",
    },
    "fi": {
        "firstname": "Aino",
        "lastname": "Virtanen",
        "street": ["Mannerheimintie 1"],
        "city": "Helsinki",
        "postcode": "00100",
        "country_code": "FI",
        "telephone": "+358 9 123456",
    },
    "se": {
        "firstname": "Sven",
        "lastname": "Svensson",
        "street": ["Drottninggatan 1"],
        "city": "Stockholm",
        "postcode": "111 51",
        "country_code": "SE",
        "telephone": "+46 8 123456",
    },
    "gb": {
        "firstname": "Jane",
        "lastname": "Smith",
        "street": ["1 High Street"],
        "city": "London",
        "postcode": "SW1A 1AA",
        "country_code": "GB",
        "telephone": "+44 20 7946 0000",
    },
    "us": {
        "firstname": "Jane",
        "lastname": "Doe",
        "street": ["1 Market St"],
        "city": "San Francisco",
        "region": "CA",
        "postcode": "94105",
        "country_code": "US",
        "telephone": "+1 415 555 0100",
    },
}
READY = """
mutation Ready($cart: String!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: "MUG", quantity: 2}]) { user_errors { code message } }
  setGuestEmailOnCart(input: {cart_id: $cart, email: "shopper@example.com"}) { cart { email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""
PLACE = "mutation($c: String!) { placeOrder(input: {cart_id: $c}) { orderV2 { number } errors { code message } } }"

# An amount as each market's locale writes it: 1,23 € (de-DE, fi-FI) or € 1,23 (de-AT, nl-NL),
# 1,23 kr (sv-SE), £1.23 (en-GB), $1.23 (en-US).
EMAIL_MONEY = {
    "EUR": "(\\d+,\\d\\d\xa0€|€\xa0\\d+,\\d\\d)",
    "SEK": "\\d+,\\d\\d\xa0kr",
    "GBP": "£\\d+\\.\\d\\d",
    "USD": "\\$\\d+\\.\\d\\d",
}


@pytest.fixture
def markets(db, tax_rates):
    stores = {
        code: Store.objects.create(
            code=code, countries=code.upper(), currency="EUR", locales=locales, prices_include_tax=True
        )
        for code, locales in (("at", "de_AT,en_AT"), ("nl", "nl_NL,en_NL"), ("fi", "fi_FI,sv_FI,en_FI"))
    }
    stores |= {
        "se": Store.objects.create(
            code="se",
            countries="SE",
            currency="SEK",
            locales="sv_SE,en_SE",
            prices_include_tax=True,
            flatrate_price=Decimal("59"),
        ),
        "gb": Store.objects.create(
            code="gb",
            countries="GB",
            currency="GBP",
            locales="en_GB",
            prices_include_tax=True,
            flatrate_price=Decimal("4.50"),
        ),
        "us": Store.objects.create(
            code="us",
            countries="US",
            currency="USD",
            locales="en_US",
            prices_include_tax=False,
            flatrate_price=Decimal("6"),
            klarna_account="US",
        ),
    }
    TaxRate.objects.create(country="SE", tax_class="standard", rate=Decimal("25"), label="Moms")
    TaxRate.objects.create(country="NL", tax_class="standard", rate=Decimal("21"), label="BTW")
    TaxRate.objects.create(country="FI", tax_class="standard", rate=Decimal("25.5"), label="ALV")
    TaxRate.objects.create(country="GB", tax_class="standard", rate=Decimal("20"), label="VAT")
    mug = Product.objects.create(sku="MUG", name="Mug", url_key="mug", price=Decimal("14.90"), stock_qty=50)
    for currency, price in (("SEK", "179"), ("GBP", "12.99"), ("USD", "13.99")):
        ProductPrice.objects.create(product=mug, currency=currency, price=Decimal(price))
    return stores


def billing(address, email="shopper@example.com"):
    return {
        "billing_address": {
            "given_name": address["firstname"],
            "family_name": address["lastname"],
            "email": email,
            "street_address": address["street"][0],
            "postal_code": address["postcode"],
            "city": address["city"],
            "country": address["country_code"],
            "phone": address["telephone"],
            **({"region": address["region"]} if "region" in address else {}),
        }
    }


@pytest.mark.parametrize(
    ("code", "currency", "locale", "merchant", "tax_line"),
    [
        ("default", "EUR", "en-DE", "emulator-merchant", False),  # the pages are English: STORE_LOCALE en-DE
        ("at", "EUR", "de-AT", "emulator-merchant", False),
        ("nl", "EUR", "nl-NL", "emulator-merchant", False),
        ("fi", "EUR", "fi-FI", "emulator-merchant", False),
        ("se", "SEK", "sv-SE", "emulator-merchant", False),
        ("gb", "GBP", "en-GB", "emulator-merchant", False),
        ("us", "USD", "en-US", "emulator-us", True),
    ],
)
def test_klarna_checkout_in_each_market(
    gql, markets, code, currency, locale, merchant, tax_line, django_capture_on_commit_callbacks
):
    headers = {"HTTP_STORE": code}
    cart = gql.data("mutation { createGuestCart { cart { id } } }", **headers)["createGuestCart"]["cart"][
        "id"
    ]
    ready = gql.data(READY, {"cart": cart, "address": ADDRESSES[code]}, **headers)
    assert ready["addProductsToCart"]["user_errors"] == []
    categories = gql.data(CREATE_SESSION, {"c": cart}, **headers)["createKlarnaPaymentsSession"]
    assert "pay_later" in [c["identifier"] for c in categories["payment_method_categories"]]

    session = KlarnaSession.objects.get(cart__masked_id=cart, status="active")
    sent = EmulatorSession.objects.get(session_id=session.session_id)
    assert sent.merchant == merchant  # the store's Klarna account
    assert (sent.data["purchase_country"], sent.data["purchase_currency"], sent.data["locale"]) == (
        ADDRESSES[code]["country_code"],
        currency,
        locale,
    )
    sales_tax = [line for line in sent.data["order_lines"] if line["type"] == "sales_tax"]
    assert bool(sales_tax) is tax_line
    if tax_line:  # CA 7.25 % on 27.98 + 6.00 shipping
        assert sales_tax[0]["total_amount"] == 247 and sent.data["order_tax_amount"] == 247

    answer = emulator.authorize(session.session_id, "pay_later", billing(ADDRESSES[code]))
    assert answer["approved"], answer
    gql.data(
        SET_KLARNA, {"c": cart, "code": "klarna_pay_later", "token": answer["authorization_token"]}, **headers
    )
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation's sender runs
        placed = gql.data(PLACE, {"c": cart}, **headers)["placeOrder"]
    assert placed["errors"] == []
    order = Order.objects.get(number=placed["orderV2"]["number"])
    expected_store = markets[code].pk if code in markets else None  # NULL: the default store
    assert (order.store_id, order.currency) == (expected_store, currency)
    # The confirmation email writes money as the store's pages do (its locale and currency).
    email = EmailOutbox.objects.get(order=order, kind="confirmation")
    assert re.search(EMAIL_MONEY[currency], email.text_body), email.text_body
    payment = KlarnaPayment.objects.get(order=order)
    assert EmulatorOrder.objects.get(order_id=payment.klarna_order_id).merchant == merchant

    # Order management and reconcile use the same account: reading the order back works, while
    # another account's credentials get Klarna's 404.
    assert read_klarna_order(payment.klarna_order_id).order_id == payment.klarna_order_id
    other = "" if code == "us" else "US"
    with pytest.raises(KlarnaError) as refused:
        read_klarna_order(payment.klarna_order_id, account=other)
    assert refused.value.status == 404


def test_a_billing_country_outside_the_store_is_refused_before_klarna(gql, markets):
    headers = {"HTTP_STORE": "se"}
    cart = gql.data("mutation { createGuestCart { cart { id } } }", **headers)["createGuestCart"]["cart"][
        "id"
    ]
    error = gql.error(
        "mutation($c: String!, $a: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $c,"
        " billing_address: {address: $a}}) { cart { id } } }",
        {"c": cart, "a": ADDRESSES["gb"]},
        **headers,
    )
    # Magento's QuoteAddressFactory: a country the store does not allow, when the address is set.
    assert error["message"] == "Country is not available"
    assert not KlarnaApiCall.objects.exists()
    # The same address is fine in the store that sells there.
    countries = gql.data("{ countries { id } }", **headers)["countries"]
    assert [c["id"] for c in countries] == ["SE"]
