"""Carts of signed-in customers: the customer's cart, merging a guest cart into it, taking
over a guest cart, and addresses from the customer's address book.

Magento's rules: a customer has one active cart (``customerCart`` creates it when absent); a
customer cart is usable only by its owner and a guest cart only by guests
(``services.get_cart_for_user``). The account's email is the cart's email.

Locks: the user row serializes creating a customer's cart; carts are locked in primary-key
order (``cart.locks``) so two merges never deadlock. No HTTP here.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shop import customers
from shop.errors import DomainError
from shop.store import current_store_pk

from .addresses import Address, validate_address
from .locks import lock_carts, locked
from .models import MASKED_ID_LENGTH, Cart, CartItem
from .services import get_cart_for_user, is_placing


def active_customer_cart(customer) -> Cart | None:
    """The customer's active cart in the request's store (Magento: a quote per store), or None
    (never creates one)."""
    return (
        Cart.objects.select_related("coupon")
        .filter(customer=customer, is_active=True, store_id=current_store_pk())
        .order_by("-id")
        .first()
    )


def customer_cart(customer, masked_id: str | None = None) -> Cart:
    """The customer's active cart, created when there is none. Concurrent calls for one
    customer get the same cart (the user row is locked while looking and creating).

    ``masked_id`` (``createEmptyCart(input: {cart_id})``): the client's 32-character id for the
    new cart, refused when taken (Magento's checks and messages). Magento gives an existing
    quote a second id; a cart here has one, so a customer who already has an active cart is
    refused rather than having the id that other sessions hold replaced."""
    if masked_id is not None:
        if len(masked_id) != MASKED_ID_LENGTH:
            raise DomainError("cart_id_length")
        if Cart.objects.filter(masked_id=masked_id).exists():
            raise DomainError("cart_exists", cart_id=masked_id)
    cart = active_customer_cart(customer)
    if cart is not None and masked_id is None:
        return cart
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=customer.pk).first()
        cart = active_customer_cart(customer)
        if cart is None:
            try:
                with transaction.atomic():
                    fields = {"masked_id": masked_id} if masked_id is not None else {}
                    cart = Cart.objects.create(customer=customer, email=customer.email, **fields)
            except IntegrityError:
                raise DomainError("cart_exists", cart_id=masked_id) from None
        elif masked_id is not None:
            raise DomainError("customer_cart_exists")
    return cart


def _lock(*carts: Cart) -> dict[int, Cart]:
    """Lock the carts in primary-key order (caller is in a transaction); refuse inactive ones
    and carts whose order is being placed."""
    pks = {cart.pk for cart in carts}
    rows = {pk: found.cart for pk, found in lock_carts(pks).items()}
    for pk in sorted(pks):
        row = rows.get(pk)
        if row is None or not row.is_active:
            raise DomainError("cart_not_active")
        if is_placing(row):
            raise DomainError("cart_placing")
    return rows


def _move_items(source: Cart, destination: Cart) -> None:
    """Add the source's lines to the destination (Magento's quote merge): the same product's
    quantities are summed, capped at the stock and the per-line maximum but never below what
    the destination already had; lines no longer for sale are left behind."""
    lines = {item.product_id: item for item in CartItem.objects.filter(cart=destination)}
    for item in CartItem.objects.filter(cart=source).select_related("product"):
        product = item.product
        if not product.in_stock:
            continue
        line = lines.get(product.pk)
        had = line.quantity if line else 0
        wanted = min(had + item.quantity, product.stock_qty, settings.CART_MAX_QTY_PER_LINE)
        wanted = max(wanted, had)
        if line is None:
            lines[product.pk] = CartItem.objects.create(cart=destination, product=product, quantity=wanted)
        elif wanted != had:
            line.quantity = wanted
            line.save(update_fields=["quantity"])
    if destination.coupon_id is None and source.coupon_id is not None:
        destination.coupon_id = source.coupon_id
        destination.save(update_fields=["coupon"])


def _changed(*carts: Cart) -> None:
    Cart.objects.filter(pk__in=[c.pk for c in carts]).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def merge_carts(source_id: str, destination_id: str | None, customer) -> Cart:
    """``mergeCarts``: move a guest cart's items into the customer's cart (``destination_id``,
    or the customer's cart, created when absent) and deactivate the guest cart. The source
    may also be another active cart of the same customer. Atomic; both carts locked."""
    if not source_id:
        raise DomainError("merge_source_missing")
    if customer is None:
        raise DomainError("customer_not_authorized")
    source = Cart.objects.filter(masked_id=source_id).first()
    if source is None:
        raise DomainError("cart_not_found", cart_id=source_id)
    if not source.is_active:
        raise DomainError("cart_not_active")
    if source.customer_id not in (None, customer.pk):
        raise DomainError("cart_not_owned", cart_id=source_id)
    destination = get_cart_for_user(destination_id, customer) if destination_id else customer_cart(customer)
    if destination.pk == source.pk:
        return destination
    with transaction.atomic():
        locked = _lock(source, destination)
        _move_items(locked[source.pk], locked[destination.pk])
        Cart.objects.filter(pk=source.pk).update(is_active=False)
        _changed(destination)
    return Cart.objects.select_related("coupon").get(pk=destination.pk)


def assign_customer_to_guest_cart(masked_id: str, customer) -> Cart:
    """``assignCustomerToGuestCart``: the guest cart becomes the customer's cart (same masked
    id, addresses kept). The customer's previous active cart is merged into it and
    deactivated, so the customer still has one active cart."""
    if customer is None:
        raise DomainError("customer_not_authorized")
    guest = get_cart_for_user(masked_id, None)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=customer.pk).first()
        previous = list(Cart.objects.filter(customer=customer, is_active=True))
        locked = _lock(guest, *previous)
        target = locked[guest.pk]
        for cart in previous:
            _move_items(locked[cart.pk], target)
        Cart.objects.filter(pk__in=[c.pk for c in previous]).update(is_active=False)
        Cart.objects.filter(pk=guest.pk).update(customer=customer, email=customer.email)
        _changed(guest)
    return Cart.objects.select_related("coupon").get(pk=guest.pk)


def customer_address(customer, address_id) -> Address:
    """An address of the customer's address book, checked like a typed-in one (the store may
    no longer ship to its country). Magento's messages for unknown and foreign ids."""
    stored = customers.address_of(customer, address_id)
    return validate_address(
        {
            "firstname": stored.firstname,
            "lastname": stored.lastname,
            "company": stored.company,
            "street": stored.street,
            "city": stored.city,
            "region": stored.region_code or stored.region_label,
            "postcode": stored.postcode,
            "country_code": stored.country_code,
            "telephone": stored.telephone,
        }
    )


def save_addresses_in_book(cart: Cart, addresses) -> None:
    """At the order's write step: the cart's addresses marked ``save_in_address_book`` go to
    its customer's address book (Magento's QuoteManagement does it when the order is submitted;
    an identical address already there is not duplicated). Guests have no book."""
    if cart.customer_id is None:
        return
    for address in addresses:
        if address is not None and address.save_in_address_book:
            customers.save_address(cart.customer, address)


def prefill_default_addresses(cart: Cart, customer) -> None:
    """Put the customer's default shipping and billing addresses on a cart that has none yet
    (the checkout starts filled in). A default the store no longer ships to is skipped."""
    from .services import set_billing_address, set_shipping_address

    kinds = set(cart.addresses.values_list("kind", flat=True))
    for kind, setter in (("shipping", set_shipping_address), ("billing", set_billing_address)):
        if kind in kinds:
            continue
        stored = customers.default_address(customer, kind)
        if stored is None:
            continue
        try:
            with locked(cart) as locked_cart:
                setter(locked_cart, customer_address(customer, stored.pk))
        except DomainError:
            continue
