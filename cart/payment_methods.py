"""Payment providers: one protocol, one registry (``settings.PAYMENT_PROVIDERS``).

A payment provider is everything the shop knows about one way to pay: which method codes it
handles, which methods a cart may use now, how a selection is validated, and the phases
placeOrder drives (``checkout.place_order``) and recovers (``checkout.recovery``). The
protocol lives here, in ``cart``, because both the cart (``available_payment_methods``,
``setPaymentMethodOnCart``, the selected method's title) and checkout (placing, recovery) use
it, and cart sits below checkout: providers plug in from above (``checkout.offline_payments``
for ``checkmo``/``free``, ``payments_klarna.provider`` for ``klarna_<identifier>``) by the
setting's dotted paths, so no app imports an app above it. The first listed provider's
methods come first (Magento's Klarna module lists Klarna before the offline methods).

Phases of placeOrder (no DB lock is ever held across a provider's HTTP call):

- ``prepare(cart, info, totals)``: outside any lock; may call the provider (Klarna re-syncs its
  session and refuses a cart that changed since authorization). Raises ``DomainError``.
- ``authorize(cart, prepared, order_number)``: outside any lock; creates the payment at the
  provider and returns a ``PaymentOutcome``. Raises ``PaymentFailed``.
- ``record(order, outcome)``: inside the order's transaction; writes the payment record.
- ``compensate(outcome)``: after a local failure, undoes the provider-side payment.
- ``recover(placement)``: for a placement a request left unfinished, what the provider holds
  (a ``Recovery``; see ``checkout.recovery``).

Shipments (``checkout.shipments``; capture what ships):

- ``plan_capture(order, parts, *, include_shipping_fee)``: what shipping ``parts`` would capture
  (a ``CapturePlan``), or None when the method captures nothing (check / money order, free).
  Reads local state only; never calls the provider.
- ``capture_refusal(order, plan)``: why the provider cannot capture it now, in plain words.
- ``capture(order, plan, *, operation_id, user, shipping)``: capture at the provider, outside
  any transaction; idempotent per ``operation_id`` (a retry or double submit captures once).

After the order (``checkout.credit_memos``): ``refund_position(order)`` says what the provider
captured and refunded (None: it moves no money, the credit memo is recorded offline), and
``refund(order, request)`` gives money back, once per ``request.operation_id``, outside any lock.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from shop.errors import DomainError


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    title: str
    is_deferred: bool = False
    # What the provider read to offer the method (Klarna: the cart's active session), handed
    # back to its ``select`` so the choice is checked against exactly what was offered.
    source: Any = field(default=None, compare=False, repr=False)


class PaymentFailed(Exception):
    """The provider refused or could not be reached.

    kind: ``declined`` (shopper must authorize again or pick another method), ``failed``
    (provider error, safe to retry) or ``uncertain`` (we do not know whether the provider
    created the payment: a timeout; a retry or the recovery job resolves it).
    """

    def __init__(self, kind: str, message: str):
        self.kind = kind
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class PaymentOutcome:
    """What ``authorize`` got from the provider. A provider that needs more for ``record`` and
    ``compensate`` returns its own frozen subclass (``payments_klarna.provider.KlarnaOutcome``)."""

    order_status: str  # the new order's status: pending / processing / payment_review
    reference: str = ""  # provider's id for the payment (Klarna order id); "" when none
    # What the shopper is told about the method afterwards (Order.payment_details): "name" as the
    # provider presents it, and its terms when known ("days": pay within N days of shipping,
    # "instalments": N). Empty: the method's title is all there is to say.
    details: dict = field(default_factory=dict, compare=False)


# --- shipments: what a shipment captures ---------------------------------------------------------


@dataclass(frozen=True)
class ShipmentPart:
    """``quantity`` units of one order line shipped now, ``shipped_before`` already shipped
    (or being shipped) by earlier shipments."""

    order_item: Any  # checkout.models.OrderItem
    quantity: int
    shipped_before: int


@dataclass(frozen=True)
class CapturePlan:
    """What a shipment captures: ``amount`` (integer minor units of ``currency``) and the lines
    as staff see them, ``rows`` = (name, quantity, total in minor units); ``payload`` is the
    provider's own form of the lines (Klarna order lines), JSON-serialisable."""

    currency: str
    amount: int
    rows: tuple = ()
    payload: Any = None


@dataclass(frozen=True)
class CaptureOutcome:
    """The provider's answer to ``capture``. ``pending``: the answer is unknown and the same
    capture may be retried safely (same ``operation_id``)."""

    ok: bool
    message: str
    pending: bool = False
    reference: str = ""


# --- what recover() answers (checkout.recovery acts on it) ---------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an order's history (``checkout.history``): when, who (a staff member's
    name, "Klarna", "shopper", "system"), what happened, and a reference (e.g. Klarna's capture
    id). ``problem`` marks what staff should look at."""

    when: datetime
    who: str
    what: str
    reference: str = ""
    problem: bool = False


@dataclass(frozen=True)
class AttentionItem:
    """Something staff should look at, for the admin home: a label, how many, where to look."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class RetryPlacement:
    """Place the order again through the same routine (the provider replays its first answer)."""


@dataclass(frozen=True)
class WriteOrder:
    """The provider holds this payment: write the order from it. ``source`` names it in reports."""

    outcome: PaymentOutcome
    source: str


@dataclass(frozen=True)
class GiveUp:
    """The provider holds no payment to write an order from: the placement failed (``reason``)."""

    reason: str
    note: str


@dataclass(frozen=True)
class Settled:
    """The provider-side leftovers of a failed placement are dealt with (``note`` says how)."""

    note: str


@dataclass(frozen=True)
class TryLater:
    """The provider could not be asked now (unreachable): the same unit is retried next run."""

    note: str


