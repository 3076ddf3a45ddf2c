"""HTTP client for Klarna's Payments API v1 and Order Management API v1. HTTP only.

- Base URL: ``KLARNA_API_URL`` when set, else from ``KLARNA_ENVIRONMENT`` and ``KLARNA_REGION``
  (reference §1.1); the ``emulator`` environment routes to the in-process emulator.
- HTTP Basic auth, JSON, explicit (connect, read) timeouts, a descriptive User-Agent.
- Typed results (dataclasses below); every failure is a ``KlarnaError`` with Klarna's
  ``error_code``/``error_messages``/``correlation_id``, or a transport code (``TIMEOUT``,
  ``CONNECTION_ERROR``) and ``uncertain`` when Klarna may have acted on a write.
- Retries only where repeating is harmless: GET, and Order Management writes carrying a
  stored ``Klarna-Idempotency-Key``; exponential backoff with full jitter on 429, 5xx and
  connection failures.
- Every attempt is recorded (``payments_klarna.api_log``), redacted; credentials never logged.
- One ``requests.Session`` per process and configuration, shared by the threads of a gthread
  worker: it is built once under a lock, then only read (auth, headers, proxies, adapters);
  urllib3's pool hands each thread its own connection, and keeps up to ``POOL_SIZE`` of them.

It knows nothing of carts or orders: ``payments_klarna.services`` speaks the shop's language.
"""

import dataclasses
import functools
import os
import platform
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from requests.adapters import HTTPAdapter

from . import api_log

EMULATOR_BASE_URL = "http://klarna-emulator.invalid/klarna-emulator"
BASE_URLS = {
    ("production", "eu"): "https://api.klarna.com",
    ("production", "na"): "https://api-na.klarna.com",
    ("production", "oc"): "https://api-oc.klarna.com",
    ("playground", "eu"): "https://api.playground.klarna.com",
    ("playground", "na"): "https://api-na.playground.klarna.com",
    ("playground", "oc"): "https://api-oc.playground.klarna.com",
}
UNDEFINED = "UNDEFINED"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = f"KlarnaShop/0.1 Python/{platform.python_version()} requests/{requests.__version__}"


def base_url_for(environment: str, region: str, api_url: str = "") -> str:
    if api_url:
        return api_url.rstrip("/")
    if environment == "emulator":
        return EMULATOR_BASE_URL
    try:
        return BASE_URLS[(environment, region)]
    except KeyError:
        # KLARNA_ENVIRONMENT "disabled": KLARNA_ENABLED=false and no Klarna account configured.
        raise ImproperlyConfigured(
            f"No Klarna API for KLARNA_ENVIRONMENT={environment!r}: set KLARNA_ENVIRONMENT and the "
            "KLARNA_API_* credentials to manage Klarna orders."
        ) from None


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentMethodCategory:
    identifier: str
    name: str
    asset_url_descriptive: str | None = None
    asset_url_standard: str | None = None

    @classmethod
    def from_json(cls, data: dict) -> "PaymentMethodCategory":
        assets = data.get("asset_urls") or {}
        if isinstance(assets, list):  # tolerate a list holding one object
            assets = assets[0] if assets else {}
        return cls(
            identifier=str(data.get("identifier") or ""),
            name=str(data.get("name") or data.get("identifier") or ""),
            asset_url_descriptive=assets.get("descriptive"),
            asset_url_standard=assets.get("standard"),
        )

    def to_json(self) -> dict:
        return {
            "identifier": self.identifier,
            "name": self.name,
            "asset_urls": {"descriptive": self.asset_url_descriptive, "standard": self.asset_url_standard},
        }


def _categories(data: dict) -> list[PaymentMethodCategory]:
    return [
        PaymentMethodCategory.from_json(item)
        for item in data.get("payment_method_categories") or []
        if isinstance(item, dict) and item.get("identifier")
    ]


@dataclass(frozen=True)
class SessionCreated:
    session_id: str
    client_token: str
    payment_method_categories: list[PaymentMethodCategory]


@dataclass(frozen=True)
class SessionRead:
    session_id: str
    status: str  # "complete" | "incomplete"
    client_token: str
    expires_at: str | None
    authorization_token: str | None
    payment_method_categories: list[PaymentMethodCategory]
    purchase_country: str | None = None
    purchase_currency: str | None = None
    locale: str | None = None
    order_amount: int | None = None


