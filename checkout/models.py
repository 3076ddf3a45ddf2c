"""Orders and their placement records. Owned by the ``checkout`` app."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shop.models import AbstractAddress

ORDER_NUMBER_OFFSET = 100000000


def new_order_token() -> str:
    return secrets.token_urlsafe(24)


class OrderPlacement(models.Model):
    """One row per cart that a shopper tried to turn into an order: the exactly-once record.

    The unique cart ties every placeOrder of a cart to one row, and so to one order number
    (reserved before the payment provider is called, so it can be sent as Klarna's
    ``merchant_reference1``). ``state`` tells a retry, the authorization callback and
    ``klarna_reconcile`` where the placement stands; it is never left in ``paying`` without a
    way to resolve it.
    """

    class State(models.TextChoices):
        PAYING = "paying", "Calling the payment provider"
        AUTHORIZED = "authorized", "Paid at the provider; local order not written yet"
        UNCERTAIN = "uncertain", "Payment outcome unknown (timeout)"
        FAILED = "failed", "Payment refused; the cart stays usable"
        COMPLETED = "completed", "Order created"

    cart = models.OneToOneField("cart.Cart", on_delete=models.PROTECT, related_name="placement")
    order_number = models.CharField(max_length=32, unique=True, null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PAYING)
    payment_method_code = models.CharField(max_length=64, blank=True)
    payment_reference = models.CharField(max_length=255, blank=True, help_text="e.g. the Klarna order id")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"Placement {self.order_number or self.pk} ({self.state})"


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        # Some items shipped (and, with Klarna, captured), the rest still to ship: Magento's
        # "processing" state, under a status of its own so shopper and staff see where it is.
        PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
        PAYMENT_REVIEW = "payment_review", "Payment review (on hold)"
        COMPLETE = "complete", "Complete"
        CLOSED = "closed", "Closed"
        CANCELED = "canceled", "Canceled"

    number = models.CharField(max_length=32, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_order_token)
    cart = models.OneToOneField("cart.Cart", on_delete=models.PROTECT, related_name="order")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.PENDING)
    # The store (market) it was placed in, from its cart; NULL: the default store.
    store = models.ForeignKey("shop.Store", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    prices_include_tax = models.BooleanField()
    subtotal_excl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    subtotal_incl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    discount_total = models.DecimalField(max_digits=14, decimal_places=4)
    discount_label = models.CharField(max_length=128, blank=True)
    coupon_code = models.CharField(max_length=64, blank=True)
    shipping_carrier_code = models.CharField(max_length=32)
    shipping_method_code = models.CharField(max_length=32)
    shipping_title = models.CharField(max_length=255)
    shipping_excl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    shipping_incl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    tax_total = models.DecimalField(max_digits=14, decimal_places=4)
    grand_total = models.DecimalField(max_digits=14, decimal_places=4)
    applied_taxes = models.JSONField(default=list, help_text="[{title, amount}] as strings")
    payment_method_code = models.CharField(max_length=64)
    payment_method_title = models.CharField(max_length=255)
    # What the payment provider tells the shopper about the chosen method, written at placement
    # (PaymentOutcome.details): {"name": "Klarna — Pay later in 30 days", "days": 30} or
    # {"name": ..., "instalments": 3}; shown by checkout.payment_display. {} for other methods.
    payment_details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The cart's gift options at placement (Magento Open Source gift message).
    gift_message_to = models.CharField(max_length=255, blank=True)
    gift_message_from = models.CharField(max_length=255, blank=True)
    gift_message = models.TextField(blank=True)
    gift_receipt_included = models.BooleanField(default=False)
    printed_card_included = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"]), models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(grand_total__gte=0), name="order_total_not_negative")
        ]
        permissions = [
            ("capture_payment", "Can capture Klarna payments"),
            ("refund_payment", "Can refund Klarna payments"),
            ("cancel_payment", "Can cancel Klarna payments"),
        ]

    def __str__(self):
        return f"Order #{self.number}"

    @property
    def state(self) -> str:
        """Magento's order state for the status (its ``sales_order_status_state`` defaults):
        a pending order is in state ``new``, a partially shipped one in ``processing``; every
        other status is its own state."""
        if self.status == self.Status.PENDING:
            return "new"
        if self.status == self.Status.PARTIALLY_SHIPPED:
            return "processing"
        return self.status

    @property
    def grand_total_excl_tax(self):
        return self.grand_total - self.tax_total


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "shop.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4)
    tax_title = models.CharField(max_length=64, blank=True)
    price_excl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    price_incl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    row_total_excl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    row_total_incl_tax = models.DecimalField(max_digits=14, decimal_places=4)
    discount = models.DecimalField(max_digits=14, decimal_places=4)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=4)
    total_incl_tax = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} × {self.sku}"


class OrderAddress(AbstractAddress):
    class Kind(models.TextChoices):
        SHIPPING = "shipping"
        BILLING = "billing"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="orderaddress_one_per_kind")]

    def __str__(self):
        return f"{self.kind}: {self.firstname} {self.lastname}, {self.city} {self.country_code}"


class EmailOutbox(models.Model):
    """One email to a shopper about an order, written in the transaction of the event that
    causes it (order placed, cancelled, shipped, refunded) and sent after that commit
    (``checkout.email_outbox``).

    Exactly once: the unique (order, kind, event id) means an event enqueues at most one row
    (a replayed placeOrder, a repeated Klarna capture), and a sender must first win the
    conditional UPDATE that moves the row from ``pending`` to ``sending`` (``claimed_at``), so
    two hosts never send the same row. ``next_attempt_at`` holds the backoff after a failure.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Order confirmation"
        CANCELLATION = "cancellation", "Order cancelled"
        SHIPMENT = "shipment", "Shipment"
        REFUND = "refund", "Refund"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Being sent (claimed)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (attempts used up)"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="emails")
    # What caused it, for events an order can have several of (the Klarna operation id of a
    # capture or refund); empty for once-per-order events (confirmation, cancellation).
    event_id = models.CharField(max_length=64, blank=True)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = "email"
        verbose_name_plural = "email outbox"
        constraints = [
            models.UniqueConstraint(fields=["order", "kind", "event_id"], name="email_outbox_once_per_event")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for order #{self.order_id} to {self.recipient} ({self.state})"


class Shipment(models.Model):
    """Goods that left for the customer (Magento's shipment), and the capture that paid for them.

    Written in two steps around the payment provider's capture (``checkout.shipments``): a
    ``capturing`` row reserves the quantities (so two staff members cannot ship the same units)
    before the provider is called, and becomes ``shipped`` once the provider confirmed the
    capture (or at once when the payment method captures nothing: check / money order, free).
    A refused capture marks it ``failed`` and frees its quantities. ``operation_id`` is the
    signed confirmation's id: one confirmation makes at most one shipment.
    """

    class State(models.TextChoices):
        CAPTURING = "capturing", "Capture requested, answer not known yet"
        SHIPPED = "shipped", "Shipped"
        FAILED = "failed", "Capture refused; nothing shipped"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    number = models.CharField(max_length=40, unique=True)
    operation_id = models.UUIDField(unique=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CAPTURING)
    carrier = models.CharField(max_length=100)
    tracking_number = models.CharField(max_length=100)
    tracking_url = models.URLField(max_length=1024, blank=True)
    includes_shipping_fee = models.BooleanField(default=False)
    # What the provider captures for it (order currency; 0 when the method captures nothing),
    # and the provider's lines for it (Klarna order lines), fixed when the shipment is reserved.
    capture_amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    capture_lines = models.JSONField(default=list, blank=True)
    payment_reference = models.CharField(max_length=255, blank=True, help_text="e.g. Klarna's capture id")
    error = models.TextField(blank=True)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    shipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Shipment {self.number} ({self.state})"


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.PROTECT, related_name="shipment_items")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipmentitem_quantity_positive"),
            models.UniqueConstraint(fields=["shipment", "order_item"], name="shipmentitem_once_per_line"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.order_item.sku}"


