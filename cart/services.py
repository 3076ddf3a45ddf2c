"""The cart's rules: every change a shopper makes to a cart (items, coupon, email, addresses,
shipping and payment method) and the placing markers ``checkout.place_order`` sets.

A change takes a ``LockedCart`` (``cart.locks``): the caller holds the cart row's lock in the
transaction the change writes in. Each change checks the cart may still change, validates,
writes, bumps ``Cart.version`` (so the Klarna session and placeOrder can tell the cart
changed) and returns a ``CartChange`` saying what it wrote. No function here makes an HTTP
call. Errors are ``DomainError`` codes; the GraphQL edge maps them to Magento's messages.
Merging and assigning carts of customers live in ``cart.customer_carts``.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shop import configurable
from shop.compiled_query import CompiledQuery
from shop.error_messages import message
from shop.errors import DomainError
from shop.models import Product
from shop.prices import prices_in
from shop.store import pricing_store

from .addresses import Address, address_values
from .fetch import CartInfo, load_cart_addresses, load_cart_info
from .locks import LockedCart, check_access
from .models import MASKED_ID_LENGTH, Cart, CartAddress, CartItem, Coupon
from .payment_methods import available_payment_methods, provider_for
from .totals import compute_totals, coupon_applies


@dataclass(frozen=True)
class CartUserError:
    """A per-item problem reported in ``user_errors``/``errors`` instead of failing the call."""

    code: str  # CartUserInputErrorType
    message: str
    quantity: Decimal | None = None


# Error code (shop.error_messages) -> Magento's CartUserInputErrorType.
_USER_ERROR_TYPES = {
    "product_not_found": "PRODUCT_NOT_FOUND",
    "product_not_salable": "NOT_SALABLE",
    "qty_not_available": "INSUFFICIENT_STOCK",
    "qty_too_large": "INSUFFICIENT_STOCK",
    "qty_not_positive": "INVALID_PARAMETER_VALUE",
    "qty_decimal": "INVALID_PARAMETER_VALUE",
    "cart_item_not_found": "COULD_NOT_FIND_CART_ITEM",
    "cart_item_qty_missing": "REQUIRED_PARAMETER_MISSING",
    # Magento's AddProductsToCartError: messages it has no code for are UNDEFINED.
    "configurable_options_missing": "UNDEFINED",
    "configurable_variant_not_found": "UNDEFINED",
    "variant_out_of_stock": "INSUFFICIENT_STOCK",
}


def _user_error(code: str, quantity: Decimal | None = None, **params) -> CartUserError:
    return CartUserError(_USER_ERROR_TYPES[code], message(code, **params), quantity)


@dataclass(frozen=True)
class CartChange:
    """What a change wrote: the cart row at its new version and, when the change read them
    under the lock, the cart's info or addresses as written, so the response needs no second
    read. ``user_errors`` are the per-item problems of an add or update."""

    cart: Cart
    info: CartInfo | None = None
    addresses: dict[str, CartAddress] | None = None
    user_errors: tuple[CartUserError, ...] = ()


# --- lookup ----------------------------------------------------------------------------------------


CART_BY_MASKED_ID = CompiledQuery(
    lambda masked_id: Cart.objects.select_related("coupon").filter(masked_id=masked_id).order_by(),
    masked_id=str,
)


def get_cart_for_user(masked_id: str, user=None) -> Cart:
    """The active cart ``masked_id`` if ``user`` (None for a guest) may use it.

    Raises cart_not_found / cart_not_active / cart_not_owned, like Magento's GetCartForUser.
    """
    return check_access(CART_BY_MASKED_ID.one(masked_id=masked_id), masked_id, user)  # unique


def is_placing(cart: Cart) -> bool:
    started = cart.placing_started_at
    return started is not None and timezone.now() - started < timedelta(seconds=settings.CART_PLACING_TIMEOUT)


def _changeable(locked: LockedCart) -> Cart:
    """The locked cart, if it may change now: active and not being placed."""
    cart = locked.cart
    if not cart.is_active:
        raise DomainError("cart_not_active")
    if is_placing(cart):
        raise DomainError("cart_placing")
    return cart


def _bump(cart: Cart, *fields: str) -> None:
    """Write ``fields`` of the locked cart with the version bump, in one UPDATE. We hold the
    row lock, so the stored version is exactly ``cart.version``."""
    cart.version += 1
    cart.updated_at = timezone.now()
    attnames = (Cart._meta.get_field(field).attname for field in ("version", "updated_at", *fields))
    values = {attname: getattr(cart, attname) for attname in attnames}
    Cart.objects.filter(pk=cart.pk).update(**values)


# --- creation --------------------------------------------------------------------------------------


def create_guest_cart(cart_uid: str | None = None) -> Cart:
    """A new guest cart, with a random masked id or the client's 32-character one."""
    if cart_uid is None:
        return Cart.objects.create()
    if len(cart_uid) != MASKED_ID_LENGTH:
        raise DomainError("cart_id_length")
    try:
        with transaction.atomic():
            return Cart.objects.create(masked_id=cart_uid)
    except IntegrityError:
        raise DomainError("cart_exists", cart_id=cart_uid) from None


