"""setGuestEmailOnCart, setShippingAddressesOnCart and setBillingAddressOnCart."""

import pytest
from django.test import override_settings

from cart.addresses import regions_of
from cart.models import CartAddress

from .conftest import ADDRESS_DE, ADDRESS_US_CA

EMAIL = """
mutation($cartId: String!, $email: String!) {
  setGuestEmailOnCart(input: {cart_id: $cartId, email: $email}) { cart { email } }
}"""

SHIPPING = """
mutation($cartId: String!, $addresses: [ShippingAddressInput]!) {
  setShippingAddressesOnCart(input: {cart_id: $cartId, shipping_addresses: $addresses}) {
    cart {
      shipping_addresses {
        firstname lastname company street city postcode telephone customer_notes same_as_billing
        region { code label region_id } country { code label }
        available_shipping_methods { carrier_code method_code carrier_title method_title available
                                     amount { currency value } }
      }
    }
  }
}"""

BILLING = """
mutation($cartId: String!, $billing: BillingAddressInput!) {
  setBillingAddressOnCart(input: {cart_id: $cartId, billing_address: $billing}) {
    cart {
      billing_address { firstname lastname street city postcode region { code label region_id } country { code label } }
      shipping_addresses { firstname city same_as_billing }
    }
  }
}"""


def ship(gql, cart_id, address, **entry):
    return gql.post(SHIPPING, {"cartId": cart_id, "addresses": [{"address": address, **entry}]})


def shipping_of(result):
    assert "errors" not in result, result["errors"]
    return result["data"]["setShippingAddressesOnCart"]["cart"]["shipping_addresses"]


def only_error(result):
    assert len(result.get("errors", [])) == 1, result
    return result["errors"][0]


# --- guest email ----------------------------------------------------------------------------------


def test_set_guest_email_stores_it(gql, carts):
    cart_id = carts.create()

    data = gql.data(EMAIL, {"cartId": cart_id, "email": "shopper@example.com"})

    assert data == {"setGuestEmailOnCart": {"cart": {"email": "shopper@example.com"}}}


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@example.com", "a b@example.com"])
def test_set_guest_email_rejects_invalid_format(gql, carts, email):
    cart_id = carts.create()

    error = gql.error(EMAIL, {"cartId": cart_id, "email": email})

    assert error["message"] == "Invalid email format"
    assert error["extensions"] == {"category": "graphql-input"}


def test_set_guest_email_missing_is_required_parameter(gql, carts):
    cart_id = carts.create()

    error = gql.error(EMAIL, {"cartId": cart_id, "email": ""})

    assert error["message"] == 'Required parameter "email" is missing'
    assert error["extensions"] == {"category": "graphql-input"}


def test_set_guest_email_checks_email_before_cart_like_magento(gql, db):
    error = gql.error(EMAIL, {"cartId": "unknown", "email": "bad"})

    assert error["message"] == "Invalid email format"


def test_set_guest_email_without_cart_id_is_required_parameter(gql, db):
    error = gql.error(EMAIL, {"cartId": "", "email": "a@example.com"})

    assert error["message"] == 'Required parameter "cart_id" is missing'


# --- shipping address -----------------------------------------------------------------------------


def test_set_shipping_address_returns_it_with_methods(gql, carts, product, tax_rates):
    cart_id = carts.create()
    carts.add(cart_id, "24-MB01", 1)

    [address] = shipping_of(
        ship(gql, cart_id, {**ADDRESS_DE, "company": "ACME"}, customer_notes="Ring twice")
    )

    assert address == {
        "firstname": "Erika",
        "lastname": "Mustermann",
        "company": "ACME",
        "street": ["Hauptstraße 1"],
        "city": "Berlin",
        "postcode": "10115",
        "telephone": "+49301234567",
        "customer_notes": "Ring twice",
        "same_as_billing": False,
        "region": {"code": None, "label": None, "region_id": None},
        "country": {"code": "DE", "label": "Germany"},
        "available_shipping_methods": [
            {
                "carrier_code": "flatrate",
                "method_code": "flatrate",
                "carrier_title": "Flat Rate",
                "method_title": "Fixed",
                "available": True,
                "amount": {"currency": "EUR", "value": 5.0},
            }
        ],
    }


