"""Refunds as credit memos (Magento's model): staff give money back by chosen lines (with
quantities, optionally the shipping) or by an amount, always with a reason.

Guarantees:
- **Checked here first.** A credit memo is refused in plain words, in the order's currency,
  before any provider is called: a cancelled order, nothing captured yet, more of a line than is
  left to refund, the shipping twice, or more money than was captured and not yet refunded
  ("You can refund at most €100.00 — €150.00 was asked."). What was captured comes from the
  payment provider (``PaymentProvider.refund_position``, as last read from it); memos whose
  answer is still unknown (``pending``) count as refunded, so nothing is refunded twice.
- **Once only.** Each memo carries the ``operation_id`` of the staff confirmation (unique): a
  double submit or a retry finds the memo and continues it; the provider refunds under the
  same id (Klarna: its stored idempotency key), so money moves once.
- **No lock across HTTP.** The memo is written in a short transaction under the order's row
  lock (pending), the provider is called with no transaction open, and its answer is recorded
  in a second short transaction (refunded + the shopper's refund email through the outbox +
  the order closed when everything is refunded; or failed).
- **Offline methods** (check / money order, free): the provider holds no money
  (``refund_position`` None), so the memo is recorded as refunded at once, offline, and staff
  give the money back outside the shop.

Amounts are Decimal in the order's currency. A line's share of its discount and tax is taken
cumulatively (what ``already + quantity`` units carry minus what ``already`` units carried), so
a line refunded in parts adds up to exactly the line.
"""

import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from cart.payment_methods import RefundLine, RefundPosition, RefundRequest, find_provider
from shop.money import format_money, quantize, to_minor_units

from . import emails, history
from .models import CreditMemo, CreditMemoItem, Order, OrderItem

logger = logging.getLogger("checkout.credit_memos")

State = CreditMemo.State

REFUSALS = {
    "cancelled": "Order #{number} is cancelled: nothing can be refunded.",
    "reason_missing": "Give a reason for the refund; the shopper sees it with the refund in My orders.",
    "no_operation": "This credit memo has no valid operation id; nothing was refunded. Fill it in again.",
    "nothing_chosen": "Choose the lines to refund (with quantities), the shipping, or enter an amount.",
    "lines_and_amount": (
        "You chose lines and also entered an amount of {amount}: refund either the chosen lines or an "
        "amount, not both."
    ),
    "not_an_item": "Line {item} is not an item of this order.",
    "quantity_negative": "The quantity of “{name}” cannot be negative.",
    "quantity_too_high": "Only {left} of “{name}” can still be refunded; {asked} was asked.",
    "shipping_refunded": "The shipping was already refunded.",
    "no_shipping": "This order has no shipping cost to refund.",
    "amount_not_positive": "The amount to refund must be more than zero.",
    "nothing_captured": (
        "Nothing has been captured on this order yet, so there is nothing to refund. Capture what "
        "shipped first, or cancel the order."
    ),
    "all_refunded": "Everything paid on this order has already been refunded.",
    "too_much": "You can refund at most {limit} — {amount} was asked.",
}


class CreditMemoRefused(Exception):
    """The credit memo cannot be made as asked; ``str()`` is the reason in plain words."""

    def __init__(self, code: str, **params):
        self.code = code
        super().__init__(REFUSALS[code].format(**params))


@dataclass(frozen=True)
class CreditMemoInput:
    """What staff asked for: quantities by order item id, the shipping, or an amount."""

    reason: str
    quantities: dict[int, int] = field(default_factory=dict)
    shipping: bool = False
    amount: Decimal | None = None


@dataclass(frozen=True)
class PlannedLine:
    order_item_id: int | None  # None: the shipping
    line: RefundLine


@dataclass(frozen=True)
class CreditMemoPlan:
    """Exactly what a credit memo gives back: its lines (or only an adjustment) and totals."""

    currency: str
    lines: tuple[PlannedLine, ...]
    adjustment: Decimal
    subtotal: Decimal
    shipping: Decimal
    tax_total: Decimal
    grand_total: Decimal
    offline: bool


@dataclass(frozen=True)
class RefundState:
    """Where an order stands for refunds: what may still be refunded, per line and in money."""

    position: RefundPosition | None  # None: an offline payment method
    limit: Decimal  # money that can still be refunded
    refunded_quantities: dict[int, int]  # order item id -> quantity in non-failed memos
    shipping_refunded: bool
    memos: int  # how many memos the order has (any state)

    @property
    def offline(self) -> bool:
        return self.position is None

    def fingerprint(self) -> dict:
        """The state as a staff member saw it (JSON-able): a confirmation is carried out only
        while this is unchanged."""
        return {
            "limit": str(self.limit),
            "quantities": {str(k): v for k, v in sorted(self.refunded_quantities.items())},
            "shipping": self.shipping_refunded,
            "memos": self.memos,
            "captured": str(self.position.captured) if self.position else None,
            "refunded": str(self.position.refunded) if self.position else None,
        }