# --- items -----------------------------------------------------------------------------------------


def _is_positive(quantity) -> bool:
    return quantity is not None and quantity == quantity and quantity > 0  # NaN is not


def _quantity_error(quantity) -> CartUserError | None:
    if not _is_positive(quantity):
        return _user_error("qty_not_positive")
    # A literal like 1e400 parses as infinity, which int() cannot take: it is "too large" below.
    if quantity < float("inf") and quantity != int(quantity):
        return _user_error("qty_decimal")
    if quantity > settings.CART_MAX_QTY_PER_LINE:
        return _user_error("qty_too_large", max=settings.CART_MAX_QTY_PER_LINE)
    return None


@dataclass(frozen=True)
class VariantChoice:
    """Which variant of a configurable product to add: the values chosen (``selected_options``
    uids of ``addProductsToCart``) or the variant's SKU (``addConfigurableProductsToCart``)."""

    value_uids: tuple[str, ...] = ()
    variant_sku: str | None = None


def _variant(parent: Product, choice: VariantChoice | None) -> Product:
    if choice is not None and choice.variant_sku is not None:
        return configurable.variant_for_sku(parent, choice.variant_sku)
    return configurable.variant_for_options(parent, list(choice.value_uids) if choice else [])


def _sold_in(info, product: Product) -> bool:
    """Whether the cart's store sells ``product``: it has a price in the store's currency (no
    query in the default store's currency; the prices read are kept on ``info``)."""
    if info.prices is None or product.is_configurable:
        return True  # a configurable parent is priced by its variants
    if product.pk not in info.prices:
        info.prices.update(prices_in(info.store.currency, [product.pk]) or {})
    return product.pk in info.prices


