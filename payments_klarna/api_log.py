"""The Klarna API call log: redaction and the ``KlarnaApiCall`` row written for every exchange.

Redaction is by field name, recursively, so a new nested object (customer, addresses in any
position) is covered without listing paths. Redacted values keep only their type and length
hint ("[redacted]"), never a prefix of the secret.
"""

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger("payments_klarna.api")

REDACTED = "[redacted]"

# Credentials and bearer-like tokens.
SECRET_FIELDS = {
    "authorization_token",
    "client_token",
    "customer_token",
    "token_id",
    "password",
    "secret",
    "shared_secret",
    "authorization",
}
# Personal data of the shopper (GDPR): names, contacts, street address, postcode, birth date, ids.
PERSONAL_FIELDS = {
    "given_name",
    "family_name",
    "title",
    "email",
    "phone",
    "street_address",
    "street_address2",
    "postal_code",
    "attention",
    "care_of",
    "date_of_birth",
    "national_identification_number",
    "last_four_ssn",
    "organization_registration_id",
    "vat_id",
}
REDACTED_FIELDS = frozenset(SECRET_FIELDS | PERSONAL_FIELDS)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_AUTHORIZATION_PATH = re.compile(r"(/authorizations/)[^/]+")


def redact(value):
    """A copy of ``value`` (JSON-like) with every sensitive field's value replaced."""
    if isinstance(value, dict):
        return {key: REDACTED if _sensitive(key, item) else redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return _EMAIL.sub(REDACTED, value)
    return value


def _sensitive(key, item) -> bool:
    return isinstance(key, str) and key.lower() in REDACTED_FIELDS and item not in (None, "")


def redact_path(path: str) -> str:
    """Authorization tokens travel in the URL path; keep them out of logs and rows."""
    return _AUTHORIZATION_PATH.sub(r"\1" + REDACTED, path)


def redact_text(text: str, limit: int = 2000) -> str:
    return _EMAIL.sub(REDACTED, text[:limit])


@dataclass
class ApiCallRecord:
    method: str
    path: str  # already redacted
    status: int | None
    duration_ms: int
    attempt: int
    request_id: str
    correlation_id: str = ""
    idempotency_key: str = ""
    request_body: object = None  # already redacted
    response_body: object = None  # already redacted
    error_code: str = ""
    klarna_session_id: str = ""
    klarna_order_id: str = ""


def record_call(record: ApiCallRecord) -> None:
    """Write the call to the log table and the application log. Never raises: losing a log
    row must not turn a successful payment call into a failure."""
    logger.info(
        "Klarna %s %s -> %s %s in %d ms (attempt %d, correlation_id=%s)",
        record.method,
        record.path,
        record.status if record.status is not None else "no response",
        record.error_code,
        record.duration_ms,
        record.attempt,
        record.correlation_id or "-",
    )
    from shop.request_id import current_request_id

    from .models import KlarnaApiCall

    try:
        KlarnaApiCall.objects.create(
            method=record.method,
            path=record.path[:512],
            status=record.status,
            duration_ms=record.duration_ms,
            attempt=record.attempt,
            request_id=record.request_id,
            http_request_id=current_request_id(),
            correlation_id=record.correlation_id[:255],
            idempotency_key=record.idempotency_key,
            request_body=record.request_body,
            response_body=record.response_body,
            error_code=record.error_code[:64],
            klarna_session_id=record.klarna_session_id[:255],
            klarna_order_id=record.klarna_order_id[:255],
        )
    except Exception:  # noqa: BLE001 - the log is best effort by design
        logger.warning("Could not record Klarna API call %s %s", record.method, record.path, exc_info=True)
