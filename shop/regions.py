"""ISO 3166 countries and their top-level regions (pycountry), shared by every address: the
cart's and order's (``cart.addresses`` validates them) and the customer's address book.

``Region.id`` is a stable number per subdivision (its position in the sorted ISO 3166-2 list of
the pinned pycountry release): Magento's ``region_id``.
"""

from dataclasses import dataclass
from functools import cache

import pycountry


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
