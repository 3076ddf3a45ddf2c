"""Magento's directory queries: ``countries`` and ``country(id)`` with their regions.

The store's countries are ``cart.addresses.allowed_countries``; regions are the ISO 3166-2
subdivisions of ``cart.addresses`` with their stable ids, the same ids that address inputs
accept back as ``region_id``.
"""

import graphene

from cart import addresses
from shop.errors import DomainError


class Region(graphene.ObjectType):
    id = graphene.Int()
    code = graphene.String()
    name = graphene.String()


class Country(graphene.ObjectType):
    id = graphene.String()
    two_letter_abbreviation = graphene.String()
    three_letter_abbreviation = graphene.String()
    full_name_locale = graphene.String()
    full_name_english = graphene.String()
    available_regions = graphene.List(Region)

    # root: cart.addresses.CountryInfo
    @staticmethod
    def resolve_id(country, info):
        return country.code

    @staticmethod
    def resolve_two_letter_abbreviation(country, info):
        return country.code

    @staticmethod
    def resolve_three_letter_abbreviation(country, info):
        return country.alpha_3

    @staticmethod
    def resolve_full_name_locale(country, info):
        return country.name_locale

    @staticmethod
    def resolve_full_name_english(country, info):
        return country.name

    @staticmethod
    def resolve_available_regions(country, info):
        # Magento answers null, not an empty list, for a country without regions.
        regions = addresses.regions_of(country.code)
        return [Region(id=r.id, code=r.code, name=r.name) for r in regions] or None


class DirectoryQuery(graphene.ObjectType):
    countries = graphene.List(Country, description="The countries the store sells to.")
    country = graphene.Field(Country, id=graphene.String())

    @staticmethod
    def resolve_countries(root, info):
        return addresses.store_countries()

    @staticmethod
    def resolve_country(root, info, id=None):
        if not id:
            raise DomainError("country_id_missing")
        return addresses.store_country(id)
