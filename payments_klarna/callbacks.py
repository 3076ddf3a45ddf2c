"""Klarna's callbacks to the shop. Klarna signs nothing, so nothing in a body is trusted:
the unguessable secret in the URL finds the payment, and the order is re-read from Klarna
before anything changes. Every handler is idempotent and answers quickly."""

import logging

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import order_state
from .models import KlarnaPayment

logger = logging.getLogger("payments_klarna.callbacks")


@csrf_exempt  # server-to-server POST from Klarna; authenticated by the secret in the path
@require_POST
def notification(request, secret: str):
    """Pending-order decision (FRAUD_RISK_ACCEPTED / _REJECTED / _STOPPED).

    Re-reads the order from Klarna and applies *its* fraud status. When Klarna cannot be
    reached the notification is still acknowledged: ``klarna_reconcile`` refreshes every
    held order, so the decision is applied on its next run.
    """
    payment = KlarnaPayment.objects.select_related("order").filter(callback_secret=secret).first()
    if payment is None:
        raise Http404("unknown notification")
    try:
        outcome = order_state.refresh_payment(payment)
    except order_state.KlarnaUnavailable:
        logger.warning(
            "notification for %s acknowledged; Klarna unreachable, reconcile will apply it",
            payment.order.number,
        )
        outcome = "deferred"
    return JsonResponse({"status": "ok", "result": outcome})