@dataclass(frozen=True)
class AuthorizedPaymentMethod:
    type: str
    number_of_days: int | None = None  # pay later: days after shipping until payment is due
    number_of_installments: int | None = None  # instalment plans

    @classmethod
    def parse(cls, value) -> "AuthorizedPaymentMethod | None":
        # The spec says object; docs examples show a bare string (reference §2.7).
        if isinstance(value, str):
            return cls(type=value)
        if isinstance(value, dict) and value.get("type"):
            return cls(
                type=str(value["type"]),
                number_of_days=_positive_int(value.get("number_of_days")),
                number_of_installments=_positive_int(value.get("number_of_installments")),
            )
        return None


def _positive_int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@dataclass(frozen=True)
class KlarnaOrder:
    """Answer of create order (Payments API)."""

    order_id: str
    fraud_status: str  # ACCEPTED | PENDING | REJECTED
    redirect_url: str | None
    authorized_payment_method: AuthorizedPaymentMethod | None


@dataclass(frozen=True)
class OrderManagementOrder:
    """Answer of GET /ordermanagement/v1/orders/{id} (the fields the shop acts on)."""

    order_id: str
    status: str
    fraud_status: str
    order_amount: int | None
    captured_amount: int | None
    refunded_amount: int | None
    remaining_authorized_amount: int | None
    klarna_reference: str | None
    expires_at: str | None
    raw: dict = field(repr=False, default_factory=dict)


# --- errors ----------------------------------------------------------------------------------------


class KlarnaError(Exception):
    """A failed Klarna call. ``status`` is None when no HTTP answer arrived (then
    ``error_code`` is ``TIMEOUT``/``CONNECTION_ERROR``). ``uncertain`` means Klarna may have
    carried out the write anyway (read timeout, dropped connection or 5xx on a write)."""

    def __init__(
        self,
        status: int | None,
        error_code: str = UNDEFINED,
        error_messages: list[str] | None = None,
        correlation_id: str = UNDEFINED,
        *,
        uncertain: bool = False,
        method: str = "",
        path: str = "",
    ):
        self.status = status
        self.error_code = error_code or UNDEFINED
        self.error_messages = list(error_messages or [UNDEFINED])
        self.correlation_id = correlation_id or UNDEFINED
        self.uncertain = uncertain
        self.method = method
        self.path = path  # redacted
        super().__init__(str(self))

    def __str__(self):
        return (
            f"Klarna {self.method} {self.path} failed: {self.status or 'no response'} {self.error_code} "
            f"{'; '.join(self.error_messages)} (correlation_id={self.correlation_id})"
        )

    @classmethod
    def from_response(cls, response: requests.Response, *, method: str, path: str) -> "KlarnaError":
        """Lenient reading of Klarna's error body (reference §3.1): ``error_messages`` or a
        singular ``error_message``; any missing part is UNDEFINED; non-JSON bodies allowed."""
        body = _json_or_none(response)
        correlation = response.headers.get("Klarna-Correlation-Id") or ""
        code, messages = UNDEFINED, [UNDEFINED]
        if isinstance(body, dict):
            code = str(body.get("error_code") or UNDEFINED)
            raw_messages = body.get("error_messages")
            if raw_messages is None and body.get("error_message"):
                raw_messages = [body["error_message"]]
            if isinstance(raw_messages, str):
                raw_messages = [raw_messages]
            if raw_messages:
                messages = [str(m) for m in raw_messages]
            correlation = str(body.get("correlation_id") or correlation)
        elif response.reason:
            messages = [f"HTTP {response.status_code} {response.reason}"]
        return cls(
            response.status_code,
            code,
            messages,
            correlation,
            uncertain=response.status_code >= 500 and method != "GET",
            method=method,
            path=path,
        )


class KlarnaResponseError(KlarnaError):
    """A 2xx answer whose body is not what the API promises (e.g. HTML, missing order_id)."""


