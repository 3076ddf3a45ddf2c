"""Every change to a cart goes through here.

Each public function is a short transaction: it locks the cart row (``cart.locks``), re-reads
what it needs, validates, writes, and bumps ``Cart.version`` so the Klarna session and
placeOrder can tell the cart changed. No function here makes an HTTP call. Errors are
``DomainError`` codes; the GraphQL edge maps them to Magento's messages.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.errors import DomainError
from shop.models import Product
from shop.orm import CompiledQuery, insert, insert_many, update_by_pk

from .addresses import Address, address_values
from .fetch import CartInfo, load_cart_addresses, load_cart_info
from .locks import cart_for_update
from .models import MASKED_ID_LENGTH, Cart, CartAddress, CartItem, Coupon
from .payment_methods import available_payment_methods, provider_for
from .totals import compute_totals, coupon_applies


@dataclass(frozen=True)
class CartUserError:
    """A per-item problem reported in ``user_errors``/``errors`` instead of failing the call."""

    code: str  # CartUserInputErrorType
    message: str
    quantity: Decimal | None = None


# --- lookup ----------------------------------------------------------------------------------------


CART_BY_MASKED_ID = CompiledQuery(
    lambda masked_id: Cart.objects.select_related("coupon").filter(masked_id=masked_id).order_by(),
    masked_id=str,
)
LOCKED_CART = CompiledQuery(lambda pk: cart_for_update(pk).select_related("coupon").order_by(), pk=int)


LOCKED_CART_BY_MASKED_ID = CompiledQuery(
    lambda masked_id: (
        Cart.objects.select_for_update(of=("self",))
        .select_related("coupon")
        .filter(masked_id=masked_id)
        .order_by()
    ),
    masked_id=str,
)


def check_access(cart: Cart | None, masked_id: str, user, *, active: bool = True) -> Cart:
    """``cart`` (looked up by ``masked_id``) if ``user`` (None for a guest) may use it; with
    ``active=False`` an ordered cart passes too (placeOrder replays its order)."""
    if cart is None:
        raise DomainError("cart_not_found", cart_id=masked_id)
    # Magento checks "active" before "yours": an ordered cart is simply gone for everyone.
    if active and not cart.is_active:
        raise DomainError("cart_not_active")
    owner_id = user.pk if user is not None else None
    if cart.customer_id != owner_id:
        raise DomainError("cart_not_owned", cart_id=masked_id)
    return cart


def get_cart_for_user(masked_id: str, user=None) -> Cart:
    """The active cart ``masked_id`` if ``user`` (None for a guest) may use it.

    Raises cart_not_found / cart_not_active / cart_not_owned, like Magento's GetCartForUser.
    """
    return check_access(CART_BY_MASKED_ID.one(masked_id=masked_id), masked_id, user)  # unique


@contextmanager
def cart_for_change(masked_id: str, user=None):
    """``get_cart_for_user`` for a mutation: the lookup takes the row lock in a transaction
    that lasts the block, and the ``changing`` block of the service called inside reuses that
    lock instead of reading the row a second time. Nothing inside may make an HTTP call."""
    with transaction.atomic():
        cart = check_access(LOCKED_CART_BY_MASKED_ID.one(masked_id=masked_id), masked_id, user)
        cart._locked_for_change = True
        try:
            yield cart
        finally:
            cart._locked_for_change = False


def is_placing(cart: Cart) -> bool:
    started = cart.placing_started_at
    return started is not None and timezone.now() - started < timedelta(seconds=settings.CART_PLACING_TIMEOUT)


@contextmanager
def changing(cart: Cart):
    """Lock ``cart`` for a change; bump its version when the block succeeds.

    A cart from ``cart_for_change`` is already locked by the enclosing transaction: it is used
    as is (no second read, no savepoint; an error rolls the whole mutation back)."""
    reuse = getattr(cart, "_locked_for_change", False) and transaction.get_connection().in_atomic_block
    with transaction.atomic(savepoint=not reuse):
        locked = cart if reuse else LOCKED_CART.one(pk=cart.pk)
        if locked is None or not locked.is_active:
            raise DomainError("cart_not_active")
        if is_placing(locked):
            raise DomainError("cart_placing")
        yield locked
        # We hold the row lock, so the stored version is exactly locked.version: no re-read.
        # Cart fields the block changed (save_with_version) go in the same UPDATE.
        now = timezone.now()
        changed = {}
        for name in sorted(getattr(locked, "_changed_fields", ())):
            attname = Cart._meta.get_field(name).attname
            changed[attname] = getattr(locked, attname)
        update_by_pk(Cart, locked.pk, increment=("version",), updated_at=now, **changed)
        locked.version += 1
        locked.updated_at = now
        locked.__dict__.pop("_changed_fields", None)
    # Callers keep using their instance: mirror what changed, the coupon object included (it
    # was loaded with the lock), so reading the cart afterwards needs no extra query.
    for field in ("version", "updated_at", "email", "coupon_id", "payment_method_code"):
        setattr(cart, field, getattr(locked, field))
    if locked.coupon_id is None or "coupon" in locked._state.fields_cache:
        cart.coupon = locked.coupon
    else:
        cart._state.fields_cache.pop("coupon", None)


def save_with_version(locked: Cart, *fields: str) -> None:
    """Inside ``changing``: write these fields of the locked cart with the version bump (one
    UPDATE at the end of the block instead of a save plus the bump)."""
    locked.__dict__.setdefault("_changed_fields", set()).update(fields)


# --- creation --------------------------------------------------------------------------------------


def create_guest_cart(cart_uid: str | None = None) -> Cart:
    """A new guest cart, with a random masked id or the client's 32-character one."""
    if cart_uid is None:
        return insert(Cart())
    if len(cart_uid) != MASKED_ID_LENGTH:
        raise DomainError("cart_id_length")
    try:
        with transaction.atomic():
            return insert(Cart(masked_id=cart_uid))
    except IntegrityError:
        raise DomainError("cart_exists", cart_id=cart_uid) from None


