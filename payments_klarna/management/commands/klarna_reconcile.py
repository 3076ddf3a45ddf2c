"""``python manage.py klarna_reconcile``: resolve what requests left unfinished with Klarna.

Run it from cron every minute, on as many hosts as you like (units of work are claimed, see
``payments_klarna.reconcile``). ``--step`` runs only some steps, e.g.
``--step authorization-callbacks`` places just the orders Klarna's authorization callback is
waiting for.
"""

from django.core.management.base import BaseCommand

from payments_klarna import reconcile


class Command(BaseCommand):
    help = "Resolve uncertain Klarna placements, place orders for authorization callbacks, refresh held orders, settle shipments and credit memos whose Klarna answer was lost, warn about expiring authorizations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--step",
            action="append",
            choices=reconcile.STEPS,
            help="run only this step (repeatable); default: every step",
        )
        parser.add_argument(
            "--authorization-callbacks-only",
            action="store_true",
            help="same as --step authorization-callbacks",
        )
        parser.add_argument(
            "--grace",
            type=int,
            help="seconds to wait after an authorization callback (default KLARNA_AUTHORIZATION_CALLBACK_GRACE, 120)",
        )
        parser.add_argument(
            "--expiry-days",
            type=int,
            help="warn about authorizations expiring within this many days (default KLARNA_EXPIRY_WARNING_DAYS, 7)",
        )

    def handle(self, *args, **options):
        steps = options["step"] or reconcile.STEPS
        if options["authorization_callbacks_only"]:
            steps = ["authorization-callbacks"]
        report = reconcile.run(steps, grace=options["grace"], expiry_days=options["expiry_days"])
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(report.summary())
