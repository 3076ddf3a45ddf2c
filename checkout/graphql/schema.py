"""placeOrder, Magento 2.4.9 style: failures are top-level errors with
``extensions.error_code`` (PlaceOrderErrorCodes); success returns order, orderV2 and an empty
``errors`` list."""

import graphene

from cart.graphql.schema import current_customer
from checkout.place_order import place_order
from shop.errors import DomainError
from shop.graphql_errors import place_order_error

from .types import CustomerOrder, Order


class PlaceOrderErrorCodes(graphene.Enum):
    CART_NOT_FOUND = "CART_NOT_FOUND"
    CART_NOT_ACTIVE = "CART_NOT_ACTIVE"
    GUEST_EMAIL_MISSING = "GUEST_EMAIL_MISSING"
    UNABLE_TO_PLACE_ORDER = "UNABLE_TO_PLACE_ORDER"
    UNDEFINED = "UNDEFINED"


class PlaceOrderError(graphene.ObjectType):
    code = graphene.Field(PlaceOrderErrorCodes, required=True)
    message = graphene.String(required=True)


class PlaceOrderInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)


class PlaceOrderOutput(graphene.ObjectType):
    order = graphene.Field(Order, deprecation_reason="Use `orderV2` instead.")
    orderV2 = graphene.Field(CustomerOrder)
    errors = graphene.List(PlaceOrderError)


# Errors that are about who is asking or what was sent, not about the order: no error_code.
_WITHOUT_ERROR_CODE = {"cart_not_owned", "required_parameter", "customer_not_authorized"}


class CheckoutMutation(graphene.ObjectType):
    placeOrder = graphene.Field(PlaceOrderOutput, input=PlaceOrderInput())

    @staticmethod
    def resolve_placeOrder(root, info, input=None):
        cart_id = (input or {}).get("cart_id")
        try:
            order = place_order(cart_id, current_customer(info))
        except DomainError as error:
            if error.code in _WITHOUT_ERROR_CODE:
                raise
            raise place_order_error(error) from error
        return PlaceOrderOutput(order=order, orderV2=order, errors=[])
