"""The demo store's coupon ``WELCOME10`` (10 % off items), seeded with ``seed_demo``."""

from collections import Counter
from decimal import Decimal

from shop.demo_store import upsert

from .models import Coupon

COUPONS = [
    {
        "code": "WELCOME10",
        "label": "Welcome 10 % off",
        "discount_type": Coupon.Type.PERCENT,
        "value": Decimal("10"),
        "min_subtotal": None,
        "active_from": None,
        "active_to": None,
        "usage_limit": None,
        "is_active": True,
    }
]


def seed_demo_coupons() -> Counter:
    """Create or restore the demo coupons (idempotent): how many were ``created``, ``updated``
    and ``unchanged``."""
    report = Counter()
    for coupon in COUPONS:
        code, values = coupon["code"], {k: v for k, v in coupon.items() if k != "code"}
        # Coupon usage (times_used) belongs to the shop's history; seeding never resets it.
        report[upsert(Coupon, {"code": code}, values)] += 1
    return report
