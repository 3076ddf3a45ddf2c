"""``Customer.orders`` (Magento's ``CustomerOrders``): checkout's field on shop's ``Customer``
type, added by the root schema (``shop.schema``) the way Magento's sales module extends
``type Customer``."""

import graphene

from shop.graphql.types import SearchResultPageInfo, page_info

from ..customer_orders import customer_orders
from .types import CustomerOrder


class CustomerOrders(graphene.ObjectType):
    items = graphene.List(CustomerOrder, required=True)
    page_info = graphene.Field(SearchResultPageInfo)
    total_count = graphene.Int()

    @staticmethod
    def resolve_items(page, info):
        return page.items

    @staticmethod
    def resolve_page_info(page, info):
        return page_info(page)


class FilterStringTypeInput(graphene.InputObjectType):
    eq = graphene.String()
    in_ = graphene.List(graphene.String, name="in")
    match = graphene.String()


class CustomerOrdersFilterInput(graphene.InputObjectType):
    number = graphene.Field(FilterStringTypeInput)


def resolve_orders(user, info, filter=None, currentPage=1, pageSize=20):
    number = (filter or {}).get("number") or {}
    numbers = None
    if number.get("eq") is not None:
        numbers = [number["eq"]]
    elif number.get("in_") is not None:
        numbers = [n for n in number["in_"] if n is not None]
    return customer_orders(
        user,
        current_page=currentPage,
        page_size=pageSize,
        numbers=numbers,
        number_match=number.get("match"),
    )


def orders_field() -> graphene.Field:
    return graphene.Field(
        CustomerOrders,
        filter=CustomerOrdersFilterInput(),
        currentPage=graphene.Int(default_value=1),
        pageSize=graphene.Int(default_value=20),
        resolver=resolve_orders,
    )
