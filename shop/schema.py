"""The root GraphQL schema, composed from each app's queries, mutations and type extensions
(the project's wiring: the one module of shop that imports the apps above it, with shop.urls
and shop.settings)."""

import graphene

from cart.graphql.configurable import ConfigurableCartMutation
from cart.graphql.customer_carts import CustomerCartMutation, CustomerCartQuery
from cart.graphql.directory import DirectoryQuery
from cart.graphql.gift_options import GiftOptionsMutation
from cart.graphql.schema import CartMutation, CartQuery, CartUserInputError, InsufficientStockError
from cart.graphql.store_config import store_config_fields as cart_store_config_fields
from cart.graphql.types import BillingCartAddress, ConfigurableCartItem, ShippingCartAddress, SimpleCartItem
from checkout.graphql.customer_orders import orders_field
from checkout.graphql.schema import CheckoutMutation
from checkout.graphql.types import CustomerOrder
from payments_klarna.graphql.invoices import invoices_field
from payments_klarna.graphql.schema import KlarnaMutation
from shop.graphql.account import AccountMutation, AccountQuery
from shop.graphql.categories import CategoryQuery, CategoryTree
from shop.graphql.cms import CmsPage, CmsQuery, ContactMutation
from shop.graphql.configurable import SWATCH_TYPES, ConfigurableProduct
from shop.graphql.custom_attributes import CUSTOM_ATTRIBUTE_TYPES
from shop.graphql.customers import Customer, CustomerMutation, CustomerQuery
from shop.graphql.extend import extend_type
from shop.graphql.routing import RoutingQuery
from shop.graphql.schema import CatalogQuery
from shop.graphql.store import StoreConfig, StoreQuery
from shop.graphql.types import SimpleProduct

extend_type(Customer, orders=orders_field())
extend_type(CustomerOrder, invoices=invoices_field())
extend_type(StoreConfig, **cart_store_config_fields())


class Query(
    CatalogQuery,
    CategoryQuery,
    CartQuery,
    CustomerCartQuery,
    CustomerQuery,
    AccountQuery,
    DirectoryQuery,
    StoreQuery,
    CmsQuery,
    RoutingQuery,
    graphene.ObjectType,
):
    pass


class Mutation(
    CartMutation,
    ConfigurableCartMutation,
    CheckoutMutation,
    KlarnaMutation,
    CustomerCartMutation,
    CustomerMutation,
    AccountMutation,
    GiftOptionsMutation,
    ContactMutation,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        SimpleProduct,
        ConfigurableProduct,
        *SWATCH_TYPES,
        *CUSTOM_ATTRIBUTE_TYPES,
        CategoryTree,
        CmsPage,
        SimpleCartItem,
        ConfigurableCartItem,
        ShippingCartAddress,
        BillingCartAddress,
        CartUserInputError,
        InsufficientStockError,
    ],
    auto_camelcase=False,
)
