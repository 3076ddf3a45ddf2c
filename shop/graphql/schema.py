"""Catalog queries: ``products``."""

import graphene

from .types import ProductInterface


class CatalogQuery(graphene.ObjectType):
    pass


__all__ = ["CatalogQuery", "ProductInterface"]