def test_set_shipping_address_offers_free_shipping_at_threshold(gql, carts, make_product, tax_rates):
    make_product(sku="HUNDRED", price="100.00")
    cart_id = carts.create()
    carts.add(cart_id, "HUNDRED", 1)

    [address] = shipping_of(ship(gql, cart_id, ADDRESS_DE))

    assert [(m["carrier_code"], m["amount"]["value"]) for m in address["available_shipping_methods"]] == [
        ("flatrate", 5.0),
        ("freeshipping", 0.0),
    ]


def test_shipping_address_for_us_state_by_code(gql, carts, tax_rates):
    cart_id = carts.create()

    [address] = shipping_of(ship(gql, cart_id, ADDRESS_US_CA))

    california = next(r for r in regions_of("US") if r.code == "CA")
    assert address["region"] == {"code": "CA", "label": "California", "region_id": california.id}
    assert address["country"] == {"code": "US", "label": "United States"}
    assert address["street"] == ["1 Market St", "Suite 2"]


def test_shipping_address_region_by_name_and_by_region_id(gql, carts, tax_rates):
    cart_id = carts.create()
    new_york = next(r for r in regions_of("US") if r.code == "NY")

    by_name = shipping_of(ship(gql, cart_id, {**ADDRESS_US_CA, "region": "New York"}))[0]["region"]
    by_full_code = shipping_of(ship(gql, cart_id, {**ADDRESS_US_CA, "region": "us-ny"}))[0]["region"]
    without_region = {k: v for k, v in ADDRESS_US_CA.items() if k != "region"}
    by_id = shipping_of(ship(gql, cart_id, {**without_region, "region_id": new_york.id}))[0]["region"]

    expected = {"code": "NY", "label": "New York", "region_id": new_york.id}
    assert by_name == by_full_code == by_id == expected


def test_region_id_sent_as_text_in_region_as_venias_guest_form_does(gql, carts, tax_rates):
    cart_id = carts.create()
    new_york = next(r for r in regions_of("US") if r.code == "NY")
    bavaria = next(r for r in regions_of("DE") if r.code == "BY")

    by_id_text = shipping_of(ship(gql, cart_id, {**ADDRESS_US_CA, "region": str(new_york.id)}))[0]["region"]
    error = only_error(ship(gql, cart_id, {**ADDRESS_US_CA, "region": str(bavaria.id)}))

    assert by_id_text == {"code": "NY", "label": "New York", "region_id": new_york.id}
    # Magento keeps an unknown region text, then finds no region_id where one is required.
    assert error["message"] == '"regionId" is required. Enter and try again.'


def test_numeric_region_codes_win_over_region_ids(gql, carts, tax_rates):
    cart_id = carts.create()
    vienna = next(r for r in regions_of("AT") if r.code == "9")
    address = {**ADDRESS_DE, "country_code": "AT", "city": "Wien", "postcode": "1010"}

    region = shipping_of(ship(gql, cart_id, {**address, "region": "9"}))[0]["region"]

    assert region == {"code": "9", "label": vienna.name, "region_id": vienna.id}
    assert vienna.id != 9


def test_us_address_without_state_requires_region(gql, carts, tax_rates):
    cart_id = carts.create()
    address = {k: v for k, v in ADDRESS_US_CA.items() if k != "region"}

    error = only_error(ship(gql, cart_id, address))

    # Magento's QuoteAddressFactory checks the region before the address's own validation.
    assert error["message"] == "Region is required."
    assert error["extensions"] == {"category": "graphql-input"}
    assert not CartAddress.objects.exists()


def test_us_address_with_unknown_state_is_invalid(gql, carts, tax_rates):
    cart_id = carts.create()

    error = only_error(ship(gql, cart_id, {**ADDRESS_US_CA, "region": "Atlantis"}))

    # Magento keeps an unknown region text, then finds no region_id where one is required.
    assert error["message"] == '"regionId" is required. Enter and try again.'


