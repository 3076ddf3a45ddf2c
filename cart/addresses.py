"""Address validation from ISO 3166 (pycountry): countries, regions (subdivisions) and the
fields Magento requires, with Magento's messages.

Regions are required where Klarna and carriers need them (US, CA, AU, ...); ``region`` may be
given as the subdivision code ("CA"), the full code ("US-CA"), its name ("California") or its
id as text (what Venia's guest form sends), or as ``region_id``. ``region_id`` is a stable number per subdivision (its position in the sorted
ISO 3166-2 list of the pinned pycountry release).
"""

from dataclasses import dataclass

import pycountry
from babel import Locale
from django.conf import settings

from shop.errors import DomainError
from shop.models import ADDRESS_FIELDS, address_values  # noqa: F401 - the cart's address helpers
from shop.regions import (  # noqa: F401 - the store's address rules, shared with the address book
    MAX_FIELD,
    MAX_LENGTHS,
    MAX_STREET_LINES,
    POSTCODE_OPTIONAL,
    REGION_REQUIRED,
    Region,
    allowed_countries,
    check_lengths,
    check_street_lines,
    country_name,
    is_allowed_country,
    needs_postcode,
    region_by_id,
    regions_of,
)


@dataclass(frozen=True)
class Address:
    """A validated address, ready to store on a cart or order."""

    firstname: str
    lastname: str
    company: str
    street: list
    city: str
    region_code: str
    region_label: str
    postcode: str
    country_code: str
    telephone: str


# ``Address`` holds exactly the stored fields, shop.models.ADDRESS_FIELDS (a test keeps it so).


def find_region(country: str, region: str | None, region_id: int | None) -> Region | None:
    """The region named by ``region_id`` or by the ``region`` text (code, full code, name or id
    as text); DomainError when there is none. A ``region_id`` must be one of ``country``'s
    regions and agree with the ``region`` text when both are given (Magento's
    ``QuoteAddressFactory::validateRegion``)."""
    regions = regions_of(country)
    if region_id:
        found = region_by_id(region_id)
        if found is None or found.country != country:
            if country in REGION_REQUIRED:
                raise DomainError("region_id_mismatch")
            raise DomainError("region_not_of_country")
        if region and country in REGION_REQUIRED and not _names(found, region.strip().upper(), country):
            raise DomainError("region_id_mismatch")
        return found
    if not region:
        return None
    wanted = region.strip().upper()
    for candidate in regions:
        if _names(candidate, wanted, country):
            return candidate
    # Venia's guest form sends its region select's value, the region id, as text in ``region``;
    # codes win first, as some countries' subdivision codes are numbers too.
    if wanted.isascii() and wanted.isdigit():
        found = region_by_id(int(wanted))
        if found is not None and found.country == country:
            return found
    raise DomainError("address_field_invalid", value=region, field="regionId")


def _names(region: Region, wanted: str, country: str) -> bool:
    """Whether the upper-cased text ``wanted`` is ``region``'s code, full code or name."""
    if wanted.startswith(country + "-"):
        wanted = wanted[len(country) + 1 :]
    return region.code.upper() == wanted or region.name.upper() == wanted


def _clean(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def validate_address(data: dict, *, check_allowed: bool = True) -> Address:
    """Validate a Magento ``CartAddressInput`` dict; raise DomainError with Magento's message,
    in Magento's order: the country (``Country is not available``), the region, the street
    lines, then the address's required fields and the region's value."""
    country = _clean(data.get("country_code")).upper()
    if check_allowed and (country_name(country) is None or not is_allowed_country(country)):
        raise DomainError("cart_country_not_available")
    if not country:
        raise DomainError("address_field_required", field="countryId")
    if country_name(country) is None:
        raise DomainError("address_field_invalid", value=data.get("country_code"), field="countryId")

    region_text = _clean(data.get("region"))
    region_id = data.get("region_id") if isinstance(data.get("region_id"), int) else None
    region_required = country in REGION_REQUIRED and bool(regions_of(country))
    if region_required and not region_text and not region_id:
        raise DomainError("region_required")
    region_error = None
    try:
        region = find_region(country, region_text, region_id)
    except DomainError as error:
        if error.code != "address_field_invalid":
            raise  # the region_id checks come first (Magento's QuoteAddressFactory)
        region, region_error = None, error  # an unknown region text: after the required fields

    check_street_lines(data.get("street"))
    street = [_clean(line) for line in (data.get("street") or []) if _clean(line)]
    fields = {
        "firstname": _clean(data.get("firstname")),
        "lastname": _clean(data.get("lastname")),
        "city": _clean(data.get("city")),
        "telephone": _clean(data.get("telephone")),
        "postcode": _clean(data.get("postcode")),
        "company": _clean(data.get("company")),
    }
    for name in ("firstname", "lastname"):
        if not fields[name]:
            raise DomainError("address_field_required", field=name)
    if not street:
        raise DomainError("address_field_required", field="street")
    if not fields["city"]:
        raise DomainError("address_field_required", field="city")
    if not fields["telephone"]:
        raise DomainError("address_field_required", field="telephone")
    if not fields["postcode"] and needs_postcode(country):
        raise DomainError("address_field_required", field="postcode")
    check_lengths([*fields.items(), *(("street", line) for line in street), ("region", region_text)])
    if region_error is not None and region_required:
        # Magento keeps an unknown region text as free text, then its address validator
        # finds no region_id where one is required.
        raise DomainError("address_field_required", field="regionId")
    return Address(
        firstname=fields["firstname"],
        lastname=fields["lastname"],
        company=fields["company"],
        street=street,
        city=fields["city"],
        region_code=region.code if region else "",
        region_label=region.name if region else region_text,  # free text where regions are optional
        postcode=fields["postcode"],
        country_code=country,
        telephone=fields["telephone"],
    )


# --- the store's countries (Magento's directory) -----------------------------------------------------


@dataclass(frozen=True)
class CountryInfo:
    code: str
    alpha_3: str
    name: str  # English (ISO 3166)
    name_locale: str  # in the store's language (CLDR via babel)


def _country_info(code: str) -> CountryInfo | None:

    country = pycountry.countries.get(alpha_2=code.upper()) if code and len(code) == 2 else None
    if country is None:
        return None
    locale = Locale.parse(settings.LANGUAGE_CODE, sep="-")
    return CountryInfo(
        code=country.alpha_2,
        alpha_3=country.alpha_3,
        name=country.name,
        name_locale=locale.territories.get(country.alpha_2, country.name),
    )


def store_countries() -> list[CountryInfo]:
    """The countries the store sells to, by English name."""
    found = (_country_info(code) for code in allowed_countries())
    return sorted((c for c in found if c is not None), key=lambda c: c.name)


def store_country(code: str) -> CountryInfo:
    """One country the store sells to; ``country_not_available`` for any other code."""
    country = _country_info(code)
    if country is None or not is_allowed_country(country.code):
        raise DomainError("country_not_available")
    return country
