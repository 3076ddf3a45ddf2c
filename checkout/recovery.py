"""Recovery of placements a request left unfinished (see ``checkout.place_order``).

Each placement's payment provider says what it holds (``PaymentProvider.recover``), and this
module acts on the answer with checkout's own routines:

- ``uncertain``: a placement whose payment call timed out (or that was left ``paying`` by a
  request that died during it, after ``CART_PLACING_TIMEOUT``) is placed again through
  ``place_order.complete_placement`` when the provider says so (Klarna: same authorization
  token, Klarna replays its first answer, so at most one payment and one order exist).
- ``authorized``: paid at the provider but no local order after a while (the process died
  between paying and writing): the order is written from the provider's payment, or the
  placement is marked failed when the provider holds nothing to write it from.
- ``failed``: a failed placement with a provider reference: the provider makes sure its
  payment was undone (Klarna: cancel the orphan Klarna order), unless an order was written.

Work is claimed unit by unit through a ``ledger`` handed in by the caller
(``payments_klarna.reconcile`` runs this with its ``KlarnaReconcileUnit`` ledger): a unit is
claimed in a short transaction, and the provider is called only after it committed, so no lock
is held across an HTTP call and several hosts may run recovery at once.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cart.models import Cart
from cart.payment_methods import (
    GiveUp,
    RetryPlacement,
    Settled,
    TryLater,
    WriteOrder,
    find_provider,
)
from shop.errors import DomainError

from . import place_order
from .models import OrderPlacement

logger = logging.getLogger("checkout.recovery")

STEPS = ("uncertain", "authorized", "failed")


class Ledger(Protocol):
    def claim(self, key: str, work_row) -> bool:
        """Claim unit ``key`` whose work row is the one row of queryset ``work_row``; False when
        another host has it or it is resolved."""

    def release(self, key: str, *, resolved: bool = False, note: str = "") -> None: ...


@dataclass
class Report:
    """What a recovery run did, one line per unit (``[step] text``)."""

    command: str
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, step: str, text: str) -> None:
        self.lines.append(f"[{step}] {text}")
        self.counts[step] = self.counts.get(step, 0) + 1
        logger.info("%s %s: %s", self.command, step, text)

    def summary(self) -> str:
        if not self.counts:
            return f"{self.command}: nothing to do"
        return f"{self.command}: " + ", ".join(f"{step} {n}" for step, n in self.counts.items())


def _recovery_of(placement: OrderPlacement):
    provider = find_provider(placement.payment_method_code)
    return None if provider is None else provider.recover(placement)


def resume_uncertain(report: Report, ledger: Ledger, *, older_than: timedelta) -> None:
    """Place again the placements left ``uncertain`` (older than ``older_than``) or ``paying``
    past ``CART_PLACING_TIMEOUT`` (the request died during the payment call; the provider may
    hold a payment nothing local knows of)."""
    now = timezone.now()
    abandoned = now - timedelta(seconds=settings.CART_PLACING_TIMEOUT)
    states = (OrderPlacement.State.UNCERTAIN, OrderPlacement.State.PAYING)
    placements = OrderPlacement.objects.filter(
        Q(state=OrderPlacement.State.UNCERTAIN, updated_at__lte=now - older_than)
        | Q(state=OrderPlacement.State.PAYING, updated_at__lte=abandoned)
    ).order_by("id")
    for placement in placements:
        key = f"placement:{placement.pk}:uncertain:{placement.attempts}"
        if not ledger.claim(key, OrderPlacement.objects.filter(pk=placement.pk, state__in=states)):
            continue
        if not isinstance(_recovery_of(placement), RetryPlacement):
            ledger.release(key, resolved=True, note="nothing held at the provider")
            continue
        try:
            order = place_order.complete_placement(Cart.objects.get(pk=placement.cart_id))
        except DomainError as error:
            report.add("uncertain", f"placement {placement.order_number}: still not placed ({error.code})")
            ledger.release(key, note=str(error))
            continue
        report.add("uncertain", f"placement {placement.order_number}: order {order.number} ({order.status})")
        ledger.release(key, resolved=True, note=f"order {order.number}")


def write_authorized(report: Report, ledger: Ledger, *, older_than: timedelta) -> None:
    """Paid at the provider, no local order after ``older_than``: write it, or give it up."""
    placements = (
        OrderPlacement.objects.filter(
            state=OrderPlacement.State.AUTHORIZED,
            updated_at__lte=timezone.now() - older_than,
            cart__order__isnull=True,
        )
        .exclude(payment_reference="")
        .order_by("id")
    )
    for placement in placements:
        key = f"placement:{placement.pk}:authorized:{placement.payment_reference}"
        if not ledger.claim(
            key, OrderPlacement.objects.filter(pk=placement.pk, state=OrderPlacement.State.AUTHORIZED)
        ):
            continue
        text, resolved = _write_authorized(placement, _recovery_of(placement))
        if text:
            report.add("authorized", f"placement {placement.order_number}: {text}")
        ledger.release(key, resolved=resolved, note=text)


def _write_authorized(placement: OrderPlacement, recovery) -> tuple[str, bool]:
    if isinstance(recovery, TryLater):
        return recovery.note, False
    if isinstance(recovery, GiveUp):
        place_order.release_placement(placement, OrderPlacement.State.FAILED, recovery.reason)
        return recovery.note, True
    if not isinstance(recovery, WriteOrder):
        return "", True
    cart = Cart.objects.get(pk=placement.cart_id)
    try:
        order = place_order.write_order(cart, placement, placement.payment_method_code, recovery.outcome)
    except DomainError as error:
        return f"order could not be written ({error.code}); {recovery.source} cancelled", True
    return f"order {order.number} written from {recovery.source}", True


def settle_failed(report: Report, ledger: Ledger) -> None:
    """A failed placement left a payment at the provider: the provider makes sure it is undone."""
    placements = (
        OrderPlacement.objects.filter(state=OrderPlacement.State.FAILED)
        .exclude(payment_reference="")
        .order_by("id")
    )
    for placement in placements:
        key = f"placement:{placement.pk}:failed:{placement.payment_reference}"
        if not ledger.claim(
            key, OrderPlacement.objects.filter(pk=placement.pk, state=OrderPlacement.State.FAILED)
        ):
            continue
        recovery = _recovery_of(placement)
        if isinstance(recovery, (Settled, TryLater)):
            report.add("failed", f"placement {placement.order_number}, {recovery.note}")
            ledger.release(key, resolved=isinstance(recovery, Settled), note=recovery.note)
        else:
            ledger.release(key, resolved=True, note="nothing left at the provider")


def run(
    report: Report,
    ledger: Ledger,
    steps=STEPS,
    *,
    uncertain_after: timedelta,
    authorized_after: timedelta,
) -> Report:
    """Run the chosen recovery steps in order, adding what was done to ``report``."""
    if "uncertain" in steps:
        resume_uncertain(report, ledger, older_than=uncertain_after)
    if "authorized" in steps:
        write_authorized(report, ledger, older_than=authorized_after)
    if "failed" in steps:
        settle_failed(report, ledger)
    return report