@dataclass
class CreditMemoResult:
    ok: bool
    message: str
    memo: CreditMemo | None = None
    pending: bool = False  # the provider's answer is unknown; confirming again is safe


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


# --- reading ----------------------------------------------------------------------------------


def _provider(order: Order):
    return find_provider(order.payment_method_code)


def refund_state(order: Order, *, refresh: bool = False) -> RefundState:
    """What can still be refunded on ``order``. With ``refresh`` the payment provider is read
    first (Klarna: GET the order) — never call it so inside a transaction."""
    provider = _provider(order)
    position = provider.refund_position(order, refresh=refresh) if provider is not None else None
    return _state(order, position)


def _state(order: Order, position: RefundPosition | None) -> RefundState:
    memos = CreditMemo.objects.filter(order=order)
    counting = memos.exclude(state=State.FAILED)
    quantities: dict[int, int] = {}
    for item_id, quantity in CreditMemoItem.objects.filter(
        credit_memo__in=counting, order_item__isnull=False
    ).values_list("order_item_id", "quantity"):
        quantities[item_id] = quantities.get(item_id, 0) + quantity
    shipping = CreditMemoItem.objects.filter(credit_memo__in=counting, is_shipping=True).exists()
    if position is None:
        spent = counting.aggregate(total=Sum("grand_total"))["total"] or Decimal(0)
        limit = order.grand_total - spent
    else:
        # The provider's figure may lag a memo just recorded (its read-back failed): the larger.
        recorded = memos.filter(state=State.REFUNDED).aggregate(total=Sum("grand_total"))["total"]
        refunded = max(position.refunded, recorded or Decimal(0))
        pending = counting.filter(state=State.PENDING).aggregate(total=Sum("grand_total"))["total"]
        limit = position.captured - refunded - (pending or Decimal(0))
    return RefundState(
        position=position,
        limit=max(quantize(limit, order.currency), Decimal(0)),
        refunded_quantities=quantities,
        shipping_refunded=shipping,
        memos=memos.count(),
    )


def refunded_memos(order: Order) -> list[CreditMemo]:
    """The order's credit memos that gave money back, with their items (shopper-facing)."""
    return [memo for memo in order.credit_memos.all() if memo.state == State.REFUNDED]


# --- planning ---------------------------------------------------------------------------------


def _share(value: Decimal, done: int, quantity: int, full: int, currency: str) -> Decimal:
    """The part of ``value`` (a whole line's) carried by units done+1 … done+quantity."""
    return quantize(value * (done + quantity) / full, currency) - quantize(value * done / full, currency)


def _item_line(order: Order, item: OrderItem, quantity: int, done: int) -> RefundLine:
    currency, inclusive = order.currency, order.prices_include_tax
    discount = _share(item.discount, done, quantity, item.quantity, currency)
    tax = _share(item.tax_amount, done, quantity, item.quantity, currency)
    unit = item.price_incl_tax if inclusive else item.price_excl_tax
    net = quantity * unit - discount
    return RefundLine(
        kind="item",
        reference=item.sku,
        name=item.name,
        quantity=quantity,
        unit_price=quantize(unit, currency),
        discount=discount,
        tax_rate=item.tax_rate,
        tax_amount=tax,
        total=quantize(net if inclusive else net + tax, currency),
    )


def _shipping_line(order: Order) -> RefundLine:
    currency = order.currency
    excl, incl = order.shipping_excl_tax, order.shipping_incl_tax
    rate = quantize((incl - excl) * 100 / excl, "EUR") if excl else Decimal(0)
    return RefundLine(
        kind="shipping",
        reference=f"{order.shipping_carrier_code}_{order.shipping_method_code}",
        name=order.shipping_title or "Shipping",
        quantity=1,
        unit_price=quantize(incl if order.prices_include_tax else excl, currency),
        discount=Decimal(0),
        tax_rate=rate,
        tax_amount=quantize(incl - excl, currency),
        total=quantize(incl, currency),
    )


