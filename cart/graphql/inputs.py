"""Magento's cart input types (2.4.9 names and nullability)."""

import graphene


class CreateGuestCartInput(graphene.InputObjectType):
    cart_uid = graphene.ID()


class createEmptyCartInput(graphene.InputObjectType):  # noqa: N801 - Magento's name
    cart_id = graphene.String()


class EnteredOptionInput(graphene.InputObjectType):
    uid = graphene.ID(required=True)
    value = graphene.String(required=True)


class CartItemInput(graphene.InputObjectType):
    sku = graphene.String(required=True)
    quantity = graphene.Float(required=True)
    parent_sku = graphene.String()
    selected_options = graphene.List(graphene.ID)
    entered_options = graphene.List(EnteredOptionInput)


class CustomizableOptionInput(graphene.InputObjectType):
    uid = graphene.ID()
    id = graphene.Int()
    value_string = graphene.String(required=True)


class SimpleProductCartItemInput(graphene.InputObjectType):
    data = graphene.InputField(CartItemInput, required=True)
    customizable_options = graphene.List(CustomizableOptionInput)


class AddSimpleProductsToCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    cart_items = graphene.List(SimpleProductCartItemInput, required=True)


class CartItemUpdateInput(graphene.InputObjectType):
    cart_item_id = graphene.Int()
    cart_item_uid = graphene.ID()
    quantity = graphene.Float()
    customizable_options = graphene.List(CustomizableOptionInput)


class UpdateCartItemsInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    cart_items = graphene.List(CartItemUpdateInput, required=True)


class RemoveItemFromCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    cart_item_id = graphene.Int()
    cart_item_uid = graphene.ID()


class ApplyCouponToCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    coupon_code = graphene.String(required=True)


class RemoveCouponFromCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)


class SetGuestEmailOnCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    email = graphene.String(required=True)


class CartAddressInput(graphene.InputObjectType):
    firstname = graphene.String(required=True)
    lastname = graphene.String(required=True)
    company = graphene.String()
    street = graphene.List(graphene.String, required=True)
    city = graphene.String(required=True)
    region = graphene.String()
    region_id = graphene.Int()
    postcode = graphene.String()
    country_code = graphene.String(required=True)
    telephone = graphene.String()
    save_in_address_book = graphene.Boolean()
    vat_id = graphene.String()
    fax = graphene.String()
    middlename = graphene.String()
    prefix = graphene.String()
    suffix = graphene.String()


class ShippingAddressInput(graphene.InputObjectType):
    address = graphene.Field(CartAddressInput)
    customer_address_id = graphene.Int()
    customer_address_uid = graphene.ID()
    customer_notes = graphene.String()
    pickup_location_code = graphene.String()


class SetShippingAddressesOnCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    shipping_addresses = graphene.List(ShippingAddressInput, required=True)


class BillingAddressInput(graphene.InputObjectType):
    address = graphene.Field(CartAddressInput)
    customer_address_id = graphene.Int()
    customer_address_uid = graphene.ID()
    same_as_shipping = graphene.Boolean()
    use_for_shipping = graphene.Boolean()


class SetBillingAddressOnCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    billing_address = graphene.InputField(BillingAddressInput, required=True)


class ShippingMethodInput(graphene.InputObjectType):
    carrier_code = graphene.String(required=True)
    method_code = graphene.String(required=True)


class SetShippingMethodsOnCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    shipping_methods = graphene.List(ShippingMethodInput, required=True)


class KlarnaInput(graphene.InputObjectType):
    authorization_token = graphene.String(required=True)


class PaymentMethodInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    purchase_order_number = graphene.String()
    klarna = graphene.Field(KlarnaInput)


class SetPaymentMethodOnCartInput(graphene.InputObjectType):
    cart_id = graphene.String(required=True)
    payment_method = graphene.InputField(PaymentMethodInput, required=True)