def _json_or_none(response: requests.Response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


# --- configuration and client ----------------------------------------------------------------------


@dataclass(frozen=True)
class KlarnaConfig:
    environment: str
    region: str
    api_url: str
    username: str = field(repr=False)
    password: str = field(repr=False)
    timeout: tuple[float, float]
    max_attempts: int = 3
    backoff_base: float = 0.25
    backoff_cap: float = 4.0

    @property
    def base_url(self) -> str:
        return base_url_for(self.environment, self.region, self.api_url)

    @property
    def uses_in_process_emulator(self) -> bool:
        return self.environment == "emulator" and not self.api_url

    @classmethod
    def from_settings(cls) -> "KlarnaConfig":
        return cls(
            environment=settings.KLARNA_ENVIRONMENT,
            region=settings.KLARNA_REGION,
            api_url=settings.KLARNA_API_URL,
            username=settings.KLARNA_API_USERNAME,
            password=settings.KLARNA_API_PASSWORD,
            timeout=tuple(settings.KLARNA_TIMEOUT),
        )


# Keep-alive connections to Klarna kept per process: at least the threads of a worker
# (GUNICORN_THREADS, default 4) so each keeps its connection warm; beyond it urllib3 opens a
# connection for the call and closes it afterwards (a TLS handshake more, and a warning).
POOL_SIZE = 16


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


class KlarnaClient:
    def __init__(self, config: KlarnaConfig, *, sleep=None, recorder=None):
        self.config = config
        self._sleep = sleep or (lambda seconds: _sleep(seconds))
        self._recorder = recorder or api_log.record_call
        self._session: requests.Session | None = None
        self._session_lock = threading.Lock()

    def __repr__(self):
        return f"<KlarnaClient {self.config.base_url}>"

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    self._session = self._build_session()
        return self._session

    def _build_session(self) -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_maxsize=POOL_SIZE)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.auth = (self.config.username, self.config.password)
        session.headers.update(
            {"User-Agent": USER_AGENT, "Accept": "application/json", "Content-Type": "application/json"}
        )
        # requests reads proxy variables, ~/.netrc and CA-bundle variables from the environment
        # again on every call; read them once here (a measurable share of a call's CPU).
        session.trust_env = False
        session.proxies.update(requests.utils.get_environ_proxies(self.config.base_url))
        ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if ca_bundle:
            session.verify = ca_bundle
        if self.config.uses_in_process_emulator:
            _mount_emulator(session, self.config.base_url)
        return session

    # --- Payments API ------------------------------------------------------------------------------

    def create_session(self, payload: dict) -> SessionCreated:
        data = self._request("POST", "/payments/v1/sessions", json=payload)
        if not isinstance(data, dict) or not data.get("session_id") or not data.get("client_token"):
            raise self._bad_answer("POST", "/payments/v1/sessions")
        return SessionCreated(
            session_id=str(data["session_id"]),
            client_token=str(data["client_token"]),
            payment_method_categories=_categories(data),
        )

    def update_session(self, session_id: str, payload: dict) -> None:
        """POST (not PATCH) with the same payload shape as create; 204 on success."""
        self._request(
            "POST", f"/payments/v1/sessions/{session_id}", json=payload, klarna_session_id=session_id
        )

    def read_session(self, session_id: str, *, retry: bool = True) -> SessionRead:
        """GET the session. ``retry=False`` for callers that must answer fast (the cart query)."""
        path = f"/payments/v1/sessions/{session_id}"
        data = self._request("GET", path, klarna_session_id=session_id, retry=retry)
        if not isinstance(data, dict):
            raise self._bad_answer("GET", path)
        amount = data.get("order_amount")
        return SessionRead(
            session_id=session_id,
            status=str(data.get("status") or "incomplete"),
            client_token=str(data.get("client_token") or ""),
            expires_at=data.get("expires_at"),
            authorization_token=data.get("authorization_token"),
            payment_method_categories=_categories(data),
            purchase_country=data.get("purchase_country"),
            purchase_currency=data.get("purchase_currency"),
            locale=data.get("locale"),
            order_amount=amount if isinstance(amount, int) else None,
        )

    def create_order(self, authorization_token: str, payload: dict) -> KlarnaOrder:
        """Never retried: Klarna keys create order on the token and replays its first answer."""
        path = f"/payments/v1/authorizations/{authorization_token}/order"
        data = self._request("POST", path, json=payload)
        if not isinstance(data, dict) or not data.get("order_id"):
            raise self._bad_answer("POST", path, uncertain=True)
        return KlarnaOrder(
            order_id=str(data["order_id"]),
            fraud_status=str(data.get("fraud_status") or "ACCEPTED").upper(),
            redirect_url=data.get("redirect_url"),
            authorized_payment_method=AuthorizedPaymentMethod.parse(data.get("authorized_payment_method")),
        )

    def cancel_authorization(self, authorization_token: str) -> None:
        self._request("DELETE", f"/payments/v1/authorizations/{authorization_token}")

    # --- Order Management API ----------------------------------------------------------------------

    def read_order(self, order_id: str) -> OrderManagementOrder:
        path = f"/ordermanagement/v1/orders/{order_id}"
        data = self._request("GET", path, klarna_order_id=order_id)
        if not isinstance(data, dict) or not data.get("order_id"):
            raise self._bad_answer("GET", path)
        return OrderManagementOrder(
            order_id=str(data["order_id"]),
            status=str(data.get("status") or ""),
            fraud_status=str(data.get("fraud_status") or ""),
            order_amount=data.get("order_amount"),
            captured_amount=data.get("captured_amount"),
            refunded_amount=data.get("refunded_amount"),
            remaining_authorized_amount=data.get("remaining_authorized_amount"),
            klarna_reference=data.get("klarna_reference"),
            expires_at=data.get("expires_at"),
            raw=api_log.redact(data),
        )

    def cancel_order(self, order_id: str, idempotency_key: str) -> None:
        """POST …/cancel with a stored idempotency key, so it is retried safely."""
        self._request(
            "POST",
            f"/ordermanagement/v1/orders/{order_id}/cancel",
            idempotency_key=idempotency_key,
            klarna_order_id=order_id,
        )

    # Staff operations (Order Management). Every write carries the operation's stored
    # Klarna-Idempotency-Key, so the client's retries and a staff retry are carried out once.

    def capture_order(self, order_id: str, body: dict, idempotency_key: str) -> str:
        """POST …/captures (201, empty body); returns Klarna's capture id (``Capture-Id``
        header, else the last part of ``Location``; "" when Klarna sent neither)."""
        path = f"/ordermanagement/v1/orders/{order_id}/captures"
        _, headers = self._request(
            "POST",
            path,
            json=body,
            idempotency_key=idempotency_key,
            klarna_order_id=order_id,
            with_headers=True,
        )
        return _created_id(headers, "Capture-Id")

    def refund_order(self, order_id: str, body: dict, idempotency_key: str) -> str:
        """POST …/refunds (201, empty body); returns Klarna's refund id (``Refund-Id``/``Location``)."""
        path = f"/ordermanagement/v1/orders/{order_id}/refunds"
        _, headers = self._request(
            "POST",
            path,
            json=body,
            idempotency_key=idempotency_key,
            klarna_order_id=order_id,
            with_headers=True,
        )
        return _created_id(headers, "Refund-Id")

    def release_remaining_authorization(self, order_id: str, idempotency_key: str) -> None:
        self._request(
            "POST",
            f"/ordermanagement/v1/orders/{order_id}/release-remaining-authorization",
            idempotency_key=idempotency_key,
            klarna_order_id=order_id,
        )

    def extend_authorization_time(self, order_id: str, idempotency_key: str) -> None:
        self._request(
            "POST",
            f"/ordermanagement/v1/orders/{order_id}/extend-authorization-time",
            idempotency_key=idempotency_key,
            klarna_order_id=order_id,
        )

    # --- transport ---------------------------------------------------------------------------------

    def _bad_answer(self, method: str, path: str, *, uncertain: bool = False) -> KlarnaResponseError:
        return KlarnaResponseError(
            None,
            "MALFORMED_RESPONSE",
            ["Klarna's answer did not have the expected shape"],
            uncertain=uncertain,
            method=method,
            path=api_log.redact_path(path),
        )

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        idempotency_key: str = "",
        klarna_session_id: str = "",
        klarna_order_id: str = "",
        retry: bool = True,
        with_headers: bool = False,
    ):
        """Send one call (with retries where safe); the decoded JSON body, or None when empty
        (with ``with_headers``: the pair (body, response headers))."""
        retry_safe = retry and (
            method == "GET" or bool(idempotency_key and path.startswith("/ordermanagement/"))
        )
        attempts = self.config.max_attempts if retry_safe else 1
        headers = {"Klarna-Idempotency-Key": idempotency_key} if idempotency_key else {}
        safe_path = api_log.redact_path(path)
        request_id = str(uuid.uuid4())
        request_body = api_log.redact(json) if json is not None else None
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            response = error = None
            try:
                response = self.session.request(
                    method,
                    self.config.base_url + path,
                    json=json,
                    headers=headers,
                    timeout=self.config.timeout,
                )
            except requests.RequestException as exc:
                error = _transport_error(exc, method=method, path=safe_path)
            duration_ms = int((time.monotonic() - started) * 1000)
            if response is not None and not response.ok:
                error = KlarnaError.from_response(response, method=method, path=safe_path)
            body = _json_or_none(response) if response is not None else None
            if isinstance(body, dict):
                klarna_session_id = klarna_session_id or str(body.get("session_id") or "")
                klarna_order_id = klarna_order_id or str(body.get("order_id") or "")
            self._record(
                api_log.ApiCallRecord(
                    method=method,
                    path=safe_path,
                    status=response.status_code if response is not None else None,
                    duration_ms=duration_ms,
                    attempt=attempt,
                    request_id=request_id,
                    correlation_id=(
                        error.correlation_id
                        if error and error.correlation_id != UNDEFINED
                        else (
                            response.headers.get("Klarna-Correlation-Id", "") if response is not None else ""
                        )
                    ),
                    idempotency_key=idempotency_key,
                    request_body=request_body,
                    response_body=_recorded_body(response, body),
                    error_code=error.error_code if error else "",
                    klarna_session_id=klarna_session_id,
                    klarna_order_id=klarna_order_id,
                )
            )
            if error is None:
                if response.content and body is None:
                    raise self._bad_answer(method, path, uncertain=method != "GET")
                return (body, response.headers) if with_headers else body
            if attempt < attempts and _retryable(error):
                self._sleep(self._backoff(attempt, response))
                continue
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, response: requests.Response | None) -> float:
        """Full jitter: uniform(0, base·2^(n-1)), capped; a 429's Retry-After is a floor."""
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        delay = random.uniform(0, ceiling)
        if response is not None and response.status_code == 429:
            try:
                delay = max(
                    delay, min(self.config.backoff_cap, float(response.headers.get("Retry-After", 0)))
                )
            except ValueError:
                pass
        return delay

    def _record(self, record: api_log.ApiCallRecord) -> None:
        self._recorder(record)


