"""What every emulated Klarna API endpoint does around its behaviour: HTTP Basic, fault
injection, JSON parsing, Klarna error bodies, Klarna-Idempotency-Key, correlation ids and the
configured latency (``KLARNA_EMULATOR_LATENCY_MS``, added to every answer after the work, so a
slow "Klarna" holds no database lock of its own)."""

import base64
import binascii
import functools
import json
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from . import clock, faults
from .errors import KlarnaError
from .models import EmulatorFault, EmulatorIdempotentResponse

IDEMPOTENCY_WINDOW = timedelta(hours=24)
# Set by the in-process transport: delays are then performed by the transport, not the view.
IN_PROCESS_META = "klarna_emulator.in_process"
DELAY_HEADER = "X-Klarna-Emulator-Delay"


def root_path() -> str:
    """The emulator's URL prefix in the current URLconf, without trailing slash."""
    return reverse("klarna_emulator:root").rstrip("/")


def base_url(request) -> str:
    """Absolute emulator root as the caller addressed it (Host is not checked: it is a fake)."""
    host = (
        request.META.get("HTTP_HOST")
        or f"{request.META.get('SERVER_NAME')}:{request.META.get('SERVER_PORT')}"
    )
    scheme = "https" if request.is_secure() else "http"
    return f"{scheme}://{host}{root_path()}"


def browser_url(request) -> str:
    """Emulator root for URLs a shopper's browser follows. Through the in-process transport the
    API host is the unresolvable ``klarna-emulator.invalid``; the browser reaches the same
    emulator on the shop's own origin, so the URL is made origin-relative."""
    url = base_url(request)
    if request.META.get("HTTP_HOST", "").endswith(".invalid"):
        return root_path()
    return url


def relative_path(request) -> str:
    return request.path[len(root_path()) :] or "/"


def merchant_of(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        username, sep, password = (
            base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        return None
    return username if sep and username and password else None


def json_body(request):
    if not request.body:
        return {}
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise KlarnaError(400, "BAD_REQUEST", "Malformed request: invalid JSON") from error


def _with_correlation(response: HttpResponse) -> HttpResponse:
    if not response.has_header("Klarna-Correlation-Id"):
        response["Klarna-Correlation-Id"] = str(uuid.uuid4())
    return response


def no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


def klarna_api(*methods: str, idempotent: bool = False):
    """Wrap a view ``view(request, merchant, *args, **kwargs) -> HttpResponse``.

    ``idempotent`` marks Order Management POST/PATCH calls that honour Klarna-Idempotency-Key.
    """

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return _with_correlation(
                    KlarnaError(405, "METHOD_NOT_ALLOWED", "Method not allowed").response()
                )
            merchant = merchant_of(request)
            if merchant is None:
                response = KlarnaError(401, "UNAUTHORIZED", "Unauthorized").response()
                response["WWW-Authenticate"] = 'Basic realm="Klarna"'
                return response
            fault = faults.take(request.method, relative_path(request))
            if fault and fault.kind == EmulatorFault.KIND_STATUS:
                return faults.as_error(fault).response()
            if fault and fault.kind == EmulatorFault.KIND_MALFORMED:
                return _with_correlation(
                    HttpResponse(fault.body, status=fault.status, content_type="application/json")
                )
            key = request.headers.get("Klarna-Idempotency-Key") if idempotent else None
            if key:
                response = _idempotent(request, merchant, key, view, args, kwargs)
            else:
                response = _run(view, request, merchant, args, kwargs)
            response = _with_correlation(response)
            delay = settings.KLARNA_EMULATOR_LATENCY_MS / 1000
            if fault and fault.kind == EmulatorFault.KIND_DELAY:
                delay += float(fault.delay_seconds)
            if delay > 0:
                if request.META.get(IN_PROCESS_META):
                    response[DELAY_HEADER] = str(delay)
                else:
                    time.sleep(delay)
            return response

        return wrapper

    return decorate


def _run(view, request, merchant, args, kwargs) -> HttpResponse:
    try:
        return view(request, merchant, *args, **kwargs)
    except KlarnaError as error:
        return error.response()


def _idempotent(request, merchant, key, view, args, kwargs) -> HttpResponse:
    """Same key within 24 h -> the first response again, and no second effect."""
    now = clock.now()
    EmulatorIdempotentResponse.objects.filter(
        merchant=merchant, key=key, created_at__lte=now - IDEMPOTENCY_WINDOW
    ).delete()
    try:
        with transaction.atomic():
            # The placeholder row makes a concurrent twin wait on the unique key, then replay.
            record = EmulatorIdempotentResponse.objects.create(
                merchant=merchant, key=key, created_at=now, status=0
            )
            response = _run(view, request, merchant, args, kwargs)
            if response.status_code >= 500:
                raise _DoNotRemember(response)
            record.status = response.status_code
            record.headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
            record.body = response.content.decode("utf-8")
            record.save()
            return response
    except _DoNotRemember as forget:
        return forget.response
    except IntegrityError:
        record = EmulatorIdempotentResponse.objects.get(merchant=merchant, key=key)
    replay = HttpResponse(record.body, status=record.status)
    if "Content-Type" not in record.headers:
        del replay["Content-Type"]
    for name, value in record.headers.items():
        replay[name] = value
    return replay


class _DoNotRemember(Exception):
    def __init__(self, response):
        super().__init__("server error: not remembered")
        self.response = response


def json_response(body, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False)
