"""Klarna as a payment provider (the protocol is ``cart.payment_methods.PaymentProvider``).

Methods: one per payment-method category of the cart's active Klarna Payments session, code
``klarna_<identifier>``, titled with Klarna's own name, listed before the other providers'
methods (Magento's Klarna module orders them so). No session, no Klarna methods.

select    -> services.store_authorization: keep the shopper's authorization token.
prepare   -> services.prepare_klarna_placement: refuses a cart that changed since the shopper
             authorized (re-syncing the session so a new authorize sees the new amount).
authorize -> services.create_klarna_order with merchant_reference1 = order number and
             merchant_urls; ACCEPTED -> order ``processing``, PENDING -> ``payment_review``
             (held until Klarna's notification), REJECTED -> no order, cart stays usable.
record    -> a KlarnaPayment row in the order's transaction (unique Klarna order id and
             authorization token: one payment per authorization, one order per payment).
compensate-> cancel the Klarna order when the local order could not be written.
plan_capture / capture_refusal / capture -> a shipment's capture: Klarna order lines for the
             shipped quantities (``shipment_capture``), checked and captured through Order
             Management (``order_management.capture``: stored idempotency key, shipping_info).
refund    -> a credit memo as one Order Management refund (payments_klarna.refunds).
recover   -> uncertain/paying: place again with the same token (Klarna replays its first
             answer); authorized without order: read the Klarna order and write the order from
             it, or give up; failed with a Klarna order: make sure Klarna cancelled it.
"""

import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from cart.fetch import load_cart_info
from cart.models import Cart
from cart.payment_methods import (
    AttentionItem,
    CaptureOutcome,
    CapturePlan,
    GiveUp,
    PaymentFailed,
    PaymentMethod,
    PaymentOutcome,
    PaymentProvider,
    Recovery,
    RetryPlacement,
    Settled,
    TimelineEntry,
    TryLater,
    WriteOrder,
)
from cart.totals import compute_totals
from shop.money import format_money, from_minor_units
from shop.store_urls import store_reverse

from . import order_management, order_state, refunds, services
from .client import KlarnaError
from .expiry import expiring_payments
from .models import KlarnaPayment, KlarnaSession
from .shipment_capture import shipment_lines

logger = logging.getLogger("payments_klarna.provider")

CODE_PREFIX = "klarna_"
# Titles for a selected method when no session is at hand (SelectedPaymentMethod.title).
DEFAULT_TITLES = {
    "klarna": "Pay with Klarna",
    "pay_later": "Pay later",
    "pay_now": "Pay now",
    "pay_over_time": "Financing",
    "direct_debit": "Direct debit",
    "direct_bank_transfer": "Bank transfer",
}
MESSAGE_REJECTED = "Klarna did not approve this purchase. Please choose another payment method."
ORDER_STATUS = {"ACCEPTED": "processing", "PENDING": "payment_review"}


def shopper_name(name: str) -> str:
    """The method as Klarna presents it, saying Klarna: "Klarna — Pay later in 30 days"."""
    return name if "klarna" in name.lower() else f"Klarna — {name}"


def shopper_details(name: str, result) -> dict:
    """Order.payment_details of a Klarna order: Klarna's name of the category and the terms
    Klarna authorized (days until due after shipping, or the number of instalments)."""
    details = {"name": shopper_name(name)}
    if result.number_of_days:
        details["days"] = result.number_of_days
    if result.number_of_installments and result.number_of_installments > 1:
        details["instalments"] = result.number_of_installments
    return details


def identifier_of(code: str) -> str:
    return code[len(CODE_PREFIX) :] if code.startswith(CODE_PREFIX) else code


def merchant_urls(order_number: str, secret: str) -> dict:
    base = settings.SITE_URL
    return {
        # The shopper comes back to the confirmation page of the store they bought in (/se/...).
        "confirmation": base + store_reverse("checkout:success", args=[order_number]),
        "notification": base + reverse("klarna:notification", args=[secret]),
    }


