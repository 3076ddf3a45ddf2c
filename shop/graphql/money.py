"""Magento's ``Money`` type. The only place a Decimal becomes a float (``Money.value``)."""

from decimal import Decimal

import graphene
from babel.numbers import list_currencies

# CurrencyEnum: ISO 4217 codes, as in Magento.
CurrencyEnum = graphene.Enum("CurrencyEnum", [(code, code) for code in sorted(list_currencies())])


class Money(graphene.ObjectType):
    """A monetary value, including a numeric value and a currency code."""

    value = graphene.Float(description="A number expressing a monetary value.")
    currency = graphene.Field(CurrencyEnum, description="A three-letter currency code, such as USD or EUR.")

    @staticmethod
    def resolve_value(root, info):
        return float(root[0])

    @staticmethod
    def resolve_currency(root, info):
        return root[1]


def money(amount: Decimal, currency: str):
    """Value for a ``Money`` field: resolved lazily from an exact (amount, currency) pair."""
    return (amount, currency)