def add_products(
    locked: LockedCart,
    requested: list[tuple[str, float] | tuple[str, float, VariantChoice | None]],
    *,
    all_or_nothing: bool = False,
) -> CartChange:
    """Add (sku, quantity) pairs; a line for the same product grows. A configurable product's
    SKU comes with a ``VariantChoice`` as third element: the line is the chosen variant (its
    own price and stock), and a missing or impossible choice is Magento's per-item error.

    Per-item problems are returned in ``user_errors`` (Magento's) and do not stop the other
    items. With ``all_or_nothing`` (the legacy ``addSimpleProductsToCart``) the first problem
    raises ``invalid_input`` and nothing is added (the caller's transaction rolls back). The
    change carries the cart's info as written.
    """
    errors: list[CartUserError] = []
    failed_skus: list[str] = []
    cart = _changeable(locked)
    skus = {item[0] for item in requested if item[0]}
    products = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
    configurable.load_configurable_data(list(products.values()))  # no query without configurables
    if all_or_nothing:
        # The legacy mutation finds only enabled products (Magento's testAddDisabledProductToCart).
        products = {sku: p for sku, p in products.items() if p.is_active}
    info = load_cart_info(cart)  # items with their products, addresses, tax rates
    lines = {item.product_id: item for item in info.items}
    new_lines: dict[int, CartItem] = {}

    def fail(sku: str, error: CartUserError) -> None:
        errors.append(error)
        failed_skus.append(sku)

    for sku, quantity, *choice in requested:
        if not _is_positive(quantity):  # Magento looks at the quantity before the product
            fail(sku, _user_error("qty_not_positive"))
            continue
        product = products.get(sku)
        if product is None or not _sold_in(info, product):
            # Magento: a product not assigned to the store's website is not found.
            fail(sku, _user_error("product_not_found", sku=sku))
            continue
        problem = _quantity_error(quantity)
        if problem:
            fail(sku, problem)
            continue
        if product.is_configurable:
            try:
                product = _variant(product, choice[0] if choice else None)
            except DomainError as error:
                fail(sku, _user_error(error.code))
                continue
            if not _sold_in(info, product):
                fail(sku, _user_error("product_not_found", sku=sku))
                continue
            if not product.in_stock:
                fail(sku, _user_error("variant_out_of_stock"))
                continue
        if not product.in_stock:
            fail(sku, _user_error("product_not_salable"))
            continue
        line = lines.get(product.pk)
        wanted = int(quantity) + (line.quantity if line else 0)
        if wanted > settings.CART_MAX_QTY_PER_LINE:
            fail(sku, _user_error("qty_too_large", max=settings.CART_MAX_QTY_PER_LINE))
            continue
        if wanted > product.stock_qty:
            fail(sku, _user_error("qty_not_available", Decimal(product.stock_qty)))
            continue
        if line:
            line.quantity = wanted
            if line.pk is not None:
                line.save(update_fields=["quantity"])
        else:
            lines[product.pk] = new_lines[product.pk] = CartItem(cart=cart, product=product, quantity=wanted)
    if errors and all_or_nothing:
        # Raised inside the locked transaction: the items added above are rolled back. Magento
        # names the product, except when it found none or the quantity is not positive.
        first = errors[0]
        if first.code == "PRODUCT_NOT_FOUND" or first.message == message("qty_not_positive"):
            raise DomainError("invalid_input", message=first.message)
        raise DomainError("add_simple_failed", sku=failed_skus[0], message=first.message)
    # One INSERT for every new line (in request order, so item ids follow it).
    CartItem.objects.bulk_create(new_lines.values())
    info.items.extend(new_lines.values())  # ids above every existing line: still in id order
    _bump(cart)
    return CartChange(cart, info=info, user_errors=tuple(errors))


def update_items(locked: LockedCart, updates: list[tuple[int, float | None]]) -> CartChange:
    """Set quantities by item id; 0 removes the line. Per-item problems are returned in
    ``user_errors`` (Magento 2.4.7 reports them in ``updateCartItems.errors``). A missing
    quantity or an item not in this cart stops the call before anything changes (Magento
    checks the quantity of an item before it looks the item up)."""
    errors: list[CartUserError] = []
    cart = _changeable(locked)
    items = {item.pk: item for item in CartItem.objects.filter(cart=cart).select_related("product")}
    for item_id, quantity in updates:
        if quantity is None:
            return CartChange(cart, user_errors=(_user_error("cart_item_qty_missing"),))
        if item_id not in items:
            return CartChange(cart, user_errors=(_user_error("cart_item_not_found", item_id=item_id),))
    for item_id, quantity in updates:
        item = items[item_id]
        if quantity is not None and quantity == 0:
            item.delete()
            continue
        problem = _quantity_error(quantity)
        if problem:
            errors.append(problem)
            continue
        if int(quantity) > item.product.stock_qty or not item.product.is_active:
            errors.append(_user_error("qty_not_available", Decimal(item.product.stock_qty)))
            continue
        item.quantity = int(quantity)
        item.save(update_fields=["quantity"])
    _bump(cart)
    return CartChange(cart, user_errors=tuple(errors))


