"""Klarna Payments in the shop's language: open and refresh the session of a cart, store the
shopper's authorization, and create / cancel the Klarna order for placeOrder.

Guarantees shared by every function here:
- No database lock or transaction is held while Klarna is called. Cart state is read first,
  Klarna is called outside any transaction, and the ``KlarnaSession`` row is then written in
  a short transaction (the one-active-session-per-cart constraint settles races).
- Klarna failures never reach the shopper as transport text: they become ``DomainError``
  codes with safe messages (``klarna_unavailable``, ``KlarnaPlacementError``).
- Every Klarna call is recorded (``KlarnaApiCall``) by the client and linked to its session.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cart.fetch import load_cart_info
from cart.models import Cart
from cart.totals import compute_totals
from shop.compiled_query import CompiledQuery
from shop.errors import DomainError

from . import api_log
from .accounts import account_name_of_klarna_order
from .callback_urls import authorization_url
from .client import KlarnaError, PaymentMethodCategory, SessionCreated, get_client
from .models import KlarnaApiCall, KlarnaSession
from .order_lines import (
    KlarnaMarket,
    KlarnaPayloadInvalid,
    build_payload,
    market_for,
    payload_hash,
    validate_payload,
)

logger = logging.getLogger("payments_klarna")

SESSION_LIFETIME = timedelta(hours=48)
CANCEL_KEY_NAMESPACE = uuid.UUID("6f1c2b8e-5d0a-4c63-9a57-0e9b1f2a7c11")

MESSAGE_DECLINED = (
    "Klarna could not confirm this payment because it no longer matches the authorization. "
    "Please authorize the payment with Klarna again."
)
MESSAGE_REJECTED = "Klarna rejected the request. Please select another payment method."
MESSAGE_FAILED = "Unable to authorize payment/place the order."
MESSAGE_UNCERTAIN = (
    "Klarna did not confirm the payment in time. We are checking its status; "
    "please do not pay again and check back shortly."
)


# --- reading the cart ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartPayload:
    """What Klarna should hold for the cart right now."""

    market: KlarnaMarket
    payload: dict
    hash: str

    @property
    def amount(self) -> int:
        return self.payload["order_amount"]


def cart_payload(info, totals) -> CartPayload | None:
    """The Klarna payload for a cart state, or None when Klarna cannot serve it (no items,
    a country/currency Klarna does not serve, or amounts outside Klarna's rules)."""
    if not info.items:
        return None
    market = market_for(info, totals.currency)
    if market is None:
        return None
    payload = build_payload(info, totals, market)
    try:
        validate_payload(payload)
    except KlarnaPayloadInvalid as exc:
        logger.warning("Klarna payload for cart %s breaks Klarna's rules: %s", info.cart.pk, exc)
        return None
    return CartPayload(market=market, payload=payload, hash=payload_hash(payload))


def _payload_of(cart) -> CartPayload | None:
    info = load_cart_info(cart)
    return cart_payload(info, compute_totals(info))


# At most one active session per cart (klarnasession_one_active_per_cart). Read by every Klarna
# step of a checkout (session, cart query, payment method, placeOrder): compiled once.
_ACTIVE_SESSION = CompiledQuery(
    lambda cart_id: KlarnaSession.objects.filter(
        cart_id=cart_id, status=KlarnaSession.Status.ACTIVE
    ).order_by(),
    cart_id=int,
)


def active_session(cart) -> KlarnaSession | None:
    """The cart's active Klarna session, if any (one query)."""
    return _ACTIVE_SESSION.one(cart_id=cart.pk)


def _is_expired(session: KlarnaSession) -> bool:
    return session.expires_at <= timezone.now()


def stored_categories(session: KlarnaSession) -> list[PaymentMethodCategory]:
    return [PaymentMethodCategory.from_json(item) for item in session.payment_method_categories or []]


# --- createKlarnaPaymentsSession -------------------------------------------------------------------


def open_session(cart) -> KlarnaSession:
    """Make sure Klarna holds the cart's current state and return the active session.

    - no active session → create one (1 call);
    - active, same market, not expired, payload unchanged → nothing sent (0 calls);
    - payload changed → update, then read back the categories (2 calls);
    - expired (48 h after the last update), unknown to Klarna (404 on update), or the
      country/currency/locale changed → a new session replaces it (1 call, or 2 after a 404).

    Raises ``klarna_not_active`` (disabled), ``klarna_not_available`` (Klarna cannot serve the
    cart) and ``klarna_unavailable`` (Klarna failed; details in the API call log).
    """
    if not settings.KLARNA_ENABLED:
        raise DomainError("klarna_not_active")
    current = _payload_of(cart)
    if current is None:
        raise DomainError("klarna_not_available")
    session = active_session(cart)
    client = get_client(current.market.account)  # the cart's store's Klarna account
    replaced_status = KlarnaSession.Status.REPLACED
    try:
        if session is not None and not _is_expired(session) and session.market == current.market.as_tuple():
            if session.payload_hash == current.hash:
                return session
            try:
                client.update_session(session.session_id, current.payload)
            except KlarnaError as exc:
                if exc.status != 404:
                    raise
                replaced_status = KlarnaSession.Status.GONE
            else:
                categories = None
                try:
                    categories = client.read_session(session.session_id).payment_method_categories
                except KlarnaError as exc:
                    logger.warning("Klarna session %s read failed after update: %s", session.session_id, exc)
                return _save_update(session, current, categories)
        # merchant_urls is sent at creation only and kept out of the payload hash: the
        # authorization callback is the backup for a browser that never comes back.
        created = client.create_session(
            {**current.payload, "merchant_urls": {"authorization": authorization_url(cart.masked_id)}}
        )
    except KlarnaError as exc:
        logger.warning("Klarna session for cart %s failed: %s", cart.pk, exc)
        raise DomainError("klarna_unavailable") from exc
    return _save_new(cart, session, replaced_status, current, created)


def _save_update(session: KlarnaSession, current: CartPayload, categories) -> KlarnaSession:
    session.payload_hash = current.hash
    session.payload = api_log.redact(current.payload)
    session.amount = current.amount
    session.expires_at = timezone.now() + SESSION_LIFETIME
    fields = ["payload_hash", "payload", "amount", "expires_at", "updated_at"]
    if categories is not None:
        session.payment_method_categories = [category.to_json() for category in categories]
        fields.append("payment_method_categories")
    with transaction.atomic():
        session.save(update_fields=fields)
        _link_calls(session)
    return session


def _save_new(
    cart, old: KlarnaSession | None, old_status: str, current: CartPayload, created: SessionCreated
):
    def create() -> KlarnaSession:
        return KlarnaSession.objects.create(
            cart_id=cart.pk,
            session_id=created.session_id,
            client_token=created.client_token,
            payment_method_categories=[c.to_json() for c in created.payment_method_categories],
            payload_hash=current.hash,
            payload=api_log.redact(current.payload),
            amount=current.amount,
            country=current.market.country,
            currency=current.market.currency,
            locale=current.market.locale,
            expires_at=timezone.now() + SESSION_LIFETIME,
        )

    if old is None:
        # Nothing to retire: the INSERT alone decides a race (the cart's one active session is
        # a unique constraint); linking the calls logged so far is bookkeeping on its own.
        try:
            session = create()
        except IntegrityError:
            return _concurrent_winner(cart)
        _link_calls(session)
        return session
    with transaction.atomic():
        KlarnaSession.objects.filter(pk=old.pk, status=KlarnaSession.Status.ACTIVE).update(
            status=old_status, updated_at=timezone.now()
        )
        try:
            with transaction.atomic():
                session = create()
        except IntegrityError:
            return _concurrent_winner(cart)
        _link_calls(session)
    return session


def _concurrent_winner(cart) -> KlarnaSession:
    # A concurrent request opened a session for this cart first: use theirs. Ours
    # is left to expire at Klarna (its calls stay in the log under its session id).
    logger.info("Concurrent Klarna session for cart %s; keeping the first", cart.pk)
    winner = active_session(cart)
    if winner is None:  # pragma: no cover - the winner vanished again
        raise DomainError("klarna_unavailable") from None
    return winner


def _link_calls(session: KlarnaSession) -> None:
    KlarnaApiCall.objects.filter(klarna_session_id=session.session_id, session__isnull=True).update(
        session=session
    )


# --- available_payment_methods ---------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """Klarna's categories the cart may pay with now, and the active session they come from."""

    session: KlarnaSession | None
    categories: list[PaymentMethodCategory]


def current_categories(info, totals, *, refresh: bool) -> Offer:
    """Klarna's categories the cart may pay with now, in Klarna's order, with their session.

    Without ``refresh`` (e.g. inside the cart lock of setPaymentMethodOnCart): the stored
    categories of the active session; never calls Klarna.
    With ``refresh`` (the cart query): sends the current payload when its hash changed
    (update), then reads the session back (GET, not retried so the query answers fast) — at
    most 2 calls, 1 when unchanged, 0 when the cart has no usable session. Klarna failing
    leaves Klarna out (logged and recorded); it never raises.
    """
    if not settings.KLARNA_ENABLED:
        return Offer(None, [])
    session = active_session(info.cart)
    if session is None or _is_expired(session):
        return Offer(session, [])
    current = cart_payload(info, totals)
    if current is None or current.market.as_tuple() != session.market:
        # A new market needs a new session (and client token): createKlarnaPaymentsSession.
        return Offer(session, [])
    if not refresh:
        return Offer(session, stored_categories(session))
    client = get_client(current.market.account)
    updated = False
    try:
        if current.hash != session.payload_hash:
            client.update_session(session.session_id, current.payload)
            updated = True
        read = client.read_session(session.session_id, retry=False)
    except KlarnaError as exc:
        logger.warning("Klarna refresh of session %s failed; Klarna left out: %s", session.session_id, exc)
        if exc.status == 404:
            KlarnaSession.objects.filter(pk=session.pk).update(
                status=KlarnaSession.Status.GONE, updated_at=timezone.now()
            )
        elif updated:
            _save_update(session, current, None)
        return Offer(session, [])
    if read.status == "complete":
        return Offer(session, [])
    if updated:
        _save_update(session, current, read.payment_method_categories)
    elif [c.to_json() for c in read.payment_method_categories] != session.payment_method_categories:
        session.payment_method_categories = [c.to_json() for c in read.payment_method_categories]
        session.save(update_fields=["payment_method_categories", "updated_at"])
    return Offer(session, read.payment_method_categories)


# --- setPaymentMethodOnCart ------------------------------------------------------------------------


def store_authorization(session: KlarnaSession | None, identifier: str, authorization_token: str) -> None:
    """Keep the shopper's authorization token with the cart's active ``session`` (as read under
    the cart lock for the offer the shopper picked from), together with the hash of the payload
    Klarna held when it was given. No HTTP; called inside the cart lock.

    Raises ``klarna_token_missing`` for an empty token and ``payment_method_unavailable``
    when the category is not offered by the cart's active session.
    """
    token = (authorization_token or "").strip()
    if not token:
        raise DomainError("klarna_token_missing")
    offered = {c.identifier for c in stored_categories(session)} if session else set()
    if session is None or identifier not in offered:
        raise DomainError("payment_method_unavailable")
    session.authorization_token = token
    session.authorized_category = identifier
    session.authorized_payload_hash = session.payload_hash
    session.authorized_at = timezone.now()
    session.save(
        update_fields=[
            "authorization_token",
            "authorized_category",
            "authorized_payload_hash",
            "authorized_at",
            "updated_at",
        ]
    )


# --- placeOrder ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KlarnaPlacement:
    """Everything create order needs, read once without locks by ``prepare_klarna_placement``."""

    session_pk: int
    session_id: str
    authorization_token: str = field(repr=False)
    authorized_category: str
    payload: dict = field(repr=False)
    payload_hash: str
    order_amount: int
    currency: str
    country: str
    # Klarna's name of the authorized category ("Pay later in 30 days"), from the session.
    category_name: str = ""
    account: str = ""  # the cart's store's Klarna account name ("" = default)


@dataclass(frozen=True)
class KlarnaOrderResult:
    order_id: str
    fraud_status: str  # ACCEPTED | PENDING | REJECTED
    redirect_url: str | None
    authorized_payment_method: str | None  # e.g. "invoice"
    klarna_reference: str | None = None
    # The authorized method's terms as Klarna reported them (authorized_payment_method).
    number_of_days: int | None = None
    number_of_installments: int | None = None


class KlarnaPlacementError(DomainError):
    """Create order failed. ``kind``:
    - ``declined``: Klarna refused this authorization (400/404/409): token released, the
      shopper must authorize again;
    - ``rejected``: Klarna refused the purchase (403 REJECTED): token released, choose
      another method;
    - ``failed``: not the shopper's doing (401 credentials, 403 other, 429, other 4xx);
      nothing was created. The token is released except on 401/429 (it may still be used);
    - ``uncertain``: timeout, dropped connection, 5xx or an unreadable answer — Klarna may
      have created the order. The token is kept; reconcile before anything else.
    """

    def __init__(self, kind: str, message: str, error: KlarnaError | None = None):
        super().__init__("klarna_placement_failed", message=message)
        self.kind = kind
        self.klarna_error = error


def prepare_klarna_placement(cart, *, info=None, totals=None) -> KlarnaPlacement:
    """Check that the cart can be charged with its stored Klarna authorization.

    Reads the cart, its totals and its session without locks. When the current payload
    differs from the one Klarna authorized, the session is re-synced (1 update call, only if
    Klarna does not already hold the current payload) and ``klarna_cart_changed`` is raised so
    the shopper authorizes the new amount; the stale token is kept but can never be charged.
    Raises ``klarna_token_missing`` (no session or no token) and ``klarna_not_available``
    (the cart no longer fits a Klarna market or Klarna's rules). No other Klarna calls.
    ``info``/``totals``: the cart as placeOrder read it under the lock (not read again).
    """
    session = active_session(cart)
    if session is None or not session.authorization_token:
        raise DomainError("klarna_token_missing")
    if info is not None:
        current = cart_payload(info, totals if totals is not None else compute_totals(info))
    else:
        # The caller's instance may predate the latest change (email, coupon): read the row again.
        current = _payload_of(Cart.objects.select_related("coupon").get(pk=cart.pk))
    if current is None:
        raise DomainError("klarna_not_available")
    if current.hash != session.authorized_payload_hash or current.market.as_tuple() != session.market:
        _resync(session, current)
        raise DomainError("klarna_cart_changed")
    return KlarnaPlacement(
        session_pk=session.pk,
        session_id=session.session_id,
        authorization_token=session.authorization_token,
        authorized_category=session.authorized_category,
        payload=current.payload,
        payload_hash=current.hash,
        order_amount=current.amount,
        currency=current.market.currency,
        country=current.market.country,
        category_name=category_name(session, session.authorized_category),
        account=current.market.account,
    )


def category_name(session: KlarnaSession, identifier: str) -> str:
    """Klarna's own name of one of the session's categories ("" when it offered none such)."""
    for item in session.payment_method_categories or []:
        if isinstance(item, dict) and item.get("identifier") == identifier:
            return str(item.get("name") or "")
    return ""


def _resync(session: KlarnaSession, current: CartPayload) -> None:
    if current.hash == session.payload_hash or current.market.as_tuple() != session.market:
        return  # Klarna already holds it, or only a new session can (createKlarnaPaymentsSession)
    try:
        get_client(current.market.account).update_session(session.session_id, current.payload)
    except KlarnaError as exc:
        logger.warning("Klarna re-sync of session %s failed: %s", session.session_id, exc)
        if exc.status == 404:
            KlarnaSession.objects.filter(pk=session.pk).update(
                status=KlarnaSession.Status.GONE, updated_at=timezone.now()
            )
        return
    _save_update(session, current, None)


def create_klarna_order(
    placement: KlarnaPlacement, order_number: str, merchant_urls: dict
) -> KlarnaOrderResult:
    """``POST /payments/v1/authorizations/{token}/order`` with the authorized payload plus
    ``merchant_reference1`` = ``order_number`` and ``merchant_urls``. One call, never retried
    (Klarna replays the first answer per token). Call it with no transaction open.

    On success the session is marked completed and the result returned whatever the
    ``fraud_status`` (the caller decides what REJECTED/PENDING mean for its order). On failure
    raises ``KlarnaPlacementError`` (see its ``kind``); for declined/rejected the token is
    released at Klarna (one ``DELETE``, best effort) and cleared locally.
    """
    body = {**placement.payload, "merchant_reference1": order_number}
    if merchant_urls:
        body["merchant_urls"] = dict(merchant_urls)
    client = get_client(placement.account)
    try:
        order = client.create_order(placement.authorization_token, body)
    except KlarnaError as exc:
        logger.warning("Klarna create order for %s failed: %s", order_number, exc)
        if exc.uncertain or exc.status is None or exc.status >= 500:
            raise KlarnaPlacementError("uncertain", MESSAGE_UNCERTAIN, exc) from exc
        if exc.status in (401, 429):
            raise KlarnaPlacementError("failed", MESSAGE_FAILED, exc) from exc
        if exc.status == 403 and exc.error_code == "REJECTED":
            kind, message = "rejected", MESSAGE_REJECTED
        elif exc.status in (400, 404, 409):
            kind, message = "declined", MESSAGE_DECLINED
        else:
            kind, message = "failed", MESSAGE_FAILED
        release_authorization(placement)
        raise KlarnaPlacementError(kind, message, exc) from exc
    KlarnaSession.objects.filter(pk=placement.session_pk).update(
        status=KlarnaSession.Status.COMPLETED, updated_at=timezone.now()
    )
    method = order.authorized_payment_method
    return KlarnaOrderResult(
        order_id=order.order_id,
        fraud_status=order.fraud_status,
        redirect_url=order.redirect_url,
        authorized_payment_method=method.type if method else None,
        number_of_days=method.number_of_days if method else None,
        number_of_installments=method.number_of_installments if method else None,
    )


def release_authorization(placement: KlarnaPlacement) -> None:
    """Give the authorization back to Klarna (``DELETE``, best effort) and forget it locally."""
    try:
        get_client(placement.account).cancel_authorization(placement.authorization_token)
    except KlarnaError as exc:
        logger.warning("Releasing a Klarna authorization failed: %s", exc)
    KlarnaSession.objects.filter(
        pk=placement.session_pk, authorization_token=placement.authorization_token
    ).update(
        authorization_token=None,
        authorized_payload_hash="",
        authorized_category="",
        updated_at=timezone.now(),
    )


def cancel_idempotency_key(order_id: str) -> str:
    """The same key for every attempt to cancel ``order_id`` (UUIDv5), across processes."""
    return str(uuid.uuid5(CANCEL_KEY_NAMESPACE, f"cancel:{order_id}"))


def cancel_klarna_order(
    order_id: str, idempotency_key: str | None = None, account: str | None = None
) -> None:
    """Cancel a Klarna order (compensation when the local order could not be saved).

    ``POST /ordermanagement/v1/orders/{id}/cancel`` with a ``Klarna-Idempotency-Key`` derived
    from the order id (or the given one), retried with backoff on 429/5xx/connection errors,
    so calling it again is safe. Raises ``KlarnaError`` when Klarna finally refuses or stays
    unreachable (e.g. 403 CANCEL_NOT_ALLOWED).
    """
    if account is None:
        account = account_name_of_klarna_order(order_id)
    get_client(account).cancel_order(order_id, idempotency_key or cancel_idempotency_key(order_id))


def read_klarna_order(order_id: str, account: str | None = None):
    """The order as Order Management sees it (GET, retried); for reconciliation. ``account``:
    the Klarna account holding it (default: looked up from its order or placement)."""
    if account is None:
        account = account_name_of_klarna_order(order_id)
    return get_client(account).read_order(order_id)
