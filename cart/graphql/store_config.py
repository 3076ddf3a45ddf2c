"""The cart's fields of Magento's ``StoreConfig`` (GiftMessageGraphQl, Adobe Commerce's gift
wrapping flags that Venia's cart page asks for, QuoteGraphQl); the root schema adds them to
``shop.graphql.store.StoreConfig`` with ``extend_type``."""

import graphene

from cart.services import GIFT_OPTIONS_OFFERED


def _flag(value: bool) -> graphene.Field:
    # Magento answers these settings as the strings "1" and "0".
    return graphene.Field(graphene.String, resolver=lambda root, info: "1" if value else "0")


def store_config_fields() -> dict[str, graphene.Field]:
    offered = GIFT_OPTIONS_OFFERED
    return {
        "allow_order": _flag(offered.order_message),
        "allow_items": _flag(offered.item_messages),
        "allow_gift_receipt": _flag(offered.gift_receipt),
        "allow_printed_card": _flag(offered.printed_card),
        "allow_gift_wrapping_on_order": _flag(offered.wrapping),
        "allow_gift_wrapping_on_order_items": _flag(offered.wrapping),
        # Cart.total_quantity counts quantities, not lines (checkout/cart_link/use_qty = 1).
        "cart_summary_display_quantity": graphene.Field(graphene.Int, resolver=lambda root, info: 1),
        # A guest checks out with an email (setGuestEmailOnCart).
        "is_guest_checkout_enabled": graphene.Field(graphene.Boolean, resolver=lambda root, info: True),
    }