Recovery = RetryPlacement | WriteOrder | GiveUp | Settled | TryLater | None


# --- refunds (checkout.credit_memos drives them) -------------------------------------------------


@dataclass(frozen=True)
class RefundPosition:
    """What the provider holds for an order, as last read from it (Decimal, order currency)."""

    captured: Decimal
    refunded: Decimal
    open_to_capture: Decimal  # still authorized, not captured


@dataclass(frozen=True)
class RefundLine:
    """One refunded line: ``quantity`` × ``unit_price`` (catalog terms) − ``discount``;
    ``tax_amount`` of it is tax at ``tax_rate`` percent. ``total`` is what the shopper gets back
    for it, tax included. ``kind``: ``item`` or ``shipping``."""

    kind: str
    reference: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    total: Decimal


@dataclass(frozen=True)
class RefundRequest:
    operation_id: str  # the credit memo's: a repeat of the same id moves money once
    amount: Decimal  # Σ lines' totals for a by-lines refund
    currency: str
    prices_include_tax: bool
    lines: tuple[RefundLine, ...] = ()  # empty: an amount refund
    description: str = ""
    user: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    message: str
    pending: bool = False  # the provider's answer is unknown: the same request again is safe
    reference: str = ""  # the provider's id of the refund


class PaymentProvider:
    """The protocol every provider implements (defaults: nothing to select, record, undo or
    recover). ``cart_info``/``totals`` are ``cart.fetch.CartInfo`` and ``cart.totals`` results;
    ``order`` and ``placement`` are ``checkout.models.Order`` / ``OrderPlacement``."""

    def handles(self, code: str) -> bool:
        """Whether ``code`` is one of this provider's method codes."""
        raise NotImplementedError

    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        """The methods the cart may pay with now. ``refresh`` allows asking the provider (the
        cart query); without it the provider is not called (inside the cart lock)."""
        raise NotImplementedError

    def title(self, code: str) -> str:
        """The title of a selected method when the list is not at hand."""
        raise NotImplementedError

    def select(self, cart, method: PaymentMethod, data: dict) -> None:
        """Validate and store provider data for ``method``, one of the methods this provider
        offered the cart just now under the cart lock (e.g. Klarna's token); never calls the
        provider."""

    def prepare(self, cart, info, totals) -> Any:
        """Check with the provider before paying; ``info``/``totals`` are the cart as read under
        the lock at reservation (unchanged since: the cart is marked placing)."""
        return None

    def authorize(self, cart, prepared, order_number: str) -> PaymentOutcome:
        raise NotImplementedError

    def record(self, order, outcome: PaymentOutcome) -> None:
        """Write the payment record (inside the order's transaction)."""

    def compensate(self, outcome: PaymentOutcome) -> None:
        """Undo the provider-side payment after the local order could not be written."""

    def recover(self, placement) -> Recovery:
        """What to do with a placement left ``uncertain``/``paying``, ``authorized`` without an
        order, or ``failed`` with a provider reference. None: nothing held, nothing to do."""
        return None

    def plan_capture(self, order, parts: list[ShipmentPart], *, include_shipping_fee: bool):
        """What shipping ``parts`` captures (``CapturePlan``); None: nothing to capture."""
        return None

    def capture_refusal(self, order, plan: CapturePlan) -> str | None:
        """Why ``plan`` cannot be captured now (plain words), or None."""
        return None

    def capture(self, order, plan: CapturePlan, *, operation_id, user, shipping: dict) -> CaptureOutcome:
        """Capture ``plan`` (no transaction open). ``shipping``: carrier, tracking_number,
        tracking_url. Idempotent per ``operation_id``."""
        raise NotImplementedError

    def attention(self) -> list[AttentionItem]:
        """What of this provider's needs staff (e.g. authorizations about to expire)."""
        return []

    def timeline(self, order) -> list[TimelineEntry]:
        """What the provider recorded of the order (its payment, captures, refunds, staff
        actions at the provider), for the order's history. Local reads only."""
        return []

    def refund_position(self, order, *, refresh: bool = False) -> RefundPosition | None:
        """Captured / refunded / still authorized for ``order``; ``refresh`` reads the provider
        first (never inside a DB lock), without it only the local record is read (safe inside a
        transaction). None: this provider moves no money after placing (an offline method), so
        a credit memo is only recorded."""
        return None

    def refund(self, order, request: RefundRequest) -> RefundResult:
        """Give ``request.amount`` back (as its lines, when given). Idempotent per
        ``request.operation_id``; called outside any transaction. Only for providers whose
        ``refund_position`` is not None."""
        raise NotImplementedError


@cache
def providers() -> tuple[PaymentProvider, ...]:
    return tuple(import_string(path)() for path in settings.PAYMENT_PROVIDERS)


def find_provider(code: str) -> PaymentProvider | None:
    for provider in providers():
        if provider.handles(code):
            return provider
    return None


def provider_for(code: str) -> PaymentProvider:
    """The provider handling ``code``; ``payment_method_unavailable`` when none does."""
    provider = find_provider(code)
    if provider is None:
        raise DomainError("payment_method_unavailable")
    return provider


def available_payment_methods(cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
    """Methods the cart may pay with now, de-duplicated by code (first provider wins)."""
    seen: set[str] = set()
    methods: list[PaymentMethod] = []
    for provider in providers():
        for method in provider.available(cart_info, totals, refresh=refresh):
            if method.code not in seen:
                seen.add(method.code)
                methods.append(method)
    return methods


def method_title(code: str) -> str:
    """The title of a selected method code (the code itself when no provider handles it)."""
    provider = find_provider(code)
    return provider.title(code) if provider is not None else code
