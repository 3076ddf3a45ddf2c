"""``manage.py klarna_emulator_tick``: deliver the emulator's due notifications and callbacks."""

from django.core.management.base import BaseCommand

from klarna_emulator.callbacks import fire_due


class Command(BaseCommand):
    help = "Fire the Klarna emulator's due pending-order notifications and authorization callbacks."

    def handle(self, *args, **options):
        for callback in fire_due():
            self.stdout.write(
                f"{callback.kind} {callback.payload.get('event_type', '')} -> {callback.url}: {callback.last_result}"
            )