# --- items -----------------------------------------------------------------------------------------


NOT_POSITIVE = CartUserError("INVALID_PARAMETER_VALUE", "The product quantity should be greater than 0")


def _is_positive(quantity) -> bool:
    return quantity is not None and quantity == quantity and quantity > 0  # NaN is not


def _quantity_error(quantity) -> CartUserError | None:
    if not _is_positive(quantity):
        return NOT_POSITIVE
    # A literal like 1e400 parses as infinity, which int() cannot take: it is "too large" below.
    if quantity < float("inf") and quantity != int(quantity):
        return CartUserError("INVALID_PARAMETER_VALUE", "You cannot use decimal quantity for this product.")
    if quantity > settings.CART_MAX_QTY_PER_LINE:
        return CartUserError(
            "INSUFFICIENT_STOCK", f"The most you may purchase is {settings.CART_MAX_QTY_PER_LINE}."
        )
    return None


def add_products(
    cart: Cart, requested: list[tuple[str, float]], *, all_or_nothing: bool = False
) -> list[CartUserError]:
    """Add (sku, quantity) pairs under the cart lock; a line for the same product grows.

    Per-item problems are returned (Magento's ``user_errors``) and do not stop the other
    items. With ``all_or_nothing`` (the legacy ``addSimpleProductsToCart``) the first problem
    raises ``invalid_input`` and nothing is added.
    """
    return add_products_and_read(cart, requested, all_or_nothing=all_or_nothing)[0]


