"""Carts, their items and addresses, and coupons. Owned by the ``cart`` app: other apps change
them only through ``cart.services``."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from shop.models import AbstractAddress
from shop.store import current_store_pk

MASKED_ID_LENGTH = 32


def new_masked_id() -> str:
    """32 characters from 192 random bits (URL-safe base64): unguessable, not enumerable."""
    return secrets.token_urlsafe(24)


class Coupon(models.Model):
    class Type(models.TextChoices):
        PERCENT = "percent", "Percent of items"
        FIXED = "fixed", "Fixed amount off items"

    code = models.CharField(
        max_length=64, help_text="Matched case-insensitively; shown as written here (as Magento does)."
    )
    label = models.CharField(
        max_length=128, blank=True, help_text="Shown as the discount label; code when empty."
    )
    discount_type = models.CharField(max_length=8, choices=Type.choices, default=Type.PERCENT)
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    min_subtotal = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Items subtotal needed to apply it."
    )
    active_from = models.DateTimeField(null=True, blank=True)
    active_to = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Orders it may be used on.")
    times_used = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="coupon_code_unique_ignoring_case"),
            models.CheckConstraint(
                condition=~Q(discount_type="percent") | Q(value__lte=100), name="coupon_percent_at_most_100"
            ),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = self.code.strip()
        super().save(*args, **kwargs)

    def is_usable_now(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.is_active:
            return False
        if self.active_from and now < self.active_from:
            return False
        if self.active_to and now > self.active_to:
            return False
        return not (self.usage_limit is not None and self.times_used >= self.usage_limit)


class Cart(models.Model):
    masked_id = models.CharField(max_length=MASKED_ID_LENGTH, unique=True, default=new_masked_id)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="carts"
    )
    email = models.EmailField(max_length=254, blank=True)
    is_active = models.BooleanField(default=True)
    coupon = models.ForeignKey(Coupon, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    payment_method_code = models.CharField(max_length=64, blank=True)
    # Bumped by every change to what the shopper buys or where it goes; Klarna sync and
    # placeOrder compare it to detect "the cart changed under me".
    version = models.PositiveIntegerField(default=1)
    # Set while placeOrder talks to the payment provider (the lock is released during the call).
    placing_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Gift options (Magento Open Source gift message, gift receipt, printed card); copied to
    # the order. An empty message means none.
    gift_message_to = models.CharField(max_length=255, blank=True)
    gift_message_from = models.CharField(max_length=255, blank=True)
    gift_message = models.TextField(blank=True)
    gift_receipt_included = models.BooleanField(default=False)
    printed_card_included = models.BooleanField(default=False)
    # The store (market) it was created in; NULL: the default store (carts from before markets).
    # Its currency, prices, tax mode and shipping price the cart; another store's request is
    # refused (cart.locks.check_access).
    store = models.ForeignKey(
        "shop.Store",
        null=True,
        blank=True,
        default=current_store_pk,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["customer", "is_active"])]

    def __str__(self):
        return f"Cart {self.masked_id[:8]}…"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("shop.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cartitem_one_line_per_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cartitem_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_id}"


class CartAddress(AbstractAddress):
    class Kind(models.TextChoices):
        SHIPPING = "shipping"
        BILLING = "billing"

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    customer_notes = models.CharField(max_length=1024, blank=True)
    same_as_billing = models.BooleanField(default=False)
    # Magento's save_in_address_book: a customer's typed address goes to the address book when
    # the order is placed (cart.customer_carts.save_addresses_in_book), not before.
    save_in_address_book = models.BooleanField(default=False)
    # Selected shipping method lives on the shipping address, as in Magento.
    shipping_carrier_code = models.CharField(max_length=32, blank=True)
    shipping_method_code = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["cart", "kind"], name="cartaddress_one_per_kind")]

    def __str__(self):
        return f"{self.kind}: {self.firstname} {self.lastname}, {self.city} {self.country_code}"