def remove_item(locked: LockedCart, item_id: int) -> CartChange:
    cart = _changeable(locked)
    deleted, _ = CartItem.objects.filter(cart=cart, pk=item_id).delete()
    if not deleted:
        raise DomainError("cart_item_not_in_cart", item_id=item_id)
    _bump(cart)
    return CartChange(cart)


# --- coupons ---------------------------------------------------------------------------------------


def apply_coupon(locked: LockedCart, code: str) -> CartChange:
    """Apply coupon ``code`` (case-insensitive).

    Checks in Magento's order: a coupon that still discounts the cart blocks another, an
    empty cart takes none, then the code must exist, be usable now and its minimum subtotal
    be met. A stale coupon (expired, used up, minimum no longer met) is simply replaced.
    """
    code = (code or "").strip()
    if not code:
        raise DomainError("coupon_code_missing")
    cart = _changeable(locked)
    items = list(CartItem.objects.filter(cart=cart).select_related("product"))
    prices = prices_in(pricing_store(cart.store_id).currency, [item.product_id for item in items])
    subtotal = sum(
        (
            (item.product.price if prices is None else prices.get(item.product_id, Decimal(0)))
            * item.quantity
            for item in items
        ),
        Decimal(0),
    )
    if coupon_applies(cart.coupon, subtotal):
        raise DomainError("coupon_already_applied")
    if not items:
        raise DomainError("coupon_empty_cart")
    coupon = Coupon.objects.filter(code__iexact=code).first()
    if not coupon_applies(coupon, subtotal):
        raise DomainError("coupon_invalid")
    cart.coupon = coupon
    _bump(cart, "coupon")
    return CartChange(cart)


def remove_coupon(locked: LockedCart) -> CartChange:
    """Remove the cart's coupon (none applied is fine); an empty cart refuses, like Magento's
    CouponManagement::remove."""
    cart = _changeable(locked)
    if not CartItem.objects.filter(cart=cart).exists():
        raise DomainError("coupon_remove_empty_cart")
    cart.coupon = None
    _bump(cart, "coupon")
    return CartChange(cart)


# --- email and addresses -----------------------------------------------------------------------------


def clean_guest_email(email: str | None) -> str:
    """The email, stripped; raises email_missing / email_invalid (Magento checks this before
    it looks the cart up)."""
    email = (email or "").strip()
    if not email:
        raise DomainError("email_missing")
    try:
        validate_email(email)  # accepts up to 320 characters; the column holds 254
    except ValidationError:
        raise DomainError("email_invalid") from None
    if len(email) > Cart._meta.get_field("email").max_length:
        raise DomainError("email_invalid")
    return email


def set_guest_email(locked: LockedCart, email: str) -> CartChange:
    """Store the guest's email."""
    email = clean_guest_email(email)
    cart = _changeable(locked)
    cart.email = email
    _bump(cart, "email")
    return CartChange(cart)


def _store_address(
    cart: Cart, kind: str, address: Address, existing: CartAddress | None = None, **extra
) -> CartAddress:
    """Create the cart's ``kind`` address or overwrite ``existing`` (already read under the lock)."""
    values = {**address_values(address), **extra}
    if existing is None:
        return CartAddress.objects.create(cart=cart, kind=kind, **values)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save(update_fields=list(values))
    return existing


