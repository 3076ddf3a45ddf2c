"""Changes to a placed order's status, for the payment providers that learn of them later
(Klarna's fraud decision, its notification, staff cancelling at Klarna). The caller holds the
order's row lock (``select_for_update``) inside its transaction."""

import logging

from shop.stock import return_stock

from . import emails, history
from .models import Order

logger = logging.getLogger("checkout.orders")


def release_payment_review(order: Order, reason: str = "the payment provider accepted the payment") -> bool:
    """The provider accepted a held order: ``payment_review`` becomes ``processing``. False
    (nothing written) when the order is not on hold."""
    if order.status != Order.Status.PAYMENT_REVIEW:
        return False
    history.change_status(order, Order.Status.PROCESSING, reason)
    logger.info("order %s released from payment review", order.number)
    return True


def cancel_order(order: Order, reason: str = "the payment was cancelled", *, user=None) -> bool:
    """Mark the order cancelled and put its items back on stock. Never calls a provider: the
    caller has already settled (or learnt of) the payment's cancellation. Enqueues the
    shopper's cancellation email in the caller's transaction (once per order). Idempotent: an
    order already cancelled returns False and its stock is not returned twice."""
    if not history.change_status(order, Order.Status.CANCELED, reason, user=user):
        return False
    quantities: dict[int, int] = {}
    for product_id, quantity in order.items.exclude(product=None).values_list("product_id", "quantity"):
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    return_stock(quantities)
    emails.enqueue_cancellation(order)
    return True
