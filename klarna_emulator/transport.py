"""In-process transport: a ``requests`` adapter that answers from the emulator's Django views.

The shop's Klarna client keeps speaking HTTP through a ``requests.Session``; in emulator mode
(``settings.KLARNA_ENVIRONMENT == "emulator"`` and no ``KLARNA_API_URL``) it calls::

    from klarna_emulator.transport import BASE_URL, mount
    mount(session, BASE_URL)        # BASE_URL = "http://klarna-emulator.invalid/klarna-emulator"

and then sends requests to ``f"{BASE_URL}/payments/v1/sessions"`` and so on. Requests under that
base URL never touch the network: the adapter builds a Django request, resolves it against
``klarna_emulator.urls`` and calls the view in the calling thread (so a one-worker server
never calls itself over HTTP). No request_started/finished signals are sent, so the caller's
database connection stays open; the emulator's writes join the caller's transaction, which is why
Klarna calls must not be made inside ``transaction.atomic`` (house rule anyway).

The ``.invalid`` host can never resolve, so a mis-mounted session fails loudly instead of reaching
a real host. Fault-injected delays are performed here: the adapter sleeps, and raises
``requests.exceptions.ReadTimeout`` when the delay exceeds the request's read timeout.
"""

import io
import time
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, set_script_prefix, set_urlconf
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .http import DELAY_HEADER, IN_PROCESS_META

BASE_URL = "http://klarna-emulator.invalid/klarna-emulator"
URLCONF = "klarna_emulator.standalone_urls"


class EmulatorAdapter(BaseAdapter):
    """Serves every request whose URL starts with ``base_url`` from the emulator, in-process."""

    def __init__(self, base_url: str = BASE_URL):
        super().__init__()
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host = parts.netloc
        self.prefix = parts.path.rstrip("/")

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        if not parts.path.startswith(self.prefix + "/") and parts.path != self.prefix:
            raise requests.exceptions.InvalidURL(f"{request.url} is not under {self.base_url}")
        path = parts.path[len(self.prefix) :] or "/"
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in ("content-type", "content-length")
        }
        factory = RequestFactory()
        django_request = factory.generic(
            request.method,
            path + (f"?{parts.query}" if parts.query else ""),
            data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            secure=parts.scheme == "https",
            headers=headers,
            HTTP_HOST=self.host,
        )
        django_request.META[IN_PROCESS_META] = True
        started = time.monotonic()
        django_response = self._call_view(django_request, path)
        response = self._to_requests(request, django_response, started)
        delay = django_response.get(DELAY_HEADER)
        if delay is not None:
            self._sleep(float(delay), timeout, request)
        return response

    def _call_view(self, django_request, path):
        old_prefix, old_urlconf = get_script_prefix(), get_urlconf()
        set_script_prefix(self.prefix + "/")
        set_urlconf(URLCONF)
        try:
            try:
                match = resolve(path, URLCONF)
            except Resolver404:
                from django.http import HttpResponseNotFound

                return HttpResponseNotFound(b"", content_type="text/plain")
            django_request.resolver_match = match
            django_request.path = self.prefix + path
            try:
                return match.func(django_request, *match.args, **match.kwargs)
            except Http404:
                from django.http import HttpResponseNotFound

                return HttpResponseNotFound(b"", content_type="text/plain")
        finally:
            set_urlconf(old_urlconf)
            set_script_prefix(old_prefix)

    @staticmethod
    def _sleep(delay: float, timeout, request):
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None and delay > read_timeout:
            time.sleep(read_timeout)
            raise requests.exceptions.ReadTimeout(
                f"Klarna emulator: read timed out (injected delay {delay}s > timeout {read_timeout}s)",
                request=request,
            )
        time.sleep(delay)

    def _to_requests(self, request, django_response, started) -> requests.Response:
        response = requests.Response()
        response.status_code = django_response.status_code
        try:
            response.reason = HTTPStatus(django_response.status_code).phrase
        except ValueError:
            response.reason = ""
        response.headers = CaseInsensitiveDict(
            {k: v for k, v in django_response.items() if k.lower() != DELAY_HEADER.lower()}
        )
        content = b"".join(django_response) if django_response.streaming else django_response.content
        response._content = content
        response.raw = io.BytesIO(content)
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response.url = request.url
        response.request = request
        response.connection = self
        response.elapsed = timedelta(seconds=time.monotonic() - started)
        return response

    def close(self):
        pass


def mount(session: requests.Session, base_url: str = BASE_URL) -> requests.Session:
    """Route every request under ``base_url`` through the in-process emulator; returns session."""
    session.mount(base_url.rstrip("/") + "/", EmulatorAdapter(base_url))
    return session