def set_shipping_address(
    locked: LockedCart, address: Address, customer_notes: str = "", *, save_in_address_book: bool = False
) -> CartChange:
    """Replace the shipping address. The selected shipping method is kept when it is still offered.
    ``save_in_address_book`` marks it for the customer's address book when the order is placed.
    The change carries the cart's addresses by kind as written."""
    if len(customer_notes or "") > CartAddress._meta.get_field("customer_notes").max_length:
        raise DomainError("address_field_invalid", value=customer_notes[:20] + "…", field="customer_notes")
    cart = _changeable(locked)
    addresses = load_cart_addresses(cart)
    existing = addresses.get(CartAddress.Kind.SHIPPING)
    addresses[CartAddress.Kind.SHIPPING] = _store_address(
        cart,
        CartAddress.Kind.SHIPPING,
        address,
        existing,
        customer_notes=customer_notes or "",
        shipping_carrier_code=existing.shipping_carrier_code if existing else "",
        shipping_method_code=existing.shipping_method_code if existing else "",
        same_as_billing=False,
        save_in_address_book=save_in_address_book,
    )
    _bump(cart)
    return CartChange(cart, addresses=addresses)


def set_billing_address(
    locked: LockedCart,
    address: Address | None,
    *,
    same_as_shipping: bool = False,
    use_for_shipping: bool = False,
    save_in_address_book: bool = False,
) -> CartChange:
    """Set the billing address: from ``address``, or a copy of the shipping address
    (``same_as_shipping``); ``use_for_shipping`` also makes it the shipping address.
    ``save_in_address_book`` as for ``set_shipping_address`` (a copy of the shipping address
    is not saved twice).
    The change carries the cart's addresses by kind as written."""
    cart = _changeable(locked)
    addresses = load_cart_addresses(cart)
    shipping = addresses.get(CartAddress.Kind.SHIPPING)
    copied_from_shipping = same_as_shipping and address is None
    if copied_from_shipping:
        if shipping is None:
            raise DomainError("billing_same_as_shipping_unset")
        address = Address(**address_values(shipping))
    save_in_address_book = save_in_address_book and not copied_from_shipping
    addresses[CartAddress.Kind.BILLING] = _store_address(
        cart,
        CartAddress.Kind.BILLING,
        address,
        addresses.get(CartAddress.Kind.BILLING),
        save_in_address_book=save_in_address_book,
    )
    if copied_from_shipping:
        # The shipping address already holds these values: only mark it.
        if not shipping.same_as_billing:
            shipping.same_as_billing = True
            shipping.save(update_fields=["same_as_billing"])
    elif use_for_shipping or same_as_shipping:
        addresses[CartAddress.Kind.SHIPPING] = _store_address(
            cart,
            CartAddress.Kind.SHIPPING,
            address,
            shipping,
            same_as_billing=True,
            shipping_carrier_code=shipping.shipping_carrier_code if shipping else "",
            shipping_method_code=shipping.shipping_method_code if shipping else "",
            save_in_address_book=save_in_address_book,
        )
    _bump(cart)
    return CartChange(cart, addresses=addresses)


# --- shipping and payment methods ----------------------------------------------------------------


def set_shipping_method(locked: LockedCart, carrier_code: str, method_code: str) -> CartChange:
    """Select a shipping method. The change carries the cart's info as written."""
    cart = _changeable(locked)
    info = load_cart_info(cart)
    if not info.items:
        raise DomainError("shipping_method_empty_cart")
    if info.shipping_address is None:
        raise DomainError("shipping_address_not_set")
    totals = compute_totals(info)
    offered = {(rate.carrier_code, rate.method_code) for rate in totals.available_shipping}
    if (carrier_code, method_code) not in offered:
        raise DomainError("shipping_method_not_found", carrier_code=carrier_code, method_code=method_code)
    address = info.shipping_address
    address.shipping_carrier_code = carrier_code
    address.shipping_method_code = method_code
    address.save(update_fields=["shipping_carrier_code", "shipping_method_code"])
    _bump(cart)
    return CartChange(cart, info=info)