def add_products_and_read(
    cart: Cart, requested: list[tuple[str, float]], *, all_or_nothing: bool = False
) -> tuple[list[CartUserError], CartInfo]:
    """``add_products``, also returning the cart's info as written (read under the lock), so
    the response needs no second read."""
    errors: list[CartUserError] = []
    with changing(cart) as locked:
        skus = {sku for sku, _ in requested if sku}
        products = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
        info = load_cart_info(locked)  # items with their products, addresses, tax rates
        lines = {item.product_id: item for item in info.items}
        new_lines: dict[int, CartItem] = {}
        for sku, quantity in requested:
            if not _is_positive(quantity):  # Magento looks at the quantity before the product
                errors.append(NOT_POSITIVE)
                continue
            product = products.get(sku)
            if product is None:
                errors.append(
                    CartUserError("PRODUCT_NOT_FOUND", f'Could not find a product with SKU "{sku}"')
                )
                continue
            problem = _quantity_error(quantity)
            if problem:
                errors.append(problem)
                continue
            if not product.in_stock:
                errors.append(
                    CartUserError("NOT_SALABLE", "Product that you are trying to add is not available.")
                )
                continue
            line = lines.get(product.pk)
            wanted = int(quantity) + (line.quantity if line else 0)
            if wanted > settings.CART_MAX_QTY_PER_LINE:
                errors.append(
                    CartUserError(
                        "INSUFFICIENT_STOCK",
                        f"The most you may purchase is {settings.CART_MAX_QTY_PER_LINE}.",
                    )
                )
                continue
            if wanted > product.stock_qty:
                errors.append(
                    CartUserError(
                        "INSUFFICIENT_STOCK", "The requested qty is not available", Decimal(product.stock_qty)
                    )
                )
                continue
            if line:
                line.quantity = wanted
                if line.pk is not None:
                    line.save(update_fields=["quantity"])
            else:
                lines[product.pk] = new_lines[product.pk] = CartItem(
                    cart=locked, product=product, quantity=wanted
                )
        if errors and all_or_nothing:
            # Raised inside the locked transaction: the items added above are rolled back.
            raise DomainError("invalid_input", message=errors[0].message)
        # One INSERT for every new line (in request order, so item ids follow it).
        insert_many(list(new_lines.values()))
        info.items.extend(new_lines.values())  # ids above every existing line: still in id order
    return errors, info


def update_items(cart: Cart, updates: list[tuple[int, float]]) -> list[CartUserError]:
    """Set quantities by item id; 0 removes the line. An unknown item fails the whole call."""
    errors: list[CartUserError] = []
    with changing(cart) as locked:
        items = {item.pk: item for item in CartItem.objects.filter(cart=locked).select_related("product")}
        for item_id, _ in updates:
            if item_id not in items:
                raise DomainError("cart_item_not_found", item_id=item_id)
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
                errors.append(
                    CartUserError(
                        "INSUFFICIENT_STOCK",
                        "The requested qty is not available",
                        Decimal(item.product.stock_qty),
                    )
                )
                continue
            item.quantity = int(quantity)
            item.save(update_fields=["quantity"])
    return errors


def remove_item(cart: Cart, item_id: int) -> None:
    with changing(cart) as locked:
        deleted, _ = CartItem.objects.filter(cart=locked, pk=item_id).delete()
        if not deleted:
            raise DomainError("cart_item_not_in_cart", item_id=item_id)


# --- coupons ---------------------------------------------------------------------------------------


def apply_coupon(cart: Cart, code: str) -> None:
    """Apply coupon ``code`` (case-insensitive) under the cart lock.

    Checks in Magento's order: a coupon that still discounts the cart blocks another, an
    empty cart takes none, then the code must exist, be usable now and its minimum subtotal
    be met. A stale coupon (expired, used up, minimum no longer met) is simply replaced.
    """
    code = (code or "").strip()
    if not code:
        raise DomainError("coupon_code_missing")
    with changing(cart) as locked:
        items = list(CartItem.objects.filter(cart=locked).select_related("product"))
        subtotal = sum((item.product.price * item.quantity for item in items), Decimal(0))
        if coupon_applies(locked.coupon, subtotal):
            raise DomainError("coupon_already_applied")
        if not items:
            raise DomainError("coupon_empty_cart")
        coupon = Coupon.objects.filter(code=code.upper()).first()
        if not coupon_applies(coupon, subtotal):
            raise DomainError("coupon_invalid")
        locked.coupon = coupon
        save_with_version(locked, "coupon")


