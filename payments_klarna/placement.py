"""Klarna's payment adapter for placeOrder (see checkout.payments for the phases).

prepare   -> services.prepare_klarna_placement: refuses a cart that changed since the shopper
             authorized (re-syncing the session so a new authorize sees the new amount).
authorize -> services.create_klarna_order with merchant_reference1 = order number and
             merchant_urls; ACCEPTED -> order ``processing``, PENDING -> ``payment_review``
             (held until Klarna's notification), REJECTED -> no order, cart stays usable.
record    -> a KlarnaPayment row in the order's transaction (unique Klarna order id and
             authorization token: one payment per authorization, one order per payment).
compensate-> cancel the Klarna order when the local order could not be written.
"""

import logging
import secrets

from django.conf import settings
from django.urls import reverse

from checkout.payments import PaymentAdapter, PaymentFailed, PaymentOutcome

from . import services
from .models import KlarnaPayment

logger = logging.getLogger("payments_klarna.placement")

MESSAGE_REJECTED = "Klarna did not approve this purchase. Please choose another payment method."
ORDER_STATUS = {"ACCEPTED": "processing", "PENDING": "payment_review"}


def merchant_urls(order_number: str, secret: str) -> dict:
    base = settings.SITE_URL
    return {
        "confirmation": base + reverse("checkout:success", args=[order_number]),
        "notification": base + reverse("klarna:notification", args=[secret]),
    }


class KlarnaPaymentAdapter(PaymentAdapter):
    def prepare(self, cart, *, info=None, totals=None):
        return services.prepare_klarna_placement(cart, info=info, totals=totals)

    def authorize(self, cart, prepared, order_number: str) -> PaymentOutcome:
        secret = secrets.token_urlsafe(24)
        try:
            result = services.create_klarna_order(prepared, order_number, merchant_urls(order_number, secret))
        except services.KlarnaPlacementError as error:
            kind = "declined" if error.kind in ("declined", "rejected") else error.kind
            raise PaymentFailed(kind, error.params["message"]) from error
        if result.fraud_status not in ORDER_STATUS:
            # REJECTED at creation: Klarna holds no money for it; nothing to undo.
            raise PaymentFailed("declined", MESSAGE_REJECTED)
        return PaymentOutcome(
            order_status=ORDER_STATUS[result.fraud_status],
            reference=result.order_id,
            data={"result": result, "placement": prepared, "secret": secret},
        )

    def record(self, order, outcome: PaymentOutcome) -> None:
        result = outcome.data["result"]
        placement = outcome.data["placement"]
        KlarnaPayment.objects.create(
            order=order,
            session_id=placement.session_pk,
            klarna_order_id=result.order_id,
            authorization_token=placement.authorization_token,
            fraud_status=result.fraud_status,
            authorized_payment_method=result.authorized_payment_method or "",
            currency=placement.currency,
            authorized_amount=placement.order_amount,
            callback_secret=outcome.data["secret"],
        )

    def compensate(self, outcome: PaymentOutcome) -> None:
        try:
            services.cancel_klarna_order(outcome.reference)
        except Exception:  # the placement stays 'failed' with the reference; reconcile retries
            logger.exception("could not cancel Klarna order %s after a local failure", outcome.reference)