def set_payment_method(locked: LockedCart, code: str, data: dict | None = None) -> CartChange:
    """Select a payment method the cart may use now; its provider validates ``data``. The
    change carries the cart's info as written."""
    if not code:
        raise DomainError("payment_code_missing")
    provider = provider_for(code)
    cart = _changeable(locked)
    info = load_cart_info(cart)
    if info.shipping_address is None and not info.is_virtual:
        raise DomainError("shipping_address_not_set")
    totals = compute_totals(info)
    offered = {method.code: method for method in available_payment_methods(info, totals)}
    if code not in offered:
        raise DomainError("payment_method_unavailable")
    provider.select(cart, offered[code], data or {})
    cart.payment_method_code = code
    _bump(cart, "payment_method_code")
    return CartChange(cart, info=info)


# --- placing (called by checkout.place_order) ------------------------------------------------------


def mark_placing(locked: LockedCart) -> None:
    """Block changes to the cart while its order is being paid."""
    cart = locked.cart
    cart.placing_started_at = timezone.now()
    cart.save(update_fields=["placing_started_at"])


def release_placing(cart_pk: int) -> None:
    """Let the shopper change the cart again after a failed payment."""
    Cart.objects.filter(pk=cart_pk).update(placing_started_at=None)


def deactivate_ordered_cart(locked: LockedCart) -> None:
    """The cart became an order: it stays readable by its order but can never change again."""
    cart = locked.cart
    cart.is_active = False
    cart.placing_started_at = None
    cart.save(update_fields=["is_active", "placing_started_at"])


def record_coupon_use(coupon: Coupon | None) -> None:
    """Count one more order on ``coupon`` (an atomic increment: concurrent orders all count)."""
    if coupon is not None:
        Coupon.objects.filter(pk=coupon.pk).update(times_used=F("times_used") + 1)


# --- gift options (Magento Open Source gift message) ---------------------------------------------------

GIFT_MESSAGE_FIELDS = ("gift_message_to", "gift_message_from", "gift_message")


@dataclass(frozen=True)
class GiftOptionsOffered:
    """Which gift options a shopper can choose (the store configuration says so to clients)."""

    order_message: bool  # one message for the whole order
    item_messages: bool  # a message per item
    gift_receipt: bool
    printed_card: bool  # free: no price is added to the totals
    wrapping: bool


# What set_gift_options stores and the order keeps: one order message, a gift receipt and a
# printed card; no messages per item, no gift wrapping.
GIFT_OPTIONS_OFFERED = GiftOptionsOffered(
    order_message=True, item_messages=False, gift_receipt=True, printed_card=True, wrapping=False
)
GIFT_OPTION_FIELDS = (*GIFT_MESSAGE_FIELDS, "gift_receipt_included", "printed_card_included")


@dataclass(frozen=True)
class GiftMessage:
    to: str
    sender: str  # Magento's ``from``
    message: str


def set_gift_options(
    locked: LockedCart,
    *,
    gift_message: GiftMessage | None,
    gift_receipt_included: bool,
    printed_card_included: bool,
) -> CartChange:
    """Store the cart's gift options under the cart lock (Magento's ``setGiftOptionsOnCart``):
    ``gift_message`` None or with an empty text removes the message. They do not change what is
    bought or its price, but they go on the order, so the cart version is bumped like any change."""
    text = (gift_message.message if gift_message else "").strip()
    cart = _changeable(locked)
    cart.gift_message_to = gift_message.to.strip()[:255] if text else ""
    cart.gift_message_from = gift_message.sender.strip()[:255] if text else ""
    cart.gift_message = text
    cart.gift_receipt_included = bool(gift_receipt_included)
    cart.printed_card_included = bool(printed_card_included)
    _bump(cart, *GIFT_OPTION_FIELDS)
    return CartChange(cart)


def gift_message_of(cart) -> GiftMessage | None:
    """The gift message of a cart or an order (same field names), or None without one."""
    if not cart.gift_message:
        return None
    return GiftMessage(to=cart.gift_message_to, sender=cart.gift_message_from, message=cart.gift_message)


def gift_options_for_order(cart: Cart) -> dict:
    """The cart's gift options as the order's field values (the order keeps a copy)."""
    return {name: getattr(cart, name) for name in GIFT_OPTION_FIELDS}
