"""One list of address fields: the abstract address model, the validated ``Address`` and every
table that stores an address agree on it."""

from dataclasses import fields

from cart.addresses import Address
from cart.models import CartAddress
from checkout.models import OrderAddress
from shop.models import ADDRESS_FIELDS, CustomerAddress, address_values


def test_the_validated_address_holds_exactly_the_stored_fields():
    assert tuple(field.name for field in fields(Address)) == ADDRESS_FIELDS


def test_cart_order_and_address_book_addresses_share_the_abstract_fields():
    for model in (CartAddress, OrderAddress, CustomerAddress):
        stored = {field.name: field for field in model._meta.fields}
        assert set(ADDRESS_FIELDS) <= set(stored), model
        assert [stored[name].max_length for name in ADDRESS_FIELDS] == [
            255,
            255,
            255,
            None,
            255,
            8,
            255,
            32,
            2,
            64,
        ], model


def test_address_values_copies_the_street_list():
    street = ["Hauptstraße 1", "Hinterhaus"]
    source = CartAddress(
        firstname="Erika", lastname="M", street=street, city="Berlin", country_code="DE", postcode="10115"
    )

    values = address_values(source)

    assert list(values) == list(ADDRESS_FIELDS)
    assert values["street"] == street and values["street"] is not street
