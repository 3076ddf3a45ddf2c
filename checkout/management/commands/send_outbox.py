"""``python manage.py send_outbox``: send the shopper emails that are due.

Run it from cron every minute, on as many hosts as you like: each row is claimed before it is
sent (``checkout.email_outbox``), so no email goes out twice. Emails are normally sent right
after the event's commit; this picks up the ones whose first try failed (mail server down)
and their retries.
"""

from django.core.management.base import BaseCommand

from checkout import email_outbox


class Command(BaseCommand):
    help = "Send due emails from the outbox (retries with backoff; failed after EMAIL_OUTBOX_MAX_ATTEMPTS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="send at most this many rows (default 500)"
        )

    def handle(self, *args, **options):
        summary = email_outbox.send_due(limit=options["limit"])
        self.stdout.write(f"send_outbox: {summary}")