@dataclass(frozen=True, kw_only=True)
class KlarnaOutcome(PaymentOutcome):
    """A Klarna order created for an authorization (or found by recovery)."""

    result: services.KlarnaOrderResult
    placement: services.KlarnaPlacement
    callback_secret: str = field(repr=False)
    # The Klarna order as Order Management reported it, when recovery read it: applied to the
    # payment once recorded.
    klarna_order: object = field(default=None, repr=False)


def _money(minor: int, currency: str) -> str:
    return format_money(from_minor_units(minor, currency), currency)


class KlarnaPayments(PaymentProvider):
    def handles(self, code: str) -> bool:
        return code.startswith(CODE_PREFIX)

    def available(self, cart_info, totals, *, refresh: bool = False) -> list[PaymentMethod]:
        """With ``refresh`` the session is synced with Klarna first (at most 2 calls); without
        it the stored categories are listed and Klarna is not called."""
        offer = services.current_categories(cart_info, totals, refresh=refresh)
        return [
            PaymentMethod(code=CODE_PREFIX + category.identifier, title=category.name, source=offer.session)
            for category in offer.categories
        ]

    def title(self, code: str) -> str:
        identifier = identifier_of(code)
        return DEFAULT_TITLES.get(identifier, f"Klarna ({identifier.replace('_', ' ')})")

    def select(self, cart, method: PaymentMethod, data: dict) -> None:
        """Store the authorization token (``payment_method.klarna.authorization_token``) with
        the session the method was offered from (``method.source``)."""
        klarna = data.get("klarna") or {}
        token = klarna.get("authorization_token") or ""
        services.store_authorization(method.source, identifier_of(method.code), token)

    def prepare(self, cart, info, totals) -> services.KlarnaPlacement:
        return services.prepare_klarna_placement(cart, info=info, totals=totals)

    def authorize(self, cart, prepared: services.KlarnaPlacement, order_number: str) -> KlarnaOutcome:
        secret = secrets.token_urlsafe(24)
        try:
            result = services.create_klarna_order(prepared, order_number, merchant_urls(order_number, secret))
        except services.KlarnaPlacementError as error:
            kind = "declined" if error.kind in ("declined", "rejected") else error.kind
            raise PaymentFailed(kind, error.params["message"]) from error
        if result.fraud_status not in ORDER_STATUS:
            # REJECTED at creation: Klarna holds no money for it; nothing to undo.
            raise PaymentFailed("declined", MESSAGE_REJECTED)
        return KlarnaOutcome(
            order_status=ORDER_STATUS[result.fraud_status],
            reference=result.order_id,
            result=result,
            placement=prepared,
            callback_secret=secret,
            details=shopper_details(
                prepared.category_name or self.title(CODE_PREFIX + prepared.authorized_category), result
            ),
        )

    def attention(self) -> list[AttentionItem]:
        """Klarna authorizations about to expire with money still to capture."""
        return [
            AttentionItem(
                "Klarna authorizations expiring soon (capture or extend)",
                expiring_payments().count(),
                reverse("admin:checkout_order_changelist") + "?klarna_expiry=soon",
            )
        ]

    def timeline(self, order) -> list[TimelineEntry]:
        """Klarna's side of the order: the authorization, and every Order Management operation
        (capture, refund, cancel, release, extend) with who asked and how it ended."""
        payment = KlarnaPayment.objects.filter(order=order).first()
        if payment is None:
            return []
        entries = [
            TimelineEntry(
                payment.created_at,
                "Klarna",
                f"Authorized {_money(payment.authorized_amount, payment.currency)}"
                f" ({payment.authorized_payment_method or order.payment_method_title}),"
                f" fraud status {payment.fraud_status}",
                payment.klarna_order_id,
            )
        ]
        for operation in payment.operations.select_related("staff_user").order_by("id"):
            amount = f" {_money(operation.amount, payment.currency)}" if operation.amount is not None else ""
            who = operation.staff_user.get_username() if operation.staff_user else "system"
            what = f"Klarna {operation.get_kind_display().lower()}{amount}: {operation.get_status_display().lower()}"
            if operation.error_message:
                what += f" ({operation.error_message})"
            entries.append(
                TimelineEntry(
                    operation.updated_at,
                    who,
                    what,
                    operation.klarna_capture_id or operation.klarna_refund_id,
                    problem=operation.status != operation.Status.SUCCEEDED,
                )
            )
        return entries

    def record(self, order, outcome: KlarnaOutcome) -> None:
        result, placement = outcome.result, outcome.placement
        payment = KlarnaPayment.objects.create(
            order=order,
            session_id=placement.session_pk,
            klarna_order_id=result.order_id,
            authorization_token=placement.authorization_token,
            fraud_status=result.fraud_status,
            authorized_payment_method=result.authorized_payment_method or "",
            currency=placement.currency,
            authorized_amount=placement.order_amount,
            callback_secret=outcome.callback_secret,
        )
        if outcome.klarna_order is not None:
            order_state.apply_klarna_order(payment.pk, outcome.klarna_order)

    def compensate(self, outcome: PaymentOutcome) -> None:
        try:
            services.cancel_klarna_order(outcome.reference)
        except Exception:  # the placement stays 'failed' with the reference; recovery retries
            logger.exception("could not cancel Klarna order %s after a local failure", outcome.reference)

    def plan_capture(self, order, parts, *, include_shipping_fee: bool) -> CapturePlan | None:
        payment = KlarnaPayment.objects.filter(order_id=order.pk).select_related("session").first()
        if payment is None or payment.captured_amount >= payment.authorized_amount:
            return None  # nothing left at Klarna: everything was captured already (panel's Capture)
        sent = ((payment.session.payload or {}).get("order_lines") if payment.session else None) or []
        lines = shipment_lines(order, parts, include_shipping_fee=include_shipping_fee, sent_lines=sent)
        return CapturePlan(
            currency=payment.currency,
            amount=sum(line["total_amount"] for line in lines),
            rows=tuple((line["name"], line["quantity"], line["total_amount"]) for line in lines),
            payload=lines,
        )

    def capture_refusal(self, order, plan: CapturePlan) -> str | None:
        payment = KlarnaPayment.objects.filter(order_id=order.pk).first()
        if payment is None:
            return "This order was not paid with Klarna."
        return order_management.refusal(payment, order, "capture", plan.amount)

    def capture(self, order, plan: CapturePlan, *, operation_id, user, shipping: dict) -> CaptureOutcome:
        try:
            result = order_management.capture(
                order,
                operation_id=operation_id,
                user=user,
                amount=plan.amount,
                lines=list(plan.payload or []),
                shipping_company=shipping.get("carrier", ""),
                tracking_number=shipping.get("tracking_number", ""),
                tracking_uri=shipping.get("tracking_url", ""),
                description=shipping.get("description", ""),
            )
        except order_management.OperationInvalid as error:
            return CaptureOutcome(ok=False, message=str(error))
        reference = result.operation.klarna_capture_id if result.operation is not None else ""
        return CaptureOutcome(
            ok=result.ok, message=result.message, pending=result.pending, reference=reference
        )

    def recover(self, placement) -> Recovery:
        if placement.state in ("uncertain", "paying"):
            return RetryPlacement()
        if placement.state == "authorized":
            try:
                return _recover_authorized(placement)
            except KlarnaError as error:
                return TryLater(f"Klarna unreachable, retried next run ({error.error_code})")
        if placement.state == "failed":
            return _cancel_leftover(placement.payment_reference)
        return None

    def refund_position(self, order, *, refresh: bool = False):
        return refunds.position(order, refresh=refresh)

    def refund(self, order, request):
        """A credit memo's refund at Klarna (``payments_klarna.refunds``)."""
        return refunds.refund(order, request)


