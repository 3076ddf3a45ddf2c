"""``python manage.py seed_demo``: the demo catalog, tax rates and coupon. Safe to run twice."""

from django.core.management.base import BaseCommand

from shop.demo_store import seed_demo_store


class Command(BaseCommand):
    help = "Load the demo catalog, tax rates for DE/AT/NL/SE/FI/GB/US and the coupon WELCOME10 (idempotent)."

    def handle(self, *args, **options):
        report = seed_demo_store()
        for kind, counts in report.items():
            self.stdout.write(
                f"{kind}: created {counts['created']}, updated {counts['updated']}, "
                f"unchanged {counts['unchanged']}"
            )
