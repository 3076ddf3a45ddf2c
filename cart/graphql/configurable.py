"""Magento's deprecated ``addConfigurableProductsToCart``: a configurable product's variant
named by its SKU under the parent's. Kept for clients that still send it (Venia's cart item
editor does); ``addProductsToCart`` with ``selected_options`` is the current way."""

import graphene

from cart import services
from shop.errors import DomainError

from .inputs import CartItemInput, CustomizableOptionInput
from .schema import CartOutput, cart_to_change
from .view import cart_view


class ConfigurableProductCartItemInput(graphene.InputObjectType):
    data = graphene.InputField(CartItemInput, required=True)
    variant_sku = graphene.String(deprecation_reason="Use `CartItemInput.sku` instead.")
    parent_sku = graphene.String(description="The SKU of the parent configurable product.")
    customizable_options = graphene.List(graphene.NonNull(CustomizableOptionInput))


class AddConfigurableProductsToCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    cart_items = graphene.List(graphene.NonNull(ConfigurableProductCartItemInput), required=True)


class AddConfigurableProductsToCartOutput(CartOutput):
    pass


def _requested(item) -> tuple:
    data = item["data"]
    if not item.get("parent_sku"):
        # Without a parent Magento adds the SKU as it is (a simple product, or a parent whose
        # options are then missing).
        return (data.get("sku"), data.get("quantity"))
    variant_sku = data.get("sku") or item.get("variant_sku")
    return (item["parent_sku"], data.get("quantity"), services.VariantChoice(variant_sku=variant_sku))


class ConfigurableCartMutation(graphene.ObjectType):
    addConfigurableProductsToCart = graphene.Field(
        AddConfigurableProductsToCartOutput,
        input=AddConfigurableProductsToCartInput(),
        description="Add one or more configurable products to the specified cart. We recommend "
        "using `addProductsToCart` instead.",
    )

    @staticmethod
    def resolve_addConfigurableProductsToCart(root, info, input=None):
        input = input or {}
        # Magento's order: cart_id, cart_items, then the cart; the first problem fails the call.
        if not input.get("cart_id"):
            raise DomainError("required_parameter", name="cart_id")
        if not input.get("cart_items"):
            raise DomainError("required_parameter", name="cart_items")
        with cart_to_change(info, input.get("cart_id")) as locked:
            requested = [_requested(item) for item in input["cart_items"]]
            change = services.add_products(locked, requested, all_or_nothing=True)
        view = cart_view(info, change.cart)
        view.use_change(change)  # the cart as the add wrote it, no second read
        return AddConfigurableProductsToCartOutput(cart=view)
