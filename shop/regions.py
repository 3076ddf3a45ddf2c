"""ISO 3166 countries and their top-level regions (pycountry), and the store's address rules
(required region, optional postcode, field lengths, countries sold to), shared by every address: the
cart's and order's (``cart.addresses`` validates them) and the customer's address book.

``Region.id`` is a stable number per subdivision (its position in the sorted ISO 3166-2 list of
the pinned pycountry release): Magento's ``region_id``.
"""

from dataclasses import dataclass
from functools import cache

import pycountry
from django.conf import settings

from .errors import DomainError
from .models import TaxRate
from .store import requested_store
from .tax_rates import rates_for


@dataclass(frozen=True)
class Region:
    id: int
    country: str
    code: str  # without country, e.g. "CA"
    name: str


@cache
def _regions() -> tuple[dict[int, Region], dict[str, list[Region]]]:
    by_id: dict[int, Region] = {}
    by_country: dict[str, list[Region]] = {}
    subdivisions = sorted(pycountry.subdivisions, key=lambda s: s.code)
    for index, sub in enumerate(subdivisions, start=1):
        if getattr(sub, "parent_code", None):
            continue  # only top-level regions (states, Länder, provinces)
        country, _, code = sub.code.partition("-")
        region = Region(id=index, country=country, code=code, name=sub.name)
        by_id[index] = region
        by_country.setdefault(country, []).append(region)
    for regions in by_country.values():
        regions.sort(key=lambda r: r.name)
    return by_id, by_country


def country_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code.upper()) if code and len(code) == 2 else None
    return country.name if country else None


def regions_of(country: str) -> list[Region]:
    return _regions()[1].get(country.upper(), [])


def region_by_id(region_id: int) -> Region | None:
    return _regions()[0].get(region_id)


def region_id_of(country: str, region_code: str) -> int | None:
    """The stable id of ``country``'s region ``region_code`` (Magento's ``region_id``); None for
    a free-text or empty region."""
    if not region_code:
        return None
    return next((r.id for r in regions_of(country) if r.code == region_code), None)


# --- the store's address rules (cart, order and address-book addresses) ---------------------------

# Countries whose addresses must carry a region: Klarna requires it for US and AU, carriers
# for CA. Elsewhere a region is optional free text.
REGION_REQUIRED = {"US", "CA", "AU"}
# Countries whose addresses need no postcode.
POSTCODE_OPTIONAL = {"HK", "IE", "MO", "PA", "AE", "QA"}
MAX_STREET_LINES = 2
MAX_FIELD = 255
# Columns narrower than MAX_FIELD (CartAddress, CustomerAddress): longer input is refused
# here, not by the database (PostgreSQL raises DataError, SQLite would store it).
MAX_LENGTHS = {"postcode": 32, "telephone": 64}


def check_street_lines(street_input) -> None:
    """Magento's limit on street lines (counted as sent, blank lines too)."""
    if len(street_input or []) > MAX_STREET_LINES:
        raise DomainError(
            "invalid_input", message=f'"Street Address" cannot contain more than {MAX_STREET_LINES} lines.'
        )


def needs_postcode(country: str) -> bool:
    return country not in POSTCODE_OPTIONAL


def check_lengths(values, limits=MAX_LENGTHS) -> None:
    """``values``: (field, text) pairs; a text longer than its column is refused, naming it."""
    for name, value in values:
        if isinstance(value, str) and len(value) > limits.get(name, MAX_FIELD):
            raise DomainError("address_field_invalid", value=value[:20] + "…", field=name)


def allowed_countries() -> list[str]:
    """Countries the store sells to: a market's own countries (the request's store, not the
    default one); for the default store ALLOWED_COUNTRIES, else every country with tax rates."""
    market = requested_store()  # the request's store, no query; None outside a request
    if market is not None and not market.is_default:
        return list(market.countries)
    if settings.ALLOWED_COUNTRIES:
        return list(settings.ALLOWED_COUNTRIES)
    return sorted(set(TaxRate.objects.order_by().values_list("country", flat=True)))


def is_allowed_country(country: str) -> bool:
    """Whether the store sells to ``country``: one indexed lookup, not a scan of every rate. A
    market (not the default store) sells to its own countries only, so an address (and Klarna's
    purchase country, the billing country) outside them is refused before Klarna is called."""
    market = requested_store()  # the request's store, no query; None outside a request
    if market is not None and not market.is_default:
        return country in market.countries
    if settings.ALLOWED_COUNTRIES:
        return country in settings.ALLOWED_COUNTRIES
    return bool(rates_for(country))
