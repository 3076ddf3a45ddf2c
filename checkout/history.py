"""An order's life: status changes with their reason, and the timeline staff read.

``change_status`` is the one way a placed order's status moves (shipments, credit memos, the
provider's fraud decision, cancellation): the new status and an ``OrderStatusChange`` row are
written together in the caller's transaction. ``timeline`` joins what is already recorded
elsewhere — the order's creation, its status changes, shipments, credit memos, emails, and the
payment provider's own records (``PaymentProvider.timeline``: Klarna's captures, refunds and
staff actions) — into one list, newest first, so nothing is written twice.
"""

from cart.payment_methods import TimelineEntry, provider_for
from shop.money import format_money as format_price

from .models import CreditMemo, EmailOutbox, Order, OrderStatusChange, Shipment


def change_status(order: Order, status: str, reason: str, *, user=None) -> bool:
    """Move ``order`` (row locked by the caller) to ``status`` and record why. False (nothing
    written) when it already has that status."""
    if order.status == status:
        return False
    OrderStatusChange.objects.create(
        order=order,
        from_status=order.status,
        to_status=status,
        reason=reason[:255],
        staff_user=user if getattr(user, "pk", None) else None,
    )
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    return True


def _who(user, default: str = "system") -> str:
    if user is None:
        return default
    return user.get_full_name() or user.get_username()


def _label(status: str) -> str:
    return Order.Status(status).label if status in Order.Status.values else status


def timeline(order: Order) -> list[TimelineEntry]:
    """Everything that happened to ``order``, newest first."""
    changes = list(order.status_changes.select_related("staff_user"))
    placed_status = changes[0].from_status if changes else order.status
    entries = [
        TimelineEntry(
            order.created_at,
            "shopper",
            f"Order placed: {format_price(order.grand_total, order.currency)}, "
            f"{order.payment_method_title or order.payment_method_code}; status {_label(placed_status)}",
        )
    ]
    for change in changes:
        entries.append(
            TimelineEntry(
                change.created_at,
                _who(change.staff_user),
                f"Status {_label(change.from_status)} → {_label(change.to_status)}: {change.reason}",
            )
        )
    for shipment in order.shipments.select_related("staff_user").prefetch_related("items__order_item"):
        lines = ", ".join(f"{item.quantity} × {item.order_item.sku}" for item in shipment.items.all())
        tracking = f"{shipment.carrier} {shipment.tracking_number}".strip()
        if shipment.state == Shipment.State.SHIPPED:
            what = f"Shipment {shipment.number} shipped ({lines}; {tracking})"
            if shipment.capture_amount:
                what += f", captured {format_price(shipment.capture_amount, order.currency)}"
            entries.append(
                TimelineEntry(
                    shipment.shipped_at or shipment.created_at,
                    _who(shipment.staff_user),
                    what,
                    shipment.payment_reference,
                )
            )
        else:
            entries.append(
                TimelineEntry(
                    shipment.created_at,
                    _who(shipment.staff_user),
                    f"Shipment {shipment.number} {shipment.get_state_display().lower()} ({lines})"
                    + (f": {shipment.error}" if shipment.error else ""),
                    problem=shipment.state == Shipment.State.FAILED
                    or shipment.state == Shipment.State.CAPTURING,
                )
            )
    for memo in order.credit_memos.select_related("staff_user"):
        entries.append(
            TimelineEntry(
                memo.created_at,
                _who(memo.staff_user),
                f"Credit memo {memo.number} {memo.get_state_display().lower()}: "
                f"{format_price(memo.grand_total, memo.currency)} — {memo.reason}",
                problem=memo.state != CreditMemo.State.REFUNDED,
            )
        )
    for email in order.emails.all():
        if email.state == EmailOutbox.State.SENT:
            what, problem, when = (
                f"{email.get_kind_display()} email sent to {email.recipient}",
                False,
                email.sent_at,
            )
        else:
            what = (
                f"{email.get_kind_display()} email to {email.recipient}: {email.get_state_display().lower()}"
            )
            if email.last_error:
                what += f" ({email.last_error})"
            problem, when = email.state == EmailOutbox.State.FAILED, email.created_at
        entries.append(TimelineEntry(when or email.created_at, "system", what, problem=problem))
    entries += provider_for(order.payment_method_code).timeline(order)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
