"""placeOrder: turn a cart into exactly one order, whatever is retried, double-clicked or raced.

Three short steps, no DB lock held across the payment provider's HTTP call:

1. **Reserve** (transaction, cart row locked): replay an existing order; refuse while another
   placement of this cart is in flight; check the preconditions; reserve the order number in
   the cart's ``OrderPlacement`` row (unique per cart); mark the cart as placing, which blocks
   every cart change until step 3 or a failure releases it.
2. **Pay** (no transaction): the payment provider (``cart.payment_methods``) re-checks and
   creates the payment (Klarna: create order from the authorization token). Its reference is
   saved at once (``state=authorized``), so a crash before step 3 leaves a record for
   recovery (``checkout.recovery``, run by ``klarna_reconcile``).
3. **Write** (transaction, cart row locked again): create the order from freshly computed
   totals, take stock (all or nothing), write the payment record, deactivate the cart, and
   enqueue the confirmation email (``checkout.emails``; sent after the commit, never failing it).

Failures: a refused payment releases the cart (``failed``); a timeout leaves ``uncertain`` (a
retry with the same Klarna token replays Klarna's answer, and recovery resolves it); a local
failure after payment compensates at the provider (Klarna cancel), or, when the write itself
broke (database fault), leaves ``authorized`` with the provider's reference: placeOrder then
answers "currently processing" until recovery writes the order.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cart import locks
from cart import services as cart_services
from cart.addresses import address_values
from cart.customer_carts import save_addresses_in_book
from cart.fetch import CartInfo, load_cart_info
from cart.models import Cart
from cart.payment_methods import PaymentFailed, PaymentOutcome, method_title, provider_for
from cart.totals import CartTotals, compute_totals
from shop.compiled_query import CompiledQuery
from shop.errors import DomainError
from shop.stock import decrement_stock

from . import emails
from .models import ORDER_NUMBER_OFFSET, Order, OrderAddress, OrderItem, OrderPlacement
from .preconditions import check_can_place

logger = logging.getLogger("checkout.place_order")


@dataclass(frozen=True)
class Replay:
    """Step 1 found the cart already ordered: placeOrder answers with that order again."""

    order: Order


@dataclass(frozen=True)
class Reservation:
    """Step 1's record of an attempt: the placement (order number reserved, state ``paying``)
    and what was read under the cart lock to check it, which step 2 pays for and step 3
    writes while the cart is still at ``cart_version``."""

    placement: OrderPlacement
    payment_method_code: str
    cart_version: int
    info: CartInfo
    totals: CartTotals

    @property
    def cart(self) -> Cart:
        return self.info.cart


# Read by every placeOrder: compiled once (shop.compiled_query).
ORDER_OF_CART = CompiledQuery(
    lambda cart_id: Order.objects.filter(cart_id=cart_id).order_by(), cart_id=int
)  # unique
PLACEMENT_OF_CART = CompiledQuery(
    lambda cart_id: OrderPlacement.objects.filter(cart_id=cart_id).order_by(), cart_id=int
)  # unique


def _locked_for_placement(masked_id: str, user) -> locks.LockedCart:
    """Step 1's read for placeOrder: the cart, locked, if this caller may place it. Active or
    already ordered (a retry must find its order)."""
    found = locks.lock_cart(masked_id=masked_id)
    locks.check_access(found.cart if found else None, masked_id, user, active=False)
    return found


def place_order(masked_id: str, user=None) -> Order:
    """Place the cart's order exactly once and return it.

    Idempotent: a repeated call returns the same order; a call while another is paying gets
    "The order has already been placed and is currently processing.". Calls the payment
    provider (HTTP) outside any transaction.
    """
    if not masked_id:
        raise DomainError("required_parameter", name="cart_id")
    return _place(lambda: _locked_for_placement(masked_id, user))


def complete_placement(cart: Cart) -> Order:
    """Steps 1-3 for an active cart. Shared by placeOrder, Klarna's authorization callback
    and recovery, so every path obeys the same locks and records."""
    return _place(lambda: locks.lock_cart(pk=cart.pk))


def _place(lock) -> Order:
    reserved = _reserve(lock)
    if isinstance(reserved, Replay):
        return reserved.order
    placement, code = reserved.placement, reserved.payment_method_code
    cart = reserved.cart  # as read under the lock: marked placing since, so no change can reach it
    try:
        provider = provider_for(code)
        prepared = provider.prepare(cart, reserved.info, reserved.totals)
        outcome = provider.authorize(cart, prepared, placement.order_number)
    except DomainError as error:
        release_placement(placement, OrderPlacement.State.FAILED, str(error))
        raise
    except PaymentFailed as failure:
        if failure.kind == "uncertain":
            hold_uncertain(placement, failure.message)
        else:
            release_placement(placement, OrderPlacement.State.FAILED, failure.message)
        raise DomainError("place_failed", message=failure.message) from failure
    except Exception as error:
        # We cannot tell whether the provider took the payment: keep the record for recovery.
        hold_uncertain(placement, repr(error))
        raise

    placement.state = OrderPlacement.State.AUTHORIZED
    placement.payment_reference = outcome.reference
    placement.save(update_fields=["state", "payment_reference", "updated_at"])
    return write_order(cart, placement, code, outcome, provider=provider, reservation=reserved)


def _reserve(lock) -> Replay | Reservation:
    """Step 1: ``lock()`` reads the cart with its row lock (a ``LockedCart``); check, record
    the attempt, mark the cart placing. Returns the order to replay, or the reservation."""
    with transaction.atomic():
        found = lock()
        if found is None:
            raise DomainError("cart_not_active")
        locked = found.cart
        if not locked.is_active:
            # Writing an order deactivates its cart in the same transaction (and nothing else
            # reactivates one): only an inactive cart can have an order to replay.
            existing = ORDER_OF_CART.one(cart_id=locked.pk)
            if existing is not None:
                return Replay(existing)
            raise DomainError("cart_not_active")
        placement = PLACEMENT_OF_CART.one(cart_id=locked.pk)
        retrying_uncertain = placement is not None and placement.state == OrderPlacement.State.UNCERTAIN
        # Paid at the provider, order not written (step 3 failed): a new attempt would pay
        # again and overwrite the reference; the reconcile job writes the order from it.
        paid_not_written = (
            placement is not None
            and placement.state == OrderPlacement.State.AUTHORIZED
            and bool(placement.payment_reference)
        )
        if paid_not_written or (cart_services.is_placing(locked) and not retrying_uncertain):
            raise DomainError("cart_placing")
        info = load_cart_info(locked)
        totals = compute_totals(info)
        check_can_place(info, totals, is_guest=locked.customer_id is None)
        code = locked.payment_method_code
        if placement is None:
            placement = OrderPlacement.objects.create(cart=locked)
        if not placement.order_number:
            placement.order_number = str(ORDER_NUMBER_OFFSET + placement.pk)
        placement.state = OrderPlacement.State.PAYING
        placement.payment_method_code = code
        placement.attempts += 1
        placement.started_at = timezone.now()
        placement.last_error = ""
        placement.save(
            update_fields=[
                "order_number",
                "state",
                "payment_method_code",
                "attempts",
                "started_at",
                "last_error",
                "updated_at",
            ]
        )
        cart_services.mark_placing(found)
        return Reservation(placement, code, locked.version, info, totals)


def hold_uncertain(placement: OrderPlacement, error: str) -> None:
    """The provider may have taken the payment: record ``uncertain`` and keep the cart frozen
    (its placing marker stays until CART_PLACING_TIMEOUT), so it cannot drift away from what
    the provider may hold. Only a retry of this placement (placeOrder again, or
    klarna_reconcile) may proceed; with Klarna it replays the first answer for the token."""
    placement.state = OrderPlacement.State.UNCERTAIN
    placement.last_error = error[:2000]
    placement.save(update_fields=["state", "last_error", "updated_at"])
    logger.warning(
        "placement %s of cart %s is uncertain: %s", placement.order_number, placement.cart_id, error
    )


def release_placement(placement: OrderPlacement, state: str, error: str) -> None:
    """End a placement attempt without an order: record ``state`` and let the cart change again."""
    with transaction.atomic():
        placement.state = state
        placement.last_error = error[:2000]
        placement.save(update_fields=["state", "last_error", "updated_at"])
        cart_services.release_placing(placement.cart_id)
    logger.info("placement %s of cart %s ended %s", placement.order_number, placement.cart_id, state)


def write_order(
    cart: Cart,
    placement: OrderPlacement,
    code: str,
    outcome: PaymentOutcome,
    *,
    provider=None,
    reservation: Reservation | None = None,
) -> Order:
    """Step 3: write the order for a payment the provider accepted. Compensates on failure.

    ``reservation`` is step 1's, whose totals the payment was authorized for: when the cart's
    version is still the reserved one the order records exactly those totals (a product price
    edited in the admin meanwhile does not change what was paid) and the cart is not read
    again. Recovery and the authorization callback pass none: the cart is read under the
    lock here."""
    provider = provider or provider_for(code)
    try:
        with transaction.atomic():
            found = locks.lock_cart(pk=cart.pk)
            locked = found.cart if found else None
            if locked is not None and not locked.is_active:  # ordered meanwhile (see _reserve)
                existing = ORDER_OF_CART.one(cart_id=locked.pk)
                if existing is not None:
                    return existing
            if reservation is not None and locked.version != reservation.cart_version:
                raise DomainError(
                    "place_failed", message="Your cart changed while the order was being placed."
                )
            if reservation is not None:
                info, totals = reservation.info, reservation.totals
            else:
                info = load_cart_info(locked)
                totals = compute_totals(info)
            order, items, addresses = _create_order(
                locked, info, totals, placement.order_number, code, outcome
            )
            decrement_stock({item.product_id: item.quantity for item in info.items})
            save_addresses_in_book(locked, (info.shipping_address, info.billing_address))
            cart_services.record_coupon_use(totals.coupon)
            provider.record(order, outcome)
            placement.state = OrderPlacement.State.COMPLETED
            placement.last_error = ""
            placement.save(update_fields=["state", "last_error", "updated_at"])
            cart_services.deactivate_ordered_cart(found)
            # Committed with the order or not at all; sent after the commit (checkout.emails).
            emails.enqueue_confirmation(order, items, addresses)
    except DomainError as error:
        provider.compensate(outcome)
        release_placement(placement, OrderPlacement.State.FAILED, str(error))
        raise
    except Exception as error:
        # Paid, no local order: leave it 'authorized'. With a provider payment (Klarna) the
        # cart stays frozen for recovery, which writes the order from that payment
        # and needs the cart to still match it; without one (checkmo) a retry places it.
        logger.exception("order %s paid but not written", placement.order_number)
        with transaction.atomic():
            placement.last_error = repr(error)[:2000]
            placement.save(update_fields=["last_error"])
            if not outcome.reference:
                cart_services.release_placing(placement.cart_id)
        raise
    logger.info("order %s placed (%s, %s)", order.number, code, order.status)
    return order


def _create_order(cart, info, totals, number, code, outcome):
    """The order, its items and its addresses, written (three INSERTs)."""
    shipping = totals.shipping
    order = Order.objects.create(
        number=number,
        cart=cart,
        customer_id=cart.customer_id,
        email=cart.email or (cart.customer.email if cart.customer_id else ""),
        status=outcome.order_status,
        store_id=cart.store_id,  # the cart's store (None: default); totals are in its currency
        currency=totals.currency,
        prices_include_tax=totals.prices_include_tax,
        subtotal_excl_tax=totals.subtotal_excl_tax,
        subtotal_incl_tax=totals.subtotal_incl_tax,
        discount_total=totals.discount_total,
        discount_label=totals.discount_label,
        coupon_code=totals.coupon.code if totals.coupon else "",
        shipping_carrier_code=shipping.carrier_code if shipping else "",
        shipping_method_code=shipping.method_code if shipping else "",
        shipping_title=f"{shipping.carrier_title} - {shipping.method_title}" if shipping else "",
        shipping_excl_tax=shipping.excl_tax if shipping else 0,
        shipping_incl_tax=shipping.incl_tax if shipping else 0,
        tax_total=totals.tax_total,
        grand_total=totals.grand_total,
        applied_taxes=[{"title": tax.title, "amount": str(tax.amount)} for tax in totals.applied_taxes],
        payment_method_code=code,
        payment_method_title=method_title(code),
        payment_details=dict(outcome.details),
        **cart_services.gift_options_for_order(cart),
    )
    products = {item.pk: item.product_id for item in info.items}
    items = OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product_id=products[line.item_id],
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                tax_rate=line.tax.rate,
                tax_title=line.tax.title if line.tax.rate else "",
                price_excl_tax=line.price_excl_tax,
                price_incl_tax=line.price_incl_tax,
                row_total_excl_tax=line.row_total_excl_tax,
                row_total_incl_tax=line.row_total_incl_tax,
                discount=line.discount,
                tax_amount=line.tax_amount,
                total_incl_tax=line.total_incl_tax,
            )
            for line in totals.lines
        ]
    )
    addresses = OrderAddress.objects.bulk_create(
        [
            OrderAddress(order=order, kind=address.kind, **address_values(address))
            for address in (info.shipping_address, info.billing_address)
            if address is not None
        ]
    )
    return order, items, addresses
