"""Cart queries and mutations. Resolvers only read input, call ``cart.services`` and return
the cart view; Magento's messages come from ``shop.graphql_errors``."""

from contextlib import contextmanager

import graphene

from cart import locks, services
from cart.addresses import validate_address
from shop.errors import DomainError
from shop.graphql.ids import decode_uid

from . import inputs
from .types import Cart
from .view import cart_view


def current_customer(info):
    """The customer authenticated by ``Authorization: Bearer`` (None for a guest)."""
    return getattr(info.context, "customer", None)


def load_cart(info, cart_id, *, missing="required_parameter", name="cart_id"):
    if not cart_id:
        raise DomainError(missing, name=name)
    return services.get_cart_for_user(cart_id, current_customer(info))


@contextmanager
def cart_to_change(info, cart_id, *, missing="required_parameter", name="cart_id"):
    """``load_cart`` for a mutation: the block runs in the mutation's transaction with the cart
    locked (``cart.locks.cart_for_change``); the service called in it takes the lock."""
    if not cart_id:
        raise DomainError(missing, name=name)
    with locks.cart_for_change(cart_id, current_customer(info)) as locked:
        yield locked


def _requested(item) -> tuple:
    """A ``CartItemInput`` as the service's (sku, quantity, variant choice)."""
    choice = services.VariantChoice(value_uids=tuple(item.get("selected_options") or ()))
    return (item.get("sku"), item.get("quantity"), choice)


def _view(info, cart):
    return cart_view(info, cart)


def _changed_view(info, change: services.CartChange):
    """The cart as the change wrote it, reusing what the change read under the lock."""
    view = cart_view(info, change.cart)
    view.use_change(change)
    return view


# --- outputs ---------------------------------------------------------------------------------------


class CartUserInputErrorType(graphene.Enum):
    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"
    NOT_SALABLE = "NOT_SALABLE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    COULD_NOT_FIND_CART_ITEM = "COULD_NOT_FIND_CART_ITEM"
    REQUIRED_PARAMETER_MISSING = "REQUIRED_PARAMETER_MISSING"
    INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE"
    UNDEFINED = "UNDEFINED"
    PERMISSION_DENIED = "PERMISSION_DENIED"


class Error(graphene.Interface):
    code = CartUserInputErrorType(required=True)
    message = graphene.String(required=True)

    @classmethod
    def resolve_type(cls, instance, info):
        # A stock problem that knows the available quantity is an InsufficientStockError.
        if getattr(instance, "quantity", None) is not None:
            return InsufficientStockError
        return CartUserInputError


class CartUserInputError(graphene.ObjectType):
    """Also the shape of ``updateCartItems.errors``, where every CartUserError fits."""

    class Meta:
        interfaces = (Error,)

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, services.CartUserError)


class InsufficientStockError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    quantity = graphene.Float()

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, services.CartUserError) and root.quantity is not None

    @staticmethod
    def resolve_quantity(root, info):
        return float(root.quantity)


class CartOutput(graphene.ObjectType):
    cart = graphene.Field(Cart, required=True)


class CreateGuestCartOutput(graphene.ObjectType):
    cart = graphene.Field(Cart)


class AddProductsToCartOutput(graphene.ObjectType):
    cart = graphene.Field(Cart, required=True)
    user_errors = graphene.List(Error, required=True)


class AddSimpleProductsToCartOutput(CartOutput):
    pass


class UpdateCartItemsOutput(graphene.ObjectType):
    cart = graphene.Field(Cart, required=True)
    errors = graphene.List(CartUserInputError, required=True)


class RemoveItemFromCartOutput(CartOutput):
    pass


class ApplyCouponToCartOutput(CartOutput):
    pass


class RemoveCouponFromCartOutput(graphene.ObjectType):
    cart = graphene.Field(Cart)


class SetGuestEmailOnCartOutput(CartOutput):
    pass


