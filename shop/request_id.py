"""One id per HTTP request, carried into every log line and every Klarna API call record.

The id comes from the proxy's ``X-Request-ID`` header when it is a sane token (so a request can
be followed from the load balancer to the app and to Klarna), otherwise a new uuid4 hex. It is
echoed on the response and kept in a context variable for the duration of the request, so code
far from the view (the Klarna client, log filters) can read it without passing it around.

Nothing here imports Django at module level: gunicorn's logging configuration uses the filter
before Django is set up.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
MAX_LENGTH = 128
# Letters, digits and the separators proxies use (uuid, trace ids, "abc.123_x:y"); no spaces,
# quotes or control characters that could forge log lines.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request being handled, or "" outside a request (management commands,
    the reconcile cron). At most 128 characters of ``[A-Za-z0-9._:-]``."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str:
    """The client's id when it is a sane token of at most 128 characters, else a fresh one."""
    if value and len(value) <= MAX_LENGTH and _SANE.fullmatch(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    """Sets the request id for the request (``request.request_id`` and the context variable)
    and answers it in ``X-Request-ID``. Put it first in MIDDLEWARE so every log line of the
    request carries it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept_request_id(request.META.get(META_KEY))
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request) so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs "Bad Request: ..." after the middleware returned; it passes
            # the request itself.
            request = getattr(record, "request", None)
            record.request_id = _request_id.get() or getattr(request, "request_id", None) or "-"
        return True
