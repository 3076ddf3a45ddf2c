"""The root GraphQL schema, composed from each app's queries and mutations."""

import graphene

from cart.graphql.customer_carts import CustomerCartMutation, CustomerCartQuery
from cart.graphql.directory import DirectoryQuery
from cart.graphql.gift_options import GiftOptionsMutation
from cart.graphql.schema import CartMutation, CartQuery, CartUserInputError, InsufficientStockError
from cart.graphql.types import BillingCartAddress, ConfigurableCartItem, ShippingCartAddress, SimpleCartItem
from checkout.graphql.schema import CheckoutMutation
from payments_klarna.graphql.schema import KlarnaMutation
from shop.graphql.account import AccountMutation, AccountQuery
from shop.graphql.customers import CustomerMutation, CustomerQuery
from shop.graphql.schema import CatalogQuery
from shop.graphql.types import SimpleProduct


class Query(
    CatalogQuery,
    CartQuery,
    CustomerCartQuery,
    CustomerQuery,
    AccountQuery,
    DirectoryQuery,
    graphene.ObjectType,
):
    pass


class Mutation(
    CartMutation,
    CheckoutMutation,
    KlarnaMutation,
    CustomerCartMutation,
    CustomerMutation,
    AccountMutation,
    GiftOptionsMutation,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        SimpleProduct,
        SimpleCartItem,
        ConfigurableCartItem,
        ShippingCartAddress,
        BillingCartAddress,
        CartUserInputError,
        InsufficientStockError,
    ],
    auto_camelcase=False,
)
