"""Klarna's data in the shop: the Payments session of a cart and the record of every API call.

Owned by ``payments_klarna``; other apps read them only through ``payments_klarna.services``.
Nothing here stores credentials; tokens live only where the checkout needs them
(``KlarnaSession.client_token`` for the widget, ``authorization_token`` for placing the order)
and are never shown in the API call log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class KlarnaSession(models.Model):
    """One Klarna Payments session of a cart. A cart has at most one ``active`` session;
    a replaced session (expired, unknown to Klarna, or another market) keeps its row so
    staff can follow the history through its API calls."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        REPLACED = "replaced"  # superseded by a new session for the same cart
        GONE = "gone"  # Klarna answered 404 for it
        COMPLETED = "completed"  # an order was created from its authorization

    cart = models.ForeignKey("cart.Cart", on_delete=models.CASCADE, related_name="klarna_sessions")
    session_id = models.CharField(max_length=255, db_index=True)
    client_token = models.TextField(help_text="JWT for Klarna.Payments.init(); expires with the session.")
    payment_method_categories = models.JSONField(default=list)
    # What Klarna holds: hash of the last payload sent (create or update), that payload with
    # personal data redacted, and its amount in minor units.
    payload_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    amount = models.BigIntegerField(help_text="order_amount last sent, in minor units")
    country = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    locale = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField(help_text="48 hours after the last create or update")
    authorization_token = models.CharField(max_length=255, null=True, blank=True)
    authorized_category = models.CharField(max_length=64, blank=True)
    authorized_payload_hash = models.CharField(max_length=64, blank=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    # Klarna's authorization callback (merchant_urls.authorization): when it first arrived, and
    # when klarna_reconcile finished acting on it (order placed, or placement refused).
    authorization_callback_at = models.DateTimeField(null=True, blank=True)
    authorization_callback_handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart"], condition=Q(status="active"), name="klarnasession_one_active_per_cart"
            )
        ]

    def __str__(self):
        return f"Klarna session {self.session_id} ({self.status})"

    @property
    def market(self) -> tuple[str, str, str]:
        return (self.country, self.currency, self.locale)


class KlarnaApiCall(models.Model):
    """One HTTP exchange with Klarna (each retry attempt is its own row). Bodies are stored
    with credentials, tokens and personal data redacted; paths never contain tokens."""

    method = models.CharField(max_length=8)
    path = models.CharField(max_length=512)
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="empty: no HTTP answer")
    duration_ms = models.PositiveIntegerField(default=0)
    attempt = models.PositiveSmallIntegerField(default=1)
    request_id = models.CharField(max_length=36, db_index=True, help_text="shared by retries of one call")
    http_request_id = models.CharField(
        max_length=128,
        blank=True,
        db_index=True,
        help_text="X-Request-ID of the shop request that made the call (empty for commands and cron)",
    )
    correlation_id = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    request_body = models.JSONField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    klarna_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    klarna_order_id = models.CharField(max_length=255, blank=True, db_index=True)
    session = models.ForeignKey(
        KlarnaSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="api_calls"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "Klarna API call"

    def __str__(self):
        return f"{self.method} {self.path} → {self.status or self.error_code}"


class KlarnaPayment(models.Model):
    """The Klarna side of one order: created in the same transaction as the order, from the
    create-order answer. Unique Klarna order id and authorization token: one payment per
    authorization, one order per payment. Amounts are integer minor units and change only
    from Klarna's answers (captures, refunds, refresh)."""

    class Status(models.TextChoices):
        AUTHORIZED = "AUTHORIZED"
        PART_CAPTURED = "PART_CAPTURED"
        CAPTURED = "CAPTURED"
        CANCELLED = "CANCELLED"
        EXPIRED = "EXPIRED"
        CLOSED = "CLOSED"

    class FraudStatus(models.TextChoices):
        ACCEPTED = "ACCEPTED"
        PENDING = "PENDING"
        REJECTED = "REJECTED"
        STOPPED = "STOPPED"

    order = models.OneToOneField("checkout.Order", on_delete=models.PROTECT, related_name="klarna_payment")
    session = models.ForeignKey(
        KlarnaSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    klarna_order_id = models.CharField(max_length=255, unique=True)
    klarna_reference = models.CharField(max_length=255, blank=True)
    authorization_token = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AUTHORIZED)
    fraud_status = models.CharField(max_length=16, choices=FraudStatus.choices)
    authorized_payment_method = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3)
    authorized_amount = models.BigIntegerField(help_text="minor units")
    captured_amount = models.BigIntegerField(default=0, help_text="minor units")
    refunded_amount = models.BigIntegerField(default=0, help_text="minor units")
    remaining_authorized_amount = models.BigIntegerField(null=True, blank=True, help_text="minor units")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="capture possible until then")
    callback_secret = models.CharField(max_length=64, unique=True, help_text="in the notification URL")
    refreshed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"Klarna order {self.klarna_order_id} ({self.status}, {self.fraud_status})"


class KlarnaOperation(models.Model):
    """One staff operation on a Klarna order through Order Management (capture, refund, cancel,
    release the remaining authorization, extend the authorization time).

    ``idempotency_key`` is generated once and stored before Klarna is called; every retry of
    the operation (double submit, timeout then retry) sends the same key, so Klarna carries it
    out once. ``operation_id`` comes from the staff form (one per signed confirmation of a money
    action, one per rendered extend form), so a double-submitted confirmation finds this row
    instead of starting a second operation."""

    class Kind(models.TextChoices):
        CAPTURE = "capture"
        REFUND = "refund"
        CANCEL = "cancel"
        RELEASE = "release", "release remaining authorization"
        EXTEND = "extend", "extend authorization time"

    class Status(models.TextChoices):
        PENDING = "pending"  # stored, Klarna not called yet or its answer unknown (retry safely)
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # Klarna refused; retrying the same operation repeats the refusal

    payment = models.ForeignKey(KlarnaPayment, on_delete=models.PROTECT, related_name="operations")
    operation_id = models.UUIDField(unique=True, help_text="from the staff form; one per submitted form")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField(null=True, blank=True, help_text="minor units (capture, refund)")
    lines = models.JSONField(default=list, blank=True, help_text="Klarna order lines sent, if any")
    shipping_info = models.JSONField(default=list, blank=True)
    description = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    klarna_capture_id = models.CharField(max_length=255, blank=True)
    klarna_refund_id = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="klarna_operations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "Klarna operation"

    def __str__(self):
        return f"{self.get_kind_display()} of {self.payment.klarna_order_id} ({self.status})"


class KlarnaReconcileUnit(models.Model):
    """The ledger of ``klarna_reconcile``: one row per unit of work (e.g. ``placement:12:uncertain``).

    A run claims a unit by setting ``claimed_until`` in a short transaction (under
    ``select_for_update(skip_locked=True)`` of the work row), works on it without any lock, then
    releases the claim or marks it ``resolved_at``. Several hosts running the command at once
    therefore never work on the same unit, and a crashed run's claim simply runs out."""

    key = models.CharField(max_length=255, unique=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.key
