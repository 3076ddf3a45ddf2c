"""Gift options on the cart (Magento Open Source gift messages): the ``GiftMessage`` type read
by ``Cart.gift_message`` and ``CustomerOrder.gift_message``, and ``setGiftOptionsOnCart``."""

import graphene

from cart import services
from shop.errors import DomainError


class GiftMessage(graphene.ObjectType):
    to = graphene.String(required=True)
    from_ = graphene.String(required=True, name="from")
    message = graphene.String(required=True)

    # root: cart.services.GiftMessage
    @staticmethod
    def resolve_to(gift, info):
        return gift.to

    @staticmethod
    def resolve_from_(gift, info):
        return gift.sender

    @staticmethod
    def resolve_message(gift, info):
        return gift.message


class GiftMessageInput(graphene.InputObjectType):
    to = graphene.String(required=True)
    from_ = graphene.String(required=True, name="from")
    message = graphene.String(required=True)


class SetGiftOptionsOnCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    gift_message = graphene.Field(GiftMessageInput)
    gift_receipt_included = graphene.Boolean(required=True)
    printed_card_included = graphene.Boolean(required=True)


def _cart_output():
    from .types import Cart

    return Cart


class SetGiftOptionsOnCartOutput(graphene.ObjectType):
    cart = graphene.Field(_cart_output, required=True)


class GiftOptionsMutation(graphene.ObjectType):
    setGiftOptionsOnCart = graphene.Field(SetGiftOptionsOnCartOutput, input=SetGiftOptionsOnCartInput())

    @staticmethod
    def resolve_setGiftOptionsOnCart(root, info, input=None):
        from .schema import _changed_view, cart_to_change

        input = input or {}
        if not input.get("cart_id"):
            raise DomainError("required_parameter", name="cart_id")
        given = input.get("gift_message")
        gift_message = (
            services.GiftMessage(
                to=given.get("to") or "", sender=given.get("from_") or "", message=given.get("message") or ""
            )
            if given
            else None
        )
        with cart_to_change(info, input["cart_id"]) as locked:
            change = services.set_gift_options(
                locked,
                gift_message=gift_message,
                gift_receipt_included=bool(input.get("gift_receipt_included")),
                printed_card_included=bool(input.get("printed_card_included")),
            )
        return SetGiftOptionsOnCartOutput(cart=_changed_view(info, change))
