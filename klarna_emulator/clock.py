"""The emulator's "now": wall clock plus an offset stored in the database.

Tests move time forward with ``advance(timedelta)`` to expire sessions, tokens and orders or to
make pending-order notifications due, in every process that shares the database.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from .models import EmulatorClock


def now() -> datetime:
    offset = EmulatorClock.objects.filter(pk=1).values_list("offset_seconds", flat=True).first() or 0
    return timezone.now() + timedelta(seconds=offset)


def advance(delta: timedelta) -> datetime:
    """Move the emulator's clock forward by ``delta``; returns the new now."""
    clock, _ = EmulatorClock.objects.get_or_create(pk=1)
    clock.offset_seconds += int(delta.total_seconds())
    clock.save(update_fields=["offset_seconds"])
    return now()


def reset() -> None:
    EmulatorClock.objects.filter(pk=1).update(offset_seconds=0)