def remove_coupon(cart: Cart) -> None:
    with changing(cart) as locked:
        locked.coupon = None
        save_with_version(locked, "coupon")


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


def set_guest_email(cart: Cart, email: str) -> None:
    """Store the guest's email under the cart lock."""
    email = clean_guest_email(email)
    with changing(cart) as locked:
        locked.email = email
        save_with_version(locked, "email")


def _addresses(cart: Cart) -> dict[str, CartAddress]:
    return load_cart_addresses(cart)


def _store_address(
    cart: Cart, kind: str, address: Address, existing: CartAddress | None = None, **extra
) -> CartAddress:
    """Create the cart's ``kind`` address or overwrite ``existing`` (already read under the lock)."""
    values = {
        "firstname": address.firstname,
        "lastname": address.lastname,
        "company": address.company,
        "street": address.street,
        "city": address.city,
        "region_code": address.region_code,
        "region_label": address.region_label,
        "postcode": address.postcode,
        "country_code": address.country_code,
        "telephone": address.telephone,
        **extra,
    }
    if existing is None:
        return insert(CartAddress(cart=cart, kind=kind, **values))
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save(update_fields=list(values))
    return existing


def set_shipping_address(cart: Cart, address: Address, customer_notes: str = "") -> dict[str, CartAddress]:
    """Replace the shipping address. The selected shipping method is kept when it is still offered.
    Returns the cart's addresses by kind as written."""
    if len(customer_notes or "") > CartAddress._meta.get_field("customer_notes").max_length:
        raise DomainError("address_field_invalid", value=customer_notes[:20] + "…", field="customer_notes")
    with changing(cart) as locked:
        addresses = _addresses(locked)
        existing = addresses.get(CartAddress.Kind.SHIPPING)
        addresses[CartAddress.Kind.SHIPPING] = _store_address(
            locked,
            CartAddress.Kind.SHIPPING,
            address,
            existing,
            customer_notes=customer_notes or "",
            shipping_carrier_code=existing.shipping_carrier_code if existing else "",
            shipping_method_code=existing.shipping_method_code if existing else "",
            same_as_billing=False,
        )
    return addresses


def set_billing_address(
    cart: Cart, address: Address | None, *, same_as_shipping: bool = False, use_for_shipping: bool = False
) -> dict[str, CartAddress]:
    """Set the billing address: from ``address``, or a copy of the shipping address
    (``same_as_shipping``); ``use_for_shipping`` also makes it the shipping address.
    Returns the cart's addresses by kind as written."""
    with changing(cart) as locked:
        addresses = _addresses(locked)
        shipping = addresses.get(CartAddress.Kind.SHIPPING)
        copied_from_shipping = same_as_shipping and address is None
        if copied_from_shipping:
            if shipping is None:
                raise DomainError("billing_same_as_shipping_unset")
            address = Address(**address_values(shipping))
        addresses[CartAddress.Kind.BILLING] = _store_address(
            locked, CartAddress.Kind.BILLING, address, addresses.get(CartAddress.Kind.BILLING)
        )
        if copied_from_shipping:
            # The shipping address already holds these values: only mark it.
            if not shipping.same_as_billing:
                shipping.same_as_billing = True
                update_by_pk(CartAddress, shipping.pk, same_as_billing=True)
        elif use_for_shipping or same_as_shipping:
            addresses[CartAddress.Kind.SHIPPING] = _store_address(
                locked,
                CartAddress.Kind.SHIPPING,
                address,
                shipping,
                same_as_billing=True,
                shipping_carrier_code=shipping.shipping_carrier_code if shipping else "",
                shipping_method_code=shipping.shipping_method_code if shipping else "",
            )
    return addresses