class CreditMemo(models.Model):
    """Money given back on an order (Magento's credit memo): chosen lines (with quantities,
    optionally the shipping) or an amount (Magento's "adjustment refund"), with staff's reason.

    Written by ``checkout.credit_memos`` only. ``operation_id`` comes from the signed staff
    confirmation: a double submit finds this row instead of refunding twice, and the payment
    provider moves the money under the same id (Klarna: the stored idempotency key of its
    refund operation). ``pending`` means the provider was (or is about to be) asked and its
    answer is not known yet; a pending memo counts against what is refundable so nothing can be
    refunded twice meanwhile. A ``failed`` memo moved nothing and counts for nothing.
    Amounts are Decimal in the order's currency, tax included.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending (provider's answer not known yet)"
        REFUNDED = "refunded", "Refunded"
        FAILED = "failed", "Refused (nothing refunded)"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="credit_memos")
    number = models.CharField(max_length=40, unique=True)
    operation_id = models.UUIDField(unique=True, help_text="from the staff confirmation; one per memo")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    reason = models.TextField()
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=14, decimal_places=4, help_text="lines, after discount")
    shipping = models.DecimalField(max_digits=14, decimal_places=4)
    adjustment = models.DecimalField(max_digits=14, decimal_places=4, help_text="an amount refund")
    tax_total = models.DecimalField(max_digits=14, decimal_places=4)
    grand_total = models.DecimalField(max_digits=14, decimal_places=4)
    offline = models.BooleanField(default=False, help_text="recorded only: no provider moved money")
    provider_reference = models.CharField(max_length=255, blank=True, help_text="e.g. Klarna refund id")
    error_message = models.TextField(blank=True)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "credit memo"
        constraints = [
            models.CheckConstraint(condition=Q(grand_total__gte=0), name="creditmemo_total_not_negative")
        ]

    def __str__(self):
        return f"Credit memo {self.number} ({self.state})"


class CreditMemoItem(models.Model):
    """One refunded line of a credit memo: an order item's quantity, or the shipping."""

    credit_memo = models.ForeignKey(CreditMemo, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(
        OrderItem, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_memo_items"
    )
    is_shipping = models.BooleanField(default=False)
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=4, help_text="catalog terms")
    discount = models.DecimalField(max_digits=14, decimal_places=4)
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=4)
    total = models.DecimalField(max_digits=14, decimal_places=4, help_text="refunded, tax included")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} × {self.sku}"


class OrderStatusChange(models.Model):
    """One change of an order's status, with why and by whom (``checkout.history``). The order's
    timeline joins these with its shipments, credit memos, emails and the payment provider's
    own records; placing the order writes none (its creation is the first entry)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=32)
    to_status = models.CharField(max_length=32)
    reason = models.CharField(max_length=255)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.order_id}: {self.from_status} → {self.to_status}"