def _created_id(headers, name: str) -> str:
    found = headers.get(name) or ""
    if not found:
        found = (headers.get("Location") or "").rstrip("/").rsplit("/", 1)[-1]
    return found


def _retryable(error: KlarnaError) -> bool:
    return error.status is None or error.status in RETRY_STATUSES


def _recorded_body(response: requests.Response | None, body):
    if response is None or not response.content:
        return None
    if body is None:
        return {"non_json_body": api_log.redact_text(response.text, 500)}
    return api_log.redact(body)


_NOT_SENT_MARKERS = ("NewConnectionError", "NameResolutionError", "Failed to establish")


def _transport_error(exc: requests.RequestException, *, method: str, path: str) -> KlarnaError:
    """Timeouts and connection failures. Only a failure after the request may have reached
    Klarna makes a write ``uncertain``: a read timeout or a dropped connection."""
    write = method != "GET"
    if isinstance(exc, requests.ConnectTimeout):
        return KlarnaError(None, "TIMEOUT", ["Connecting to Klarna timed out"], method=method, path=path)
    if isinstance(exc, requests.ReadTimeout):
        return KlarnaError(
            None, "TIMEOUT", ["Klarna did not answer in time"], uncertain=write, method=method, path=path
        )
    if isinstance(exc, requests.ConnectionError):
        not_sent = any(marker in str(exc) for marker in _NOT_SENT_MARKERS)
        return KlarnaError(
            None,
            "CONNECTION_ERROR",
            ["Could not connect to Klarna" if not_sent else "The connection to Klarna failed"],
            uncertain=write and not not_sent,
            method=method,
            path=path,
        )
    return KlarnaError(
        None, "TRANSPORT_ERROR", [type(exc).__name__], uncertain=write, method=method, path=path
    )


def _mount_emulator(session: requests.Session, base_url: str) -> None:
    """Route the emulator's base URL to the in-process emulator, named by a setting that exists
    only in emulator mode (``KLARNA_IN_PROCESS_TRANSPORT``), so this app never imports it."""
    if not settings.KLARNA_IN_PROCESS_TRANSPORT:
        raise ImproperlyConfigured("The in-process Klarna emulator is installed only in emulator mode.")
    import_string(settings.KLARNA_IN_PROCESS_TRANSPORT)(session, base_url)


@functools.lru_cache(maxsize=8)
def _client_for(config: KlarnaConfig) -> KlarnaClient:
    return KlarnaClient(config)


def get_client(account_name: str = "") -> KlarnaClient:
    """The process's client for the current settings and the Klarna account ``account_name``
    (a store's; empty: the default account), a new one when either changes."""
    config = KlarnaConfig.from_settings()
    if account_name:
        from .accounts import account

        found = account(account_name)
        config = dataclasses.replace(
            config, username=found.username, password=found.password, region=found.region
        )
    return _client_for(config)