class SetShippingAddressesOnCartOutput(CartOutput):
    pass


class SetBillingAddressOnCartOutput(CartOutput):
    pass


class SetShippingMethodsOnCartOutput(CartOutput):
    pass


class SetPaymentMethodOnCartOutput(CartOutput):
    pass


# --- query -----------------------------------------------------------------------------------------


class CartQuery(graphene.ObjectType):
    cart = graphene.Field(Cart, cart_id=graphene.String(required=True))

    @staticmethod
    def resolve_cart(root, info, cart_id):
        return _view(info, load_cart(info, cart_id))


# --- mutations -------------------------------------------------------------------------------------


def _item_id(item: dict, *, required_code: str, not_found_code: str) -> int:
    if item.get("cart_item_uid"):
        item_id = decode_uid(item["cart_item_uid"])
        if item_id is None:
            raise DomainError(not_found_code, item_id=item["cart_item_uid"])
        return item_id
    # Magento's ``empty()``: an id of 0 is a missing one.
    if item.get("cart_item_id"):
        return item["cart_item_id"]
    raise DomainError(required_code)


def _address(data) -> dict:
    return dict(data) if data is not None else None


class CartMutation(graphene.ObjectType):
    createGuestCart = graphene.Field(CreateGuestCartOutput, input=inputs.CreateGuestCartInput())
    createEmptyCart = graphene.String(
        input=inputs.createEmptyCartInput(),
        deprecation_reason="Use `Mutation.createGuestCart` or `Query.customerCart` for logged in customer",
    )
    addProductsToCart = graphene.Field(
        AddProductsToCartOutput,
        cartId=graphene.String(required=True),
        cartItems=graphene.List(graphene.NonNull(inputs.CartItemInput), required=True),
    )
    addSimpleProductsToCart = graphene.Field(
        AddSimpleProductsToCartOutput, input=inputs.AddSimpleProductsToCartInput()
    )
    updateCartItems = graphene.Field(UpdateCartItemsOutput, input=inputs.UpdateCartItemsInput())
    removeItemFromCart = graphene.Field(RemoveItemFromCartOutput, input=inputs.RemoveItemFromCartInput())
    applyCouponToCart = graphene.Field(ApplyCouponToCartOutput, input=inputs.ApplyCouponToCartInput())
    removeCouponFromCart = graphene.Field(
        RemoveCouponFromCartOutput, input=inputs.RemoveCouponFromCartInput()
    )
    setGuestEmailOnCart = graphene.Field(SetGuestEmailOnCartOutput, input=inputs.SetGuestEmailOnCartInput())
    setShippingAddressesOnCart = graphene.Field(
        SetShippingAddressesOnCartOutput, input=inputs.SetShippingAddressesOnCartInput()
    )
    setBillingAddressOnCart = graphene.Field(
        SetBillingAddressOnCartOutput, input=inputs.SetBillingAddressOnCartInput()
    )
    setShippingMethodsOnCart = graphene.Field(
        SetShippingMethodsOnCartOutput, input=inputs.SetShippingMethodsOnCartInput()
    )
    setPaymentMethodOnCart = graphene.Field(
        SetPaymentMethodOnCartOutput, input=inputs.SetPaymentMethodOnCartInput()
    )

    @staticmethod
    def resolve_createGuestCart(root, info, input=None):
        if current_customer(info) is not None:
            raise DomainError("customer_use_customer_cart")
        cart = services.create_guest_cart((input or {}).get("cart_uid"))
        return CreateGuestCartOutput(cart=_view(info, cart))

    @staticmethod
    def resolve_createEmptyCart(root, info, input=None):
        customer = current_customer(info)
        if customer is not None:
            from cart.customer_carts import customer_cart

            return customer_cart(customer, (input or {}).get("cart_id")).masked_id
        return services.create_guest_cart((input or {}).get("cart_id")).masked_id

    @staticmethod
    def resolve_addProductsToCart(root, info, cartId, cartItems):
        if not cartId:
            raise DomainError("required_parameter", name="cartId")
        if not cartItems:
            raise DomainError("required_parameter", name="cartItems")
        with cart_to_change(info, cartId) as locked:
            change = services.add_products(locked, [_requested(item) for item in cartItems])
        return AddProductsToCartOutput(cart=_changed_view(info, change), user_errors=list(change.user_errors))

    @staticmethod
    def resolve_addSimpleProductsToCart(root, info, input=None):
        input = input or {}
        # Magento's order: cart_id, cart_items, then the cart.
        if not input.get("cart_id"):
            raise DomainError("required_parameter", name="cart_id")
        if not input.get("cart_items"):
            raise DomainError("required_parameter", name="cart_items")
        with cart_to_change(info, input.get("cart_id")) as locked:
            requested = [
                (item["data"].get("sku"), item["data"].get("quantity"))
                for item in input["cart_items"]
                if item
            ]
            # The legacy mutation fails as a whole with the first problem (Magento behaviour).
            change = services.add_products(locked, requested, all_or_nothing=True)
        return AddSimpleProductsToCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_updateCartItems(root, info, input=None):
        input = input or {}
        # Magento's order: cart_id, cart_items, then the cart; item problems go to ``errors``.
        if not input.get("cart_id"):
            raise DomainError("update_cart_id_missing")
        items = input.get("cart_items")
        if not items:
            raise DomainError("cart_items_missing")
        with cart_to_change(info, input.get("cart_id")) as locked:
            updates = []
            for item in items:
                if item is None:
                    continue
                item_id = _item_id(
                    item, required_code="cart_item_id_missing", not_found_code="cart_item_not_found"
                )
                updates.append((item_id, item.get("quantity")))
            change = services.update_items(locked, updates)
        return UpdateCartItemsOutput(cart=_changed_view(info, change), errors=list(change.user_errors))

    @staticmethod
    def resolve_removeItemFromCart(root, info, input=None):
        input = input or {}
        # Magento's order: cart_id, the item id, then the cart (its messages end with a period).
        if not input.get("cart_id"):
            raise DomainError("required_parameter_dot", name="cart_id")
        item_id = _item_id(
            input, required_code="cart_item_id_missing", not_found_code="cart_item_not_in_cart"
        )
        with cart_to_change(info, input.get("cart_id")) as locked:
            change = services.remove_item(locked, item_id)
        return RemoveItemFromCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_applyCouponToCart(root, info, input=None):
        input = input or {}
        if not input.get("cart_id"):
            raise DomainError("required_parameter", name="cart_id")
        if not (input.get("coupon_code") or "").strip():
            raise DomainError("coupon_code_missing")
        with cart_to_change(info, input.get("cart_id")) as locked:
            change = services.apply_coupon(locked, input.get("coupon_code"))
        return ApplyCouponToCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_removeCouponFromCart(root, info, input=None):
        input = input or {}
        with cart_to_change(info, input.get("cart_id")) as locked:
            change = services.remove_coupon(locked)
        return RemoveCouponFromCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_setGuestEmailOnCart(root, info, input=None):
        input = input or {}
        # Magento's order: cart_id, email present and well-formed, guest caller, then the cart.
        if not input.get("cart_id"):
            raise DomainError("required_parameter", name="cart_id")
        email = services.clean_guest_email(input.get("email"))
        if current_customer(info) is not None:
            raise DomainError("email_customer")
        with cart_to_change(info, input.get("cart_id")) as locked:
            change = services.set_guest_email(locked, email)
        return SetGuestEmailOnCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_setShippingAddressesOnCart(root, info, input=None):
        input = input or {}
        with cart_to_change(info, input.get("cart_id")) as locked:
            addresses = [a for a in (input.get("shipping_addresses") or []) if a is not None]
            if not addresses:
                raise DomainError("shipping_addresses_missing")
            if len(addresses) > 1:
                raise DomainError("shipping_address_multiple")
            entry = addresses[0]
            address = _resolve_address_input(
                info, entry, both_code="shipping_address_both", neither_code="shipping_address_input"
            )
            change = services.set_shipping_address(
                locked,
                address,
                customer_notes=entry.get("customer_notes") or "",
                save_in_address_book=_save_in_address_book(entry),
            )
        return SetShippingAddressesOnCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_setBillingAddressOnCart(root, info, input=None):
        input = input or {}
        with cart_to_change(info, input.get("cart_id")) as locked:
            billing = input.get("billing_address")
            if billing is None:
                raise DomainError("billing_address_missing")
            # Magento 2.4: ``same_as_shipping`` copies the shipping address and ignores the rest of
            # the input; otherwise the address (typed or from the book) is required and
            # ``use_for_shipping`` also makes it the shipping address.
            same_as_shipping = bool(billing.get("same_as_shipping"))
            if same_as_shipping:
                address = None
            else:
                address = _resolve_address_input(
                    info, billing, both_code="billing_address_both", neither_code="billing_address_input"
                )
            change = services.set_billing_address(
                locked,
                address,
                same_as_shipping=same_as_shipping,
                use_for_shipping=not same_as_shipping and bool(billing.get("use_for_shipping")),
                save_in_address_book=address is not None and _save_in_address_book(billing),
            )
        return SetBillingAddressOnCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_setShippingMethodsOnCart(root, info, input=None):
        input = input or {}
        with cart_to_change(info, input.get("cart_id")) as locked:
            methods = [m for m in (input.get("shipping_methods") or []) if m is not None]
            if not methods:
                raise DomainError("shipping_methods_missing")
            if len(methods) > 1:
                raise DomainError("shipping_method_multiple")
            method = methods[0]
            if not method.get("carrier_code"):
                raise DomainError("carrier_code_missing")
            if not method.get("method_code"):
                raise DomainError("method_code_missing")
            change = services.set_shipping_method(locked, method["carrier_code"], method["method_code"])
        return SetShippingMethodsOnCartOutput(cart=_changed_view(info, change))

    @staticmethod
    def resolve_setPaymentMethodOnCart(root, info, input=None):
        input = input or {}
        # Magento's order: cart_id, the method's code, then the cart.
        if not input.get("cart_id"):
            raise DomainError("required_parameter_dot", name="cart_id")
        payment = input.get("payment_method") or {}
        code = payment.get("code")
        if not code:
            raise DomainError("payment_code_missing")
        with cart_to_change(info, input.get("cart_id"), missing="required_parameter_dot") as locked:
            data = {key: value for key, value in payment.items() if key != "code" and value is not None}
            change = services.set_payment_method(locked, code, data)
        return SetPaymentMethodOnCartOutput(cart=_changed_view(info, change))


def _save_in_address_book(entry) -> bool:
    """Whether a typed-in address goes to the customer's address book when the order is placed:
    unless ``save_in_address_book`` is false (Magento: "The default value is true"). An address
    from the book is not saved again; a guest's cart has no book (``save_addresses_in_book``)."""
    typed = entry.get("address")
    return typed is not None and typed.get("save_in_address_book") is not False


def _resolve_address_input(info, entry, *, both_code: str, neither_code: str):
    has_address = entry.get("address") is not None
    customer_address_id = entry.get("customer_address_id")
    if customer_address_id is None and entry.get("customer_address_uid"):
        customer_address_id = decode_uid(entry["customer_address_uid"])
    if has_address and customer_address_id is not None:
        raise DomainError(both_code)
    if not has_address and customer_address_id is None:
        raise DomainError(neither_code)
    if customer_address_id is not None:
        customer = current_customer(info)
        if customer is None:
            raise DomainError("customer_not_authorized")
        from cart.customer_carts import customer_address

        return customer_address(customer, customer_address_id)
    return validate_address(_address(entry["address"]))
