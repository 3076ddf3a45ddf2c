"""Domain errors at the GraphQL edge: a ``DomainError`` becomes a ``GraphQLError`` with
Magento's message and ``extensions.category`` from the one table (``shop.error_messages``)."""

from graphql import GraphQLError

from .error_messages import category_for, message_for
from .errors import DomainError

__all__ = ["PLACE_ORDER_ERROR_CODES", "category_for", "message_for", "place_order_error", "to_graphql_error"]

# placeOrder: message -> PlaceOrderErrorCodes (Magento's ErrorMapper matches on the message).
PLACE_ORDER_ERROR_CODES = {
    "cart_not_found": "CART_NOT_FOUND",
    "cart_not_active": "CART_NOT_ACTIVE",
    "place_guest_email_missing": "GUEST_EMAIL_MISSING",
    "place_empty_cart": "UNABLE_TO_PLACE_ORDER",
    "place_shipping_address_missing": "UNABLE_TO_PLACE_ORDER",
    "place_shipping_method_missing": "UNABLE_TO_PLACE_ORDER",
    "place_billing_address_missing": "UNABLE_TO_PLACE_ORDER",
    "place_payment_missing": "UNABLE_TO_PLACE_ORDER",
    "place_out_of_stock": "UNABLE_TO_PLACE_ORDER",
}

# The preconditions of the order itself read "Unable to place order: …" (Magento's PlaceOrderTest);
# the cart lookup and guest email checks come before it and keep their own words. Payment
# failures (place_failed, Klarna) keep their message: no Magento test shows their form.
_PREFIXED = {
    code for code, error_code in PLACE_ORDER_ERROR_CODES.items() if error_code == "UNABLE_TO_PLACE_ORDER"
}


def to_graphql_error(error: DomainError, **extensions) -> GraphQLError:
    """The GraphQL error a resolver raises for a domain error."""
    return GraphQLError(message_for(error), extensions={"category": category_for(error), **extensions})


def place_order_error(error: DomainError) -> GraphQLError:
    """placeOrder's top-level error for ``error`` with ``extensions.error_code`` (Magento 2.4.9)."""
    error_code = PLACE_ORDER_ERROR_CODES.get(error.code, "UNDEFINED")
    if error.code in _PREFIXED:
        error = DomainError("place_unable", message=message_for(error))
    return to_graphql_error(error, error_code=error_code)
