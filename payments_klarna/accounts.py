"""Klarna accounts per market (issue 17): which credentials and API region a call uses.

A store names its account (``shop.models.Store.klarna_account``; empty: the default
``KLARNA_API_USERNAME``/``KLARNA_API_PASSWORD``/``KLARNA_REGION``). Accounts live in the
environment only (``settings.KLARNA_ACCOUNTS``, from ``KLARNA_<NAME>_API_USERNAME`` …), never in
the database; ``checks.check_store_klarna_accounts`` refuses to start with a missing one. Every
Klarna call of a cart or an order uses its store's account: sessions and placement through the
cart, order management and reconcile through the order (or its placement, before the order
exists).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shop.store import store_by_pk


@dataclass(frozen=True)
class KlarnaAccount:
    name: str  # "" for the default account
    username: str = field(repr=False)
    password: str = field(repr=False)
    region: str


def find_account(name: str) -> KlarnaAccount | None:
    """The account ``name`` (empty: the default one), or None when the environment lacks it.
    The emulator accepts any pair, so in emulator mode every name has one."""
    name = (name or "").upper()
    if not name:
        return KlarnaAccount(
            "", settings.KLARNA_API_USERNAME, settings.KLARNA_API_PASSWORD, settings.KLARNA_REGION
        )
    found = settings.KLARNA_ACCOUNTS.get(name)
    if found is None and settings.KLARNA_ENVIRONMENT == "emulator":
        return KlarnaAccount(name, f"emulator-{name.lower()}", "emulator-secret", settings.KLARNA_REGION)
    if found is None or not (found.get("username") and found.get("password")):
        return None
    return KlarnaAccount(
        name, found["username"], found["password"], found.get("region") or settings.KLARNA_REGION
    )


def account(name: str) -> KlarnaAccount:
    found = find_account(name)
    if found is None:  # refused at start (checks.E003); reached only if the store changed since
        raise ImproperlyConfigured(f'Klarna account "{name}" is not configured in the environment.')
    return found


def account_name_of_store(store_pk: int | None) -> str:
    """The account name of a cart's or order's store (``store_id``; None: the default store,
    which always uses the default account)."""
    return "" if store_pk is None else store_by_pk(store_pk).klarna_account


def account_name_of_klarna_order(klarna_order_id: str) -> str:
    """The account that holds a Klarna order: its order's store, else (before the order is
    written: compensation, recovery) the store of the cart whose placement paid with it."""
    from checkout.models import OrderPlacement

    from .models import KlarnaPayment

    found = KlarnaPayment.objects.filter(klarna_order_id=klarna_order_id).values_list(
        "order__store_id", flat=True
    )
    for store_pk in found:
        return account_name_of_store(store_pk)
    carts = OrderPlacement.objects.filter(payment_reference=klarna_order_id).values_list(
        "cart__store_id", flat=True
    )
    for store_pk in carts:
        return account_name_of_store(store_pk)
    return ""
