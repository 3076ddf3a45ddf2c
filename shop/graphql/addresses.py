"""A stored address (a cart's, an order's or an address book's) -> the values of Magento's
GraphQL address fields. One table for every address type; each type's ``default_resolver``
reads it, so a field is mapped once whichever type shows it."""

from collections.abc import Callable

from graphene.types.resolver import dict_or_attr_resolver

from shop.regions import country_name, region_id_of


def region_id(address) -> int | None:
    """The ISO 3166-2 region's stable id (``shop.regions``), None for free-text regions."""
    return region_id_of(address.country_code, address.region_code)


# GraphQL field name -> value, from the stored address. Magento answers null for an empty
# optional field.
ADDRESS_OUTPUT: dict[str, Callable] = {
    "firstname": lambda address: address.firstname,
    "lastname": lambda address: address.lastname,
    "company": lambda address: address.company or None,
    "street": lambda address: list(address.street),
    "city": lambda address: address.city,
    "region_code": lambda address: address.region_code or None,
    "region_label": lambda address: address.region_label or None,
    "region_id": region_id,
    "postcode": lambda address: address.postcode or None,
    "country_code": lambda address: address.country_code,
    "country_label": lambda address: country_name(address.country_code) or address.country_code,
    "telephone": lambda address: address.telephone or None,
}


def address_value(address, name: str):
    return ADDRESS_OUTPUT[name](address)


def resolve_address_field(attname, default_value, root, info, **args):
    """``default_resolver`` of the address types: a field of ``ADDRESS_OUTPUT`` from the table,
    any other from the root. A cart address's root is ``(CartView, CartAddress)``."""
    address = root[1] if isinstance(root, tuple) else root
    getter = ADDRESS_OUTPUT.get(attname)
    if getter is not None:
        return getter(address)
    return dict_or_attr_resolver(attname, default_value, address, info, **args)
