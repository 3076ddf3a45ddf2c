"""The emulator's state. Every table is Klarna's side of the world, never the shop's."""

from django.db import models


class EmulatorClock(models.Model):
    """One row: how far the emulator's "now" runs ahead of the wall clock (tests advance it)."""

    offset_seconds = models.BigIntegerField(default=0)

    def __str__(self):
        return f"clock +{self.offset_seconds}s"


class EmulatorSession(models.Model):
    session_id = models.CharField(max_length=64, unique=True)
    merchant = models.CharField(max_length=255)
    # The merchant's payload as last created/updated (merged), exactly as Klarna stores it.
    data = models.JSONField(default=dict)
    # Customer data given in the browser through load()/authorize() (billing/shipping address...).
    browser_data = models.JSONField(default=dict)
    payment_method_categories = models.JSONField(default=list)
    status = models.CharField(max_length=16, default="incomplete")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    authorization_token = models.CharField(max_length=64, blank=True)
    # Category approved with auto_finalize=false, waiting for finalize().
    finalize_category = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return f"session {self.session_id} ({self.status})"


class EmulatorAuthorization(models.Model):
    token = models.CharField(max_length=64, unique=True)
    session = models.ForeignKey(EmulatorSession, on_delete=models.CASCADE, related_name="authorizations")
    merchant = models.CharField(max_length=255)
    payment_method_category = models.CharField(max_length=32)
    # What the shopper approved: the create-order call must match it.
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # First create-order result, replayed on every later call with the same token.
    result_status = models.PositiveSmallIntegerField(null=True, blank=True)
    result_body = models.JSONField(null=True, blank=True)

    def __str__(self):
        return f"authorization {self.token}"


class EmulatorOrder(models.Model):
    order_id = models.CharField(max_length=64, unique=True)
    merchant = models.CharField(max_length=255)
    session = models.ForeignKey(EmulatorSession, null=True, on_delete=models.SET_NULL, related_name="orders")
    status = models.CharField(max_length=16, default="AUTHORIZED")
    fraud_status = models.CharField(max_length=16, default="ACCEPTED")
    order_amount = models.BigIntegerField()
    original_order_amount = models.BigIntegerField()
    captured_amount = models.BigIntegerField(default=0)
    refunded_amount = models.BigIntegerField(default=0)
    remaining_released = models.BooleanField(default=False)
    purchase_country = models.CharField(max_length=2)
    purchase_currency = models.CharField(max_length=3)
    locale = models.CharField(max_length=16)
    data = models.JSONField(default=dict)
    klarna_reference = models.CharField(max_length=16)
    initial_payment_method = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"order {self.order_id} ({self.status}, {self.fraud_status})"


class EmulatorCapture(models.Model):
    capture_id = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(EmulatorOrder, on_delete=models.CASCADE, related_name="captures")
    captured_amount = models.BigIntegerField()
    data = models.JSONField(default=dict)
    klarna_reference = models.CharField(max_length=16)
    captured_at = models.DateTimeField()

    def __str__(self):
        return f"capture {self.capture_id} of {self.captured_amount}"


class EmulatorRefund(models.Model):
    refund_id = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(EmulatorOrder, on_delete=models.CASCADE, related_name="refunds")
    refunded_amount = models.BigIntegerField()
    data = models.JSONField(default=dict)
    refunded_at = models.DateTimeField()

    def __str__(self):
        return f"refund {self.refund_id} of {self.refunded_amount}"


class EmulatorIdempotentResponse(models.Model):
    """The first response to an Order Management call carrying a Klarna-Idempotency-Key."""

    merchant = models.CharField(max_length=255)
    key = models.CharField(max_length=255)
    created_at = models.DateTimeField()
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "key"], name="klarna_emulator_idem_key")]

    def __str__(self):
        return f"idempotency key {self.key} -> {self.status}"


class EmulatorFault(models.Model):
    """Makes the next ``remaining`` calls matching method + path regex misbehave."""

    KIND_STATUS = "status"
    KIND_MALFORMED = "malformed"
    KIND_DELAY = "delay"

    method = models.CharField(max_length=10, default="*")
    path_pattern = models.CharField(max_length=500)
    remaining = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=16)
    status = models.PositiveSmallIntegerField(default=500)
    error_code = models.CharField(max_length=64, blank=True)
    error_messages = models.JSONField(default=list)
    body = models.TextField(blank=True)
    delay_seconds = models.DecimalField(max_digits=8, decimal_places=3, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.kind} fault on {self.method} {self.path_pattern} x{self.remaining}"


class EmulatorCallback(models.Model):
    """A POST Klarna owes the merchant: a pending-order notification or an authorization callback."""

    KIND_NOTIFICATION = "notification"
    KIND_AUTHORIZATION = "authorization"

    kind = models.CharField(max_length=16)
    order = models.ForeignKey(EmulatorOrder, null=True, blank=True, on_delete=models.CASCADE)
    url = models.CharField(max_length=2000)
    payload = models.JSONField(default=dict)
    # For fraud notifications: the decision applied to the order when the callback falls due.
    decision = models.CharField(max_length=16, blank=True)
    due_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_result = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return f"{self.kind} to {self.url} due {self.due_at:%Y-%m-%d %H:%M}"
