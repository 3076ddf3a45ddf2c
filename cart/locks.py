"""Row locks for carts, in one place.

Every writer locks the cart row before its items and addresses, and several carts in
primary-key order, so concurrent changes serialize instead of deadlocking or losing updates.
A lock is handed on as a ``LockedCart``: the services of ``cart.services`` take one as their
argument, so a write can only happen to a cart whose row this transaction holds.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from shop.compiled_query import CompiledQuery
from shop.errors import DomainError
from shop.store import requested_store

from .models import Cart


@dataclass(frozen=True)
class LockedCart:
    """A cart row read with its row lock, its coupon read in the same query. Valid only inside
    the transaction that took the lock (the ``with`` block of ``cart_for_change``/``locked``
    or the caller's ``transaction.atomic``)."""

    cart: Cart

    @property
    def pk(self) -> int:
        return self.cart.pk


def _rows():
    return Cart.objects.select_for_update(of=("self",)).select_related("coupon").order_by()


# Every cart mutation and placeOrder starts with one of these two reads.
_BY_PK = CompiledQuery(lambda pk: _rows().filter(pk=pk), pk=int)
_BY_MASKED_ID = CompiledQuery(lambda masked_id: _rows().filter(masked_id=masked_id), masked_id=str)


def lock_cart(*, pk: int | None = None, masked_id: str | None = None) -> LockedCart | None:
    """Lock the cart ``pk`` (or ``masked_id``); None when there is no such cart. The caller is
    in a transaction (like Django, a locking read outside one is refused)."""
    cart = _BY_PK.one(pk=pk) if masked_id is None else _BY_MASKED_ID.one(masked_id=masked_id)
    return LockedCart(cart) if cart is not None else None


def lock_carts(pks: Iterable[int]) -> dict[int, LockedCart]:
    """Lock several carts in primary-key order (caller is in a transaction); missing ones are
    left out."""
    return {cart.pk: LockedCart(cart) for cart in _rows().filter(pk__in=set(pks)).order_by("pk")}


def check_access(cart: Cart | None, masked_id: str, user, *, active: bool = True) -> Cart:
    """``cart`` (looked up by ``masked_id``) if ``user`` (None for a guest) may use it; with
    ``active=False`` an ordered cart passes too (placeOrder replays its order). Magento's
    GetCartForUser: cart_not_found / cart_not_active / cart_wrong_store / cart_not_owned."""
    if cart is None:
        raise DomainError("cart_not_found", cart_id=masked_id)
    # Magento checks "active" before "yours": an ordered cart is simply gone for everyone.
    if active and not cart.is_active:
        raise DomainError("cart_not_active")
    # A cart belongs to the store it was created in (GetCartForUser's store check).
    store = requested_store()
    if store is not None and cart.store_id != store.pk:
        raise DomainError("cart_wrong_store", cart_id=masked_id)
    owner_id = user.pk if user is not None else None
    if cart.customer_id != owner_id:
        raise DomainError("cart_not_owned", cart_id=masked_id)
    return cart


@contextmanager
def cart_for_change(masked_id: str, user=None) -> Iterator[LockedCart]:
    """A cart mutation's transaction: the cart ``masked_id``, locked, if ``user`` (None for a
    guest) may use it. The services called in the block write in this transaction; an error
    rolls the whole block back. Nothing inside may make an HTTP call."""
    with transaction.atomic():
        found = lock_cart(masked_id=masked_id)
        check_access(found.cart if found else None, masked_id, user)
        yield found


@contextmanager
def locked(cart: Cart) -> Iterator[LockedCart]:
    """``cart`` locked in a new transaction, for server-side callers that already hold the
    cart (storefront forms, checkout prefill, reconcile). Raises cart_not_active when the row
    is gone."""
    with transaction.atomic():
        found = lock_cart(pk=cart.pk)
        if found is None:
            raise DomainError("cart_not_active")
        yield found