def test_region_id_of_another_country_is_invalid(gql, carts, tax_rates):
    cart_id = carts.create()
    bavaria = next(r for r in regions_of("DE") if r.code == "BY")
    address = {k: v for k, v in ADDRESS_US_CA.items() if k != "region"}

    error = only_error(ship(gql, cart_id, {**address, "region_id": bavaria.id}))

    assert error["message"] == "The region_id does not match the selected country or region"


def test_unknown_country_is_invalid(gql, carts, tax_rates):
    cart_id = carts.create()

    error = only_error(ship(gql, cart_id, {**ADDRESS_DE, "country_code": "XX"}))

    assert error["message"] == "Country is not available"
    assert error["extensions"] == {"category": "graphql-input"}


def test_country_the_store_does_not_sell_to_is_refused(gql, carts, tax_rates):
    cart_id = carts.create()

    error = only_error(ship(gql, cart_id, {**ADDRESS_DE, "country_code": "FR"}))

    assert error["message"] == "Country is not available"  # Magento's QuoteAddressFactory


@override_settings(ALLOWED_COUNTRIES=["FR"])
def test_allowed_countries_setting_wins_over_tax_rates(gql, carts, tax_rates):
    cart_id = carts.create()

    [address] = shipping_of(ship(gql, cart_id, {**ADDRESS_DE, "country_code": "fr"}))

    assert address["country"] == {"code": "FR", "label": "France"}


def test_more_than_two_street_lines_is_refused(gql, carts, tax_rates):
    cart_id = carts.create()

    error = only_error(ship(gql, cart_id, {**ADDRESS_DE, "street": ["a", "b", "c"]}))

    assert error["message"] == '"Street Address" cannot contain more than 2 lines.'
    assert error["extensions"] == {"category": "graphql-input"}


@pytest.mark.parametrize(
    ("field", "name"),
    [("firstname", "firstname"), ("city", "city"), ("telephone", "telephone"), ("postcode", "postcode")],
)
def test_blank_required_address_field_is_refused(gql, carts, tax_rates, field, name):
    cart_id = carts.create()

    error = only_error(ship(gql, cart_id, {**ADDRESS_DE, field: "  "}))

    assert error["message"] == f'"{name}" is required. Enter and try again.'


def test_missing_required_address_field_is_a_schema_error(gql, carts, tax_rates):
    cart_id = carts.create()
    address = {k: v for k, v in ADDRESS_DE.items() if k != "firstname"}

    result = ship(gql, cart_id, address)

    assert "firstname" in only_error(result)["message"]
    assert not CartAddress.objects.exists()


def test_multiple_shipping_addresses_are_refused(gql, carts, tax_rates):
    cart_id = carts.create()

    result = gql.post(
        SHIPPING, {"cartId": cart_id, "addresses": [{"address": ADDRESS_DE}, {"address": ADDRESS_DE}]}
    )

    assert only_error(result)["message"] == "You cannot specify multiple shipping addresses."


def test_shipping_address_without_address_or_id_is_refused(gql, carts, tax_rates):
    cart_id = carts.create()

    result = gql.post(SHIPPING, {"cartId": cart_id, "addresses": [{"customer_notes": "x"}]})

    assert (
        only_error(result)["message"]
        == 'The shipping address must contain either "customer_address_id" or "address".'
    )


def test_empty_shipping_addresses_is_missing_parameter(gql, carts):
    cart_id = carts.create()

    result = gql.post(SHIPPING, {"cartId": cart_id, "addresses": []})

    assert only_error(result)["message"] == 'Required parameter "shipping_addresses" is missing'


def test_replacing_the_shipping_address_keeps_one(gql, carts, tax_rates):
    cart_id = carts.create()
    ship(gql, cart_id, ADDRESS_DE)

    [address] = shipping_of(ship(gql, cart_id, {**ADDRESS_DE, "city": "Hamburg", "postcode": "20095"}))

    assert address["city"] == "Hamburg"
    assert CartAddress.objects.count() == 1


# --- billing address ------------------------------------------------------------------------------


