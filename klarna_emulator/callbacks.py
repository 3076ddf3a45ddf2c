"""Klarna's calls to the merchant: pending-order notifications and authorization callbacks.

``fire_due()`` posts every callback whose time has come (by the emulator clock). It runs from
``manage.py klarna_emulator_tick``, from the standalone server's ticker and from tests. A
notification first applies its fraud decision to the order (ACCEPTED, or REJECTED which also
cancels it), then POSTs ``{order_id, event_type, date}``. Failed deliveries are retried with a
growing delay, at most ``MAX_ATTEMPTS`` times.
"""

from datetime import timedelta

import requests
from django.db import transaction

from . import clock
from .models import EmulatorCallback

MAX_ATTEMPTS = 5
EVENT_TYPES = {"ACCEPTED": "FRAUD_RISK_ACCEPTED", "REJECTED": "FRAUD_RISK_REJECTED"}


def _decide(callback: EmulatorCallback) -> None:
    order = callback.order
    if (
        callback.kind != EmulatorCallback.KIND_NOTIFICATION
        or order is None
        or order.fraud_status != "PENDING"
    ):
        return
    order.fraud_status = callback.decision
    if callback.decision == "REJECTED":
        order.status = "CANCELLED"
    order.save(update_fields=["fraud_status", "status"])
    callback.payload = {
        "order_id": order.order_id,
        "event_type": EVENT_TYPES[callback.decision],
        "date": clock.now().isoformat().replace("+00:00", "Z"),
    }
    callback.save(update_fields=["payload"])


def fire_due(http: requests.Session | None = None, timeout: float = 10) -> list[EmulatorCallback]:
    """Deliver due callbacks; returns those attempted. Safe to run from several processes."""
    http = http or requests.Session()
    attempted = []
    now = clock.now()
    due_ids = list(
        EmulatorCallback.objects.filter(delivered_at__isnull=True, due_at__lte=now, attempts__lt=MAX_ATTEMPTS)
        .order_by("due_at", "id")
        .values_list("id", flat=True)
    )
    for callback_id in due_ids:
        with transaction.atomic():
            callback = (
                EmulatorCallback.objects.select_for_update(of=("self",))
                .select_related("order")
                .filter(pk=callback_id, delivered_at__isnull=True)
                .first()
            )
            if callback is None:
                continue
            _decide(callback)
            # Claim the attempt before the HTTP call so a parallel ticker skips it.
            callback.attempts += 1
            callback.due_at = now + timedelta(minutes=2**callback.attempts)
            callback.save(update_fields=["attempts", "due_at"])
        attempted.append(callback)
        if not callback.url:
            callback.last_result = "no URL"
            callback.save(update_fields=["last_result"])
            continue
        try:
            response = http.post(callback.url, json=callback.payload, timeout=timeout)
            callback.last_result = f"HTTP {response.status_code}"
            if 200 <= response.status_code < 300:
                callback.delivered_at = clock.now()
        except requests.RequestException as error:
            callback.last_result = f"{type(error).__name__}: {error}"[:500]
        callback.save(update_fields=["last_result", "delivered_at"])
    return attempted