def plan_credit_memo(order: Order, wanted: CreditMemoInput, state: RefundState) -> CreditMemoPlan:
    """Exactly what a credit memo for ``wanted`` gives back, or ``CreditMemoRefused``.
    Reads the order's items; calls no provider."""
    currency = order.currency
    if order.status == Order.Status.CANCELED:
        raise CreditMemoRefused("cancelled", number=order.number)
    if not (wanted.reason or "").strip():
        raise CreditMemoRefused("reason_missing")
    quantities = {int(k): int(v) for k, v in (wanted.quantities or {}).items() if v}
    by_lines = bool(quantities) or wanted.shipping
    if by_lines and wanted.amount is not None:
        raise CreditMemoRefused("lines_and_amount", amount=money(wanted.amount, currency))
    if not by_lines and wanted.amount is None:
        raise CreditMemoRefused("nothing_chosen")

    lines: list[PlannedLine] = []
    adjustment = Decimal(0)
    if by_lines:
        items = {item.pk: item for item in order.items.all()}
        for item_id, quantity in sorted(quantities.items()):
            item = items.get(item_id)
            if item is None:
                raise CreditMemoRefused("not_an_item", item=item_id)
            if quantity < 0:
                raise CreditMemoRefused("quantity_negative", name=item.name)
            done = state.refunded_quantities.get(item_id, 0)
            if quantity > item.quantity - done:
                raise CreditMemoRefused(
                    "quantity_too_high", name=item.name, left=item.quantity - done, asked=quantity
                )
            lines.append(PlannedLine(item_id, _item_line(order, item, quantity, done)))
        if wanted.shipping:
            if state.shipping_refunded:
                raise CreditMemoRefused("shipping_refunded")
            if not order.shipping_incl_tax:
                raise CreditMemoRefused("no_shipping")
            lines.append(PlannedLine(None, _shipping_line(order)))
    else:
        adjustment = quantize(Decimal(wanted.amount), currency)
        if adjustment <= 0:
            raise CreditMemoRefused("amount_not_positive")

    items_only = [p.line for p in lines if p.line.kind == "item"]
    shipping = sum((p.line.total for p in lines if p.line.kind == "shipping"), Decimal(0))
    subtotal = sum((line.total for line in items_only), Decimal(0))
    grand_total = subtotal + shipping + adjustment
    tax_total = sum((p.line.tax_amount for p in lines), Decimal(0))

    if state.position is not None and state.position.captured <= 0:
        raise CreditMemoRefused("nothing_captured")
    free_order = state.offline and order.grand_total == 0
    if grand_total > 0 or not free_order:
        if state.limit <= 0:
            raise CreditMemoRefused("all_refunded")
        if grand_total > state.limit:
            raise CreditMemoRefused(
                "too_much", limit=money(state.limit, currency), amount=money(grand_total, currency)
            )
    return CreditMemoPlan(
        currency=currency,
        lines=tuple(lines),
        adjustment=adjustment,
        subtotal=subtotal,
        shipping=shipping,
        tax_total=tax_total,
        grand_total=grand_total,
        offline=state.offline,
    )


# --- doing ------------------------------------------------------------------------------------


def create_credit_memo(order: Order, wanted: CreditMemoInput, *, operation_id, user=None) -> CreditMemoResult:
    """Make the credit memo ``wanted`` for ``order`` and give the money back through the
    payment provider (offline methods: recorded only). Idempotent per ``operation_id``: a
    memo that exists is continued (already refunded or refused: its outcome; pending: the
    provider asked again under the same id). Raises ``CreditMemoRefused`` for a new memo that
    the order does not allow; the provider is then not called."""
    try:
        operation_id = uuid.UUID(str(operation_id))
    except ValueError as error:
        raise CreditMemoRefused("no_operation") from error
    existing = CreditMemo.objects.filter(operation_id=operation_id).first()
    if existing is not None:
        return _continue(existing)
    provider = _provider(order)
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            # What the provider holds as last read (a local read, no HTTP: the staff pages read
            # it fresh before confirming), read under the lock with the memos it is checked with.
            position = provider.refund_position(locked) if provider is not None else None
            plan = plan_credit_memo(locked, wanted, _state(locked, position))
            memo = _write(locked, plan, wanted.reason.strip(), operation_id, user)
            if plan.offline:
                _settle(locked, memo, position=None)
    except IntegrityError:  # the same confirmation posted twice at once: the first row wins
        return _continue(CreditMemo.objects.get(operation_id=operation_id))
    if memo.offline:
        logger.info("credit memo %s recorded offline", memo.number)
        return CreditMemoResult(
            True,
            f"Credit memo {memo.number} recorded: {money(memo.grand_total, memo.currency)} to give back "
            "outside the shop (this payment method moves no money here).",
            memo,
        )
    return _ask_provider(memo, provider)