# --- shipping and payment methods ----------------------------------------------------------------


def set_shipping_method(cart: Cart, carrier_code: str, method_code: str) -> CartInfo:
    """Select a shipping method; returns the cart's info as written (read under the lock), so
    the caller can show the cart without reading it again."""
    with changing(cart) as locked:
        info = load_cart_info(locked)
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
    return info


def set_payment_method(cart: Cart, code: str, data: dict | None = None) -> CartInfo:
    """Select a payment method the cart may use now; its provider validates ``data``. Returns
    the cart's info as written (read under the lock)."""
    if not code:
        raise DomainError("payment_code_missing")
    provider = provider_for(code)
    with changing(cart) as locked:
        info = load_cart_info(locked)
        if info.shipping_address is None and not info.is_virtual:
            raise DomainError("shipping_address_not_set")
        totals = compute_totals(info)
        codes = {method.code for method in available_payment_methods(info, totals)}
        if code not in codes:
            raise DomainError("payment_method_unavailable")
        provider.select(locked, code, data or {})
        locked.payment_method_code = code
        save_with_version(locked, "payment_method_code")
    return info


# --- placing (called by checkout.place_order) ------------------------------------------------------


def mark_placing(cart_pk: int) -> None:
    """Block changes to the cart while its order is being paid (caller holds the cart lock)."""
    update_by_pk(Cart, cart_pk, placing_started_at=timezone.now())


def release_placing(cart_pk: int) -> None:
    """Let the shopper change the cart again after a failed payment."""
    update_by_pk(Cart, cart_pk, placing_started_at=None)


def deactivate_ordered_cart(cart_pk: int) -> None:
    """The cart became an order: it stays readable by its order but can never change again."""
    update_by_pk(Cart, cart_pk, is_active=False, placing_started_at=None)


def record_coupon_use(coupon: Coupon | None) -> None:
    if coupon is not None:
        update_by_pk(Coupon, coupon.pk, increment=("times_used",))


# --- gift options (Magento Open Source gift message) ---------------------------------------------------

GIFT_MESSAGE_FIELDS = ("gift_message_to", "gift_message_from", "gift_message")
GIFT_OPTION_FIELDS = (*GIFT_MESSAGE_FIELDS, "gift_receipt_included", "printed_card_included")


@dataclass(frozen=True)
class GiftMessage:
    to: str
    sender: str  # Magento's ``from``
    message: str


def set_gift_options(
    cart: Cart, *, gift_message: GiftMessage | None, gift_receipt_included: bool, printed_card_included: bool
) -> None:
    """Store the cart's gift options under the cart lock (Magento's ``setGiftOptionsOnCart``):
    ``gift_message`` None or with an empty text removes the message. They do not change what is
    bought or its price, but they go on the order, so the cart version is bumped like any change."""
    text = (gift_message.message if gift_message else "").strip()
    with changing(cart) as locked:
        locked.gift_message_to = gift_message.to.strip()[:255] if text else ""
        locked.gift_message_from = gift_message.sender.strip()[:255] if text else ""
        locked.gift_message = text
        locked.gift_receipt_included = bool(gift_receipt_included)
        locked.printed_card_included = bool(printed_card_included)
        save_with_version(locked, *GIFT_OPTION_FIELDS)


def gift_message_of(cart) -> GiftMessage | None:
    """The gift message of a cart or an order (same field names), or None without one."""
    if not cart.gift_message:
        return None
    return GiftMessage(to=cart.gift_message_to, sender=cart.gift_message_from, message=cart.gift_message)


def gift_options_for_order(cart: Cart) -> dict:
    """The cart's gift options as the order's field values (the order keeps a copy)."""
    return {name: getattr(cart, name) for name in GIFT_OPTION_FIELDS}
