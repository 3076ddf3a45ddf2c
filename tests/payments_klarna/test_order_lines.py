"""Cart totals -> Klarna payload: examples for both tax modes, addresses, markets, hashing."""

import pytest
from django.test import override_settings

from cart.totals import compute_totals
from payments_klarna.order_lines import (
    KlarnaMarket,
    KlarnaPayloadInvalid,
    build_payload,
    market_for,
    payload_hash,
    validate_payload,
)

from .carts import cart_info

DE = KlarnaMarket("DE", "EUR", "de-DE")
US = KlarnaMarket("US", "USD", "en-US")


def payload_for(info, market=DE):
    payload = build_payload(info, compute_totals(info), market)
    validate_payload(payload)
    return payload


def test_tax_inclusive_cart_has_gross_lines_with_tax_rate_discount_and_shipping_fee():
    info = cart_info(
        [("19.99", 2, "standard"), ("5.00", 3, "reduced")],
        rates={"standard": "19", "reduced": "7"},
        coupon=("percent", "10"),
    )

    payload = payload_for(info)

    bag, book, shipping = payload["order_lines"]
    assert bag == {
        "type": "physical",
        "reference": "SKU-0",
        "name": "Product 0",
        "quantity": 2,
        "quantity_unit": "pcs",
        "unit_price": 1999,
        "tax_rate": 1900,
        "total_amount": 3598,  # 3998 - 400
        "total_discount_amount": 400,
        "total_tax_amount": 574,  # 35.98 * 19 / 119
    }
    assert (book["unit_price"], book["total_discount_amount"], book["total_amount"], book["tax_rate"]) == (
        500,
        150,
        1350,
        700,
    )
    assert (
        shipping["type"] == "shipping_fee"
        and shipping["total_amount"] == 500
        and shipping["tax_rate"] == 1900
    )
    assert payload["order_amount"] == 3598 + 1350 + 500
    assert payload["order_tax_amount"] == sum(line["total_tax_amount"] for line in payload["order_lines"])
    assert (payload["purchase_country"], payload["purchase_currency"], payload["locale"]) == (
        "DE",
        "EUR",
        "de-DE",
    )


@override_settings(PRICES_INCLUDE_TAX=False, STORE_CURRENCY="USD")
def test_us_cart_has_untaxed_lines_and_one_sales_tax_line():
    info = cart_info([("100.00", 2, "standard")], rates={"standard": "7.25"}, country="US", region="CA")
    totals = compute_totals(info)

    payload = payload_for(info, US)

    item, shipping, sales_tax = payload["order_lines"]
    assert (item["unit_price"], item["total_amount"], item["tax_rate"], item["total_tax_amount"]) == (
        10000,
        20000,
        0,
        0,
    )
    assert (shipping["type"], shipping["total_amount"], shipping["tax_rate"]) == ("shipping_fee", 500, 0)
    assert sales_tax == {
        "type": "sales_tax",
        "reference": "sales_tax",
        "name": "Sales Tax",
        "quantity": 1,
        "unit_price": 1486,  # 7.25 % of 200.00 + 5.00
        "tax_rate": 0,
        "total_amount": 1486,
        "total_discount_amount": 0,
        "total_tax_amount": 0,
    }
    assert payload["order_tax_amount"] == 1486
    assert payload["order_amount"] == 20000 + 500 + 1486 == int(totals.grand_total * 100)


def test_addresses_are_mapped_to_klarna_fields_with_cart_email_and_company():
    info = cart_info([("10.00", 1, "standard")], rates={"standard": "19"})
    info.billing_address.company = "ACME GmbH"
    info.billing_address.street = ["Heidestraße 17", "Hinterhaus"]

    payload = payload_for(info)

    assert payload["billing_address"] == {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "email": "erika@example.com",
        "street_address": "Heidestraße 17",
        "street_address2": "Hinterhaus",
        "postal_code": "51147",
        "city": "Köln",
        "phone": "+49 221 1234567",
        "country": "DE",
        "organization_name": "ACME GmbH",
    }
    assert "region" not in payload["shipping_address"]


@override_settings(PRICES_INCLUDE_TAX=False, STORE_CURRENCY="USD")
def test_us_address_carries_the_state_code_as_region():
    info = cart_info([("10.00", 1, "standard")], rates={"standard": "4"}, country="US", region="NY")

    assert payload_for(info, US)["billing_address"]["region"] == "NY"