def _write(order: Order, plan: CreditMemoPlan, reason: str, operation_id, user) -> CreditMemo:
    memo = CreditMemo.objects.create(
        order=order,
        number=f"{order.number}-{order.credit_memos.count() + 1}",
        operation_id=operation_id,
        state=State.REFUNDED if plan.offline else State.PENDING,
        reason=reason,
        currency=plan.currency,
        subtotal=plan.subtotal,
        shipping=plan.shipping,
        adjustment=plan.adjustment,
        tax_total=plan.tax_total,
        grand_total=plan.grand_total,
        offline=plan.offline,
        staff_user=user if getattr(user, "pk", None) else None,
    )
    CreditMemoItem.objects.bulk_create(
        [
            CreditMemoItem(
                credit_memo=memo,
                order_item_id=planned.order_item_id,
                is_shipping=planned.line.kind == "shipping",
                sku=planned.line.reference[:64],
                name=planned.line.name[:255],
                quantity=planned.line.quantity,
                unit_price=planned.line.unit_price,
                discount=planned.line.discount,
                tax_rate=planned.line.tax_rate,
                tax_amount=planned.line.tax_amount,
                total=planned.line.total,
            )
            for planned in plan.lines
        ]
    )
    return memo


def _request(memo: CreditMemo, user=None) -> RefundRequest:
    return RefundRequest(
        operation_id=str(memo.operation_id),
        amount=memo.grand_total,
        currency=memo.currency,
        prices_include_tax=memo.order.prices_include_tax,
        lines=tuple(
            RefundLine(
                kind="shipping" if item.is_shipping else "item",
                reference=item.sku,
                name=item.name,
                quantity=item.quantity,
                unit_price=item.unit_price,
                discount=item.discount,
                tax_rate=item.tax_rate,
                tax_amount=item.tax_amount,
                total=item.total,
            )
            for item in memo.items.all()
        ),
        description=memo.reason[:255],
        user=user or memo.staff_user,
    )


def _ask_provider(memo: CreditMemo, provider) -> CreditMemoResult:
    """The provider's refund, with no transaction open; then its answer recorded."""
    order = memo.order
    result = provider.refund(order, _request(memo))
    if result.pending:
        CreditMemo.objects.filter(pk=memo.pk).update(error_message=result.message)
        memo.error_message = result.message
        return CreditMemoResult(False, result.message, memo, pending=True)
    if not result.ok:
        with transaction.atomic():
            CreditMemo.objects.filter(pk=memo.pk, state=State.PENDING).update(
                state=State.FAILED, error_message=result.message
            )
        memo.refresh_from_db()
        return CreditMemoResult(False, result.message, memo)
    position = provider.refund_position(order)  # as the provider's answer left it (no HTTP)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        memo = CreditMemo.objects.select_for_update().get(pk=memo.pk)
        if memo.state == State.PENDING:
            memo.state = State.REFUNDED
            memo.provider_reference = result.reference
            memo.error_message = ""
            memo.save(update_fields=["state", "provider_reference", "error_message", "updated_at"])
            _settle(locked, memo, position)
    logger.info("credit memo %s refunded (%s)", memo.number, result.reference)
    return CreditMemoResult(
        True, f"Credit memo {memo.number}: {money(memo.grand_total, memo.currency)} refunded.", memo
    )


def _settle(order: Order, memo: CreditMemo, position: RefundPosition | None) -> None:
    """Inside the transaction recording a refunded memo (order row locked): the shopper's
    refund email (once per memo) and the order closed when everything paid is refunded."""
    emails.enqueue_refund(
        order, event_id=str(memo.operation_id), amount=to_minor_units(memo.grand_total, memo.currency)
    )
    refunded = CreditMemo.objects.filter(order=order, state=State.REFUNDED).aggregate(
        total=Sum("grand_total")
    )["total"] or Decimal(0)
    if position is None:
        everything = refunded >= order.grand_total
    else:
        refunded = max(refunded, position.refunded)
        everything = position.open_to_capture <= 0 and 0 < position.captured <= refunded
    if everything and order.status not in (Order.Status.CANCELED, Order.Status.CLOSED):
        history.change_status(
            order, Order.Status.CLOSED, f"fully refunded (credit memo {memo.number})", user=memo.staff_user
        )
        logger.info("order %s closed: fully refunded", order.number)


def settle_pending(memo: CreditMemo) -> CreditMemoResult:
    """A memo left ``pending`` (the provider's answer was lost) asked again without staff
    (``klarna_reconcile``): the provider refunds under the memo's operation id (Klarna: its
    stored idempotency key, so Klarna replays a refund it already made) and the answer is
    recorded as if staff had confirmed again. Any other state: its outcome, nothing called."""
    return _continue(CreditMemo.objects.select_related("order").get(pk=memo.pk))


def _continue(memo: CreditMemo) -> CreditMemoResult:
    if memo.state == State.REFUNDED:
        return CreditMemoResult(
            True, f"Credit memo {memo.number} was already made; nothing was refunded again.", memo
        )
    if memo.state == State.FAILED:
        return CreditMemoResult(False, memo.error_message, memo)
    return _ask_provider(memo, _provider(memo.order))
