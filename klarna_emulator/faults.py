"""Fault injection: make the next N calls to an endpoint misbehave.

Python API (tests)::

    from klarna_emulator import faults
    faults.inject(r"/payments/v1/sessions$", method="POST", status=503,
                  error_code="TEMPORARILY_UNAVAILABLE")           # a Klarna error
    faults.inject(r"/ordermanagement/v1/orders/.+/captures$", kind="malformed")   # garbage body
    faults.inject(r"/payments/v1/sessions$", kind="delay", delay_seconds=15)      # slower than timeout
    faults.clear()

HTTP (same fields, JSON): ``POST <emulator>/_faults`` (201 with the fault), ``GET <emulator>/_faults``,
``DELETE <emulator>/_faults``. ``path`` is a regular expression searched in the path *below the
emulator root* (``/payments/v1/sessions``), ``method`` is an HTTP method or ``*``.

A status or malformed fault answers instead of the emulator (nothing happens); a delay fault lets
the call take effect and delivers the answer late: over HTTP the server sleeps, in-process the
transport sleeps and raises ``requests.exceptions.ReadTimeout`` when the delay exceeds the read
timeout, like a client that gave up on a slow Klarna.
"""

import re
from decimal import Decimal

from django.db import transaction

from .errors import KlarnaError
from .models import EmulatorFault

MALFORMED_BODY = '{"error_code": "INTERNAL_SERVER_ERROR", "error_mess'


def inject(
    path: str,
    *,
    method: str = "*",
    times: int = 1,
    kind: str = EmulatorFault.KIND_STATUS,
    status: int | None = None,
    error_code: str = "INTERNAL_SERVER_ERROR",
    error_messages: list[str] | None = None,
    body: str | None = None,
    delay_seconds: Decimal | int | str = 0,
) -> EmulatorFault:
    """Register a fault for the next ``times`` calls matching ``method`` and the ``path`` regex."""
    if kind not in (EmulatorFault.KIND_STATUS, EmulatorFault.KIND_MALFORMED, EmulatorFault.KIND_DELAY):
        raise ValueError(f"unknown fault kind {kind!r}")
    re.compile(path)
    if status is None:
        status = {EmulatorFault.KIND_STATUS: 500, EmulatorFault.KIND_MALFORMED: 200}.get(kind, 200)
    return EmulatorFault.objects.create(
        method=method.upper(),
        path_pattern=path,
        remaining=times,
        kind=kind,
        status=status,
        error_code=error_code,
        error_messages=error_messages or [f"Injected fault: {error_code}"],
        body=MALFORMED_BODY if body is None else body,
        delay_seconds=Decimal(str(delay_seconds)),
    )


def clear() -> None:
    EmulatorFault.objects.all().delete()


def take(method: str, path: str) -> EmulatorFault | None:
    """Consume one use of the oldest fault matching this call, if any."""
    with transaction.atomic():
        for fault in EmulatorFault.objects.select_for_update().order_by("id"):
            if fault.method not in ("*", method.upper()) or not re.search(fault.path_pattern, path):
                continue
            if fault.remaining <= 1:
                fault.delete()
            else:
                fault.remaining -= 1
                fault.save(update_fields=["remaining"])
            return fault
    return None


def as_error(fault: EmulatorFault) -> KlarnaError:
    return KlarnaError(fault.status, fault.error_code, *fault.error_messages)


def describe(fault: EmulatorFault) -> dict:
    return {
        "id": fault.pk,
        "method": fault.method,
        "path": fault.path_pattern,
        "times": fault.remaining,
        "kind": fault.kind,
        "status": fault.status,
        "error_code": fault.error_code,
        "error_messages": fault.error_messages,
        "delay_seconds": str(fault.delay_seconds),
    }