def _recover_authorized(placement) -> Recovery:
    """Paid at Klarna, no local order: the order to write from the Klarna order, or why not."""
    reference = placement.payment_reference
    try:
        klarna_order = services.read_klarna_order(reference)
    except KlarnaError as error:
        if error.status == 404:
            return GiveUp("Klarna has no such order", f"Klarna has no order {reference}; marked failed")
        raise
    if (
        klarna_order.status in ("CANCELLED", "EXPIRED", "CLOSED")
        or klarna_order.fraud_status not in ORDER_STATUS
    ):
        reason = f"Klarna order {reference} is {klarna_order.status}/{klarna_order.fraud_status}"
        return GiveUp(reason, f"{reason}; marked failed")
    session = (
        KlarnaSession.objects.filter(cart_id=placement.cart_id, authorization_token__isnull=False)
        .exclude(authorization_token="")
        .order_by("-id")
        .first()
    )
    info = load_cart_info(Cart.objects.get(pk=placement.cart_id))
    current = services.cart_payload(info, compute_totals(info))
    if session is None or current is None or current.amount != klarna_order.order_amount:
        # The cart no longer matches what Klarna charged: never write a different order.
        services.cancel_klarna_order(reference)
        return GiveUp(
            "cart no longer matches the Klarna order",
            f"cart no longer matches Klarna order {reference}; Klarna order cancelled, marked failed",
        )
    method = (klarna_order.raw.get("initial_payment_method") or {}).get("type") or ""
    prepared = services.KlarnaPlacement(
        session_pk=session.pk,
        session_id=session.session_id,
        authorization_token=session.authorization_token,
        authorized_category=session.authorized_category,
        payload=session.payload,
        payload_hash=session.authorized_payload_hash,
        order_amount=klarna_order.order_amount,
        currency=klarna_order.raw.get("purchase_currency") or session.currency,
        country=session.country,
        category_name=services.category_name(session, session.authorized_category),
    )
    initial = klarna_order.raw.get("initial_payment_method") or {}
    instalments = initial.get("number_of_installments")
    result = services.KlarnaOrderResult(
        order_id=reference,
        fraud_status=klarna_order.fraud_status,
        redirect_url=None,
        authorized_payment_method=method.lower() or None,
        number_of_installments=instalments if isinstance(instalments, int) else None,
    )
    outcome = KlarnaOutcome(
        order_status=ORDER_STATUS[klarna_order.fraud_status],
        reference=reference,
        result=result,
        placement=prepared,
        # The notification secret sent at create order was lost with the process; held orders
        # are refreshed by klarna_reconcile instead.
        callback_secret=secrets.token_urlsafe(24),
        klarna_order=klarna_order,
        details=shopper_details(
            prepared.category_name or initial.get("description") or DEFAULT_TITLES["klarna"], result
        ),
    )
    return WriteOrder(outcome, source=f"Klarna order {reference}")


def _cancel_leftover(reference: str) -> Recovery:
    """A failed placement left a Klarna order behind: make sure Klarna cancelled it."""
    if KlarnaPayment.objects.filter(klarna_order_id=reference).exists():
        return None  # an order was written for it after all: never cancel a sold order
    try:
        klarna_order = services.read_klarna_order(reference)
        if klarna_order.status == "CANCELLED":
            text = "already cancelled at Klarna"
        elif klarna_order.captured_amount:
            text = "has captures and cannot be cancelled: staff must refund it"
        else:
            services.cancel_klarna_order(reference)
            text = "cancelled at Klarna"
    except KlarnaError as error:
        if error.status != 404:
            return TryLater(
                f"Klarna order {reference}: not cancelled yet ({error.error_code}); retried next run"
            )
        text = "unknown to Klarna"
    return Settled(f"Klarna order {reference}: {text}")
