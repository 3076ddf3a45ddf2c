"""``python manage.py seed_demo``: the demo catalog, tax rates and coupon. Safe to run twice.

It lives in cart, the lowest app owning everything it seeds (shop's catalog and tax rates, the
cart's coupon), so shop never imports cart.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.demo_store import seed_demo_store

from ...demo_coupons import seed_demo_coupons


class Command(BaseCommand):
    help = (
        "Load the demo catalog, tax rates for DE/AT/NL/SE/FI/GB/US, the stores (markets) with their "
        "prices and the coupon WELCOME10 (idempotent)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            report = {**seed_demo_store(), "coupons": seed_demo_coupons()}
        for kind, counts in report.items():
            if kind in ("stores", "prices") and options["verbosity"] < 2:
                continue  # the markets' lines at -v 2: the first lines stay what scripts read
            self.stdout.write(
                f"{kind}: created {counts['created']}, updated {counts['updated']}, "
                f"unchanged {counts['unchanged']}"
            )
