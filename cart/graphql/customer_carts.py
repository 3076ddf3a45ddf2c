"""customerCart, mergeCarts and assignCustomerToGuestCart: the carts of signed-in customers.
Resolvers read input, call ``cart.customer_carts`` and return the cart view."""

import graphene

from cart import customer_carts
from shop.errors import DomainError

from .schema import current_customer
from .types import Cart
from .view import cart_view


class CustomerCartQuery(graphene.ObjectType):
    customerCart = graphene.Field(Cart, required=True)

    @staticmethod
    def resolve_customerCart(root, info):
        customer = current_customer(info)
        if customer is None:
            raise DomainError("customer_required")
        return cart_view(info, customer_carts.customer_cart(customer))


class CustomerCartMutation(graphene.ObjectType):
    mergeCarts = graphene.Field(
        Cart,
        required=True,
        source_cart_id=graphene.String(required=True),
        destination_cart_id=graphene.String(),
    )
    assignCustomerToGuestCart = graphene.Field(Cart, required=True, cart_id=graphene.String(required=True))

    @staticmethod
    def resolve_mergeCarts(root, info, source_cart_id, destination_cart_id=None):
        cart = customer_carts.merge_carts(source_cart_id, destination_cart_id, current_customer(info))
        return cart_view(info, cart)

    @staticmethod
    def resolve_assignCustomerToGuestCart(root, info, cart_id):
        customer = current_customer(info)
        if customer is None:
            raise DomainError("customer_not_authorized")
        if not cart_id:
            raise DomainError("required_parameter", name="cart_id")
        return cart_view(info, customer_carts.assign_customer_to_guest_cart(cart_id, customer))
