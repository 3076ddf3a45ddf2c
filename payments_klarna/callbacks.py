"""Klarna's callbacks to the shop. Klarna signs nothing, so nothing in a body is trusted:
the unguessable secret in the URL finds the payment, and the order is re-read from Klarna
before anything changes. Every handler is idempotent and answers quickly."""

import json
import logging

from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import order_state
from .callback_urls import authorization_secret_matches
from .models import KlarnaPayment, KlarnaSession
from .provider import CODE_PREFIX, identifier_of

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


@csrf_exempt  # server-to-server POST from Klarna; authenticated by the secret in the path
@require_POST
def authorization(request, secret: str):
    """Klarna's authorization callback ``{authorization_token, session_id}``: the backup for a
    browser that authorized but never came back (reference §4.3 b).

    The body names the session; the secret must be the one derived for *that session's cart*
    (compared in constant time), else 404 and nothing changes. The token is stored on the
    session only when none is stored yet (the browser's own ``setPaymentMethodOnCart`` wins),
    and the arrival time is recorded once. No order is placed here: after
    ``KLARNA_AUTHORIZATION_CALLBACK_GRACE`` seconds ``klarna_reconcile`` places it through the
    same idempotent routine as placeOrder, so the browser and the callback never race.
    Answers 200 at once; a replay changes nothing.
    """
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"status": "error", "error": "body must be a JSON object"}, status=400)
    session_id = str(body.get("session_id") or "")
    token = str(body.get("authorization_token") or "").strip()
    session = (
        KlarnaSession.objects.select_related("cart").filter(session_id=session_id).first()
        if session_id
        else None
    )
    if session is None or not authorization_secret_matches(secret, session.cart.masked_id):
        raise Http404("unknown authorization callback")
    if not token:
        return JsonResponse({"status": "error", "error": "authorization_token missing"}, status=400)
    return JsonResponse({"status": "ok", "result": _store_callback_authorization(session, token)})


def _store_callback_authorization(session: KlarnaSession, token: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        locked = KlarnaSession.objects.select_for_update().select_related("cart").get(pk=session.pk)
        if locked.authorization_callback_at is None:
            locked.authorization_callback_at = now
            locked.save(update_fields=["authorization_callback_at", "updated_at"])
        if locked.status != KlarnaSession.Status.ACTIVE or not locked.cart.is_active:
            return "ignored"  # replaced session or an already placed cart: nothing to do
        if locked.authorization_token:
            return "already_authorized"
        locked.authorization_token = token
        locked.authorized_category = _callback_category(locked)
        locked.authorized_payload_hash = locked.payload_hash
        locked.authorized_at = now
        locked.save(
            update_fields=[
                "authorization_token",
                "authorized_category",
                "authorized_payload_hash",
                "authorized_at",
                "updated_at",
            ]
        )
    logger.info("authorization callback stored a token for Klarna session %s", session.session_id)
    return "stored"


def _callback_category(session: KlarnaSession) -> str:
    """The category the shopper picked on the cart, else the session's first, else "klarna"."""
    selected = session.cart.payment_method_code or ""
    if selected.startswith(CODE_PREFIX):
        return identifier_of(selected)
    categories = session.payment_method_categories or []
    if categories and categories[0].get("identifier"):
        return str(categories[0]["identifier"])
    return "klarna"