def test_set_billing_address_from_address(gql, carts, tax_rates):
    cart_id = carts.create()

    cart = gql.data(BILLING, {"cartId": cart_id, "billing": {"address": ADDRESS_US_CA}})[
        "setBillingAddressOnCart"
    ]["cart"]

    assert cart["billing_address"]["city"] == "San Francisco"
    assert cart["billing_address"]["region"]["code"] == "CA"
    assert cart["shipping_addresses"] == []


def test_billing_same_as_shipping_copies_the_shipping_address(gql, carts, tax_rates):
    cart_id = carts.create()
    ship(gql, cart_id, ADDRESS_DE)

    cart = gql.data(BILLING, {"cartId": cart_id, "billing": {"same_as_shipping": True}})[
        "setBillingAddressOnCart"
    ]["cart"]

    assert cart["billing_address"] == {
        "firstname": "Erika",
        "lastname": "Mustermann",
        "street": ["Hauptstraße 1"],
        "city": "Berlin",
        "postcode": "10115",
        "region": {"code": None, "label": None, "region_id": None},
        "country": {"code": "DE", "label": "Germany"},
    }
    assert cart["shipping_addresses"] == [{"firstname": "Erika", "city": "Berlin", "same_as_billing": True}]


def test_billing_same_as_shipping_without_shipping_address_is_refused(gql, carts):
    cart_id = carts.create()

    error = gql.error(BILLING, {"cartId": cart_id, "billing": {"same_as_shipping": True}})

    assert (
        error["message"]
        == 'Could not use the "same_as_shipping" option, because the shipping address has not been set.'
    )
    assert error["extensions"] == {"category": "graphql-input"}


def test_billing_use_for_shipping_sets_both_addresses(gql, carts, tax_rates):
    cart_id = carts.create()

    cart = gql.data(
        BILLING, {"cartId": cart_id, "billing": {"address": ADDRESS_DE, "use_for_shipping": True}}
    )["setBillingAddressOnCart"]["cart"]

    assert cart["billing_address"]["city"] == "Berlin"
    assert cart["shipping_addresses"] == [{"firstname": "Erika", "city": "Berlin", "same_as_billing": True}]


def test_billing_use_for_shipping_without_address_is_refused(gql, carts, tax_rates):
    """Magento 2.4 (SetBillingAddressOnCartTest::testSetNewBillingAddressWithoutCustomerAddressIdAndAddress):
    ``use_for_shipping`` sends the given address to shipping too; only ``same_as_shipping`` copies
    the shipping address."""
    cart_id = carts.create()
    ship(gql, cart_id, ADDRESS_DE)

    error = gql.error(BILLING, {"cartId": cart_id, "billing": {"use_for_shipping": True}})

    assert (
        error["message"]
        == 'The billing address must contain either "customer_address_id", "address", or "same_as_shipping".'
    )
    copied = gql.data(BILLING, {"cartId": cart_id, "billing": {"same_as_shipping": True}})
    assert copied["setBillingAddressOnCart"]["cart"]["billing_address"]["city"] == "Berlin"


def test_billing_with_neither_address_nor_flag_is_refused(gql, carts):
    cart_id = carts.create()

    error = gql.error(BILLING, {"cartId": cart_id, "billing": {}})

    assert (
        error["message"]
        == 'The billing address must contain either "customer_address_id", "address", or "same_as_shipping".'
    )
    assert error["extensions"] == {"category": "graphql-input"}


def test_billing_with_both_address_and_customer_address_is_refused(gql, carts, tax_rates):
    cart_id = carts.create()

    error = gql.error(
        BILLING, {"cartId": cart_id, "billing": {"address": ADDRESS_DE, "customer_address_id": 1}}
    )

    assert (
        error["message"]
        == 'The billing address cannot contain "customer_address_id" and "address" at the same time.'
    )
    assert error["extensions"] == {"category": "graphql-input"}


def test_billing_address_is_validated_like_shipping(gql, carts, tax_rates):
    cart_id = carts.create()
    address = {k: v for k, v in ADDRESS_US_CA.items() if k != "region"}

    error = gql.error(BILLING, {"cartId": cart_id, "billing": {"address": address}})

    assert error["message"] == "Region is required."