@pytest.mark.parametrize(
    ("country", "currency", "region", "market"),
    [
        # The store's language (English) in the purchase country: the page's own locale for DE.
        ("DE", "EUR", "eu", ("DE", "EUR", "en-DE")),
        ("AT", "EUR", "eu", ("AT", "EUR", "en-AT")),
        ("NL", "EUR", "eu", ("NL", "EUR", "en-NL")),
        ("FI", "EUR", "eu", ("FI", "EUR", "en-FI")),
        ("SE", "SEK", "eu", ("SE", "SEK", "en-SE")),
        ("GB", "GBP", "eu", ("GB", "GBP", "en-GB")),
        ("US", "USD", "na", ("US", "USD", "en-US")),
        ("SE", "EUR", "eu", None),  # Klarna serves Sweden in SEK only
        ("US", "USD", "eu", None),  # EU credentials cannot pay a US purchase
        ("BR", "EUR", "eu", None),
    ],
)
def test_market_is_derived_from_billing_country_and_store_currency(
    settings, country, currency, region, market
):
    settings.KLARNA_ENVIRONMENT = "playground"
    settings.KLARNA_REGION = region
    info = cart_info([("10.00", 1, "standard")], rates={}, country=country)

    found = market_for(info, currency)

    assert (found.as_tuple() if found else None) == market


@pytest.mark.parametrize(
    ("store_locale", "country", "locale"),
    [
        ("de-DE", "DE", "de-DE"),
        ("de-DE", "AT", "de-AT"),  # German is Austria's own language at Klarna
        ("de-DE", "FR", "fr-FR"),  # Klarna has no German in France: the country's own language
        ("en-US", "FR", "en-FR"),  # English everywhere
        ("fr-FR", "BE", "nl-BE"),  # only the table's native language besides English
    ],
)
def test_klarnas_locale_is_the_store_language_where_klarna_offers_it(settings, store_locale, country, locale):
    settings.KLARNA_ENVIRONMENT = "emulator"
    settings.STORE_LOCALE = store_locale
    info = cart_info([("10.00", 1, "standard")], rates={}, country=country)

    assert market_for(info, "EUR").locale == locale


def test_purchase_country_prefers_billing_then_shipping_then_store(settings):
    settings.KLARNA_ENVIRONMENT = "emulator"
    info = cart_info([("10.00", 1, "standard")], rates={}, country="AT")
    info.billing_address.country_code = "DE"
    assert market_for(info, "EUR").country == "DE"
    info.billing_address = None
    assert market_for(info, "EUR").country == "AT"
    info.shipping_address = None
    assert market_for(info, "EUR").country == settings.STORE_COUNTRY


def test_payload_hash_is_stable_and_changes_with_the_cart():
    first = payload_for(cart_info([("10.00", 1, "standard")], rates={"standard": "19"}))
    again = payload_for(cart_info([("10.00", 1, "standard")], rates={"standard": "19"}))
    more = payload_for(cart_info([("10.00", 2, "standard")], rates={"standard": "19"}))

    assert payload_hash(first) == payload_hash(again) == payload_hash(dict(reversed(list(first.items()))))
    assert payload_hash(first) != payload_hash(more)
    assert len(payload_hash(first)) == 64


def test_validation_reports_every_broken_klarna_rule():
    payload = payload_for(cart_info([("10.00", 1, "standard")], rates={"standard": "19"}))
    payload["order_lines"][0]["total_amount"] += 1
    payload["order_lines"][1]["total_tax_amount"] += 5

    with pytest.raises(KlarnaPayloadInvalid) as caught:
        validate_payload(payload)

    assert any("order_lines[0].total_amount" in problem for problem in caught.value.problems)
    assert any("order_lines[1].total_tax_amount" in problem for problem in caught.value.problems)


def test_validation_refuses_no_lines_and_amounts_above_klarnas_limit():
    with pytest.raises(KlarnaPayloadInvalid):
        validate_payload({"order_amount": 0, "order_tax_amount": 0, "order_lines": []})
    payload = payload_for(cart_info([("10.00", 1, "zero")], rates={"zero": "0"}, shipping=False))
    payload["order_lines"][0].update(unit_price=300_000_000, total_amount=300_000_000)
    payload["order_amount"] = 300_000_000
    with pytest.raises(KlarnaPayloadInvalid):
        validate_payload(payload)
