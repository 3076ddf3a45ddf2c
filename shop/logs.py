"""Log output: text for a developer's terminal, JSON lines for a log collector.

``logging_config(format, level)`` is the one logging configuration, used by Django's
``LOGGING`` setting and by ``gunicorn.conf.py`` (so gunicorn's access and error logs come out
in the same format, with the same request id). Like ``shop.request_id`` it imports nothing from
Django, because gunicorn configures logging before Django is set up.

What never reaches a log: request bodies, GraphQL variables, headers, tokens. Callback URLs
carry a per-payment secret in their path; ``RedactSecretsFilter`` masks it in every record.
"""

import json
import logging
import re
from datetime import UTC, datetime

# /klarna/notification/<secret>/ and /klarna/authorization/<secret>/ (CONTRACT §3).
_CALLBACK_SECRET = re.compile(r"(/klarna/(?:notification|authorization)/)[^/\s?\"']+")
REDACTED = "[redacted]"

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is emitted.
_RECORD_ATTRIBUTES = frozenset(
    set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)))
    | {"message", "asctime", "request_id"}
)
# Extras that are objects, not data (Django passes the request to django.request records).
_NOT_EMITTED = frozenset({"request", "server_time"})
# gunicorn's access log passes its atoms as a dict; these are the ones worth a JSON field.
_ACCESS_FIELDS = {
    "m": "method",
    "U": "path",
    "s": "status",
    "M": "duration_ms",
    "B": "response_bytes",
    "h": "remote_addr",
    "a": "user_agent",
}


def redact_secrets(text: str) -> str:
    return _CALLBACK_SECRET.sub(r"\1" + REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """Masks callback secrets in the message and its arguments before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_secrets(record.msg)
        if isinstance(record.args, dict):
            # In place: gunicorn passes a dict subclass that answers "-" for missing atoms.
            for key, value in list(record.args.items()):
                if isinstance(value, str) and _CALLBACK_SECRET.search(value):
                    record.args[key] = redact_secrets(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact_secrets(a) if isinstance(a, str) else a for a in record.args)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, plus ``extra`` fields
    and, for gunicorn's access log, method/path/status/duration as separate fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or "-",
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, name in _ACCESS_FIELDS.items():
                if atom in record.args:
                    entry[name] = record.args[atom]
            entry["request_id"] = record.args.get("{x-request-id}o") or entry["request_id"]
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _NOT_EMITTED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(log_format: str = "text", level: str = "INFO", *, gunicorn: bool = False) -> dict:
    """A ``logging.config.dictConfig`` dict: everything to stderr, in ``log_format``
    ("text" or "json"), at ``level``. With ``gunicorn`` the server's own loggers are included
    (access log to stdout)."""
    log_format = log_format.lower()
    if log_format not in {"text", "json"}:
        raise ValueError(f"LOG_FORMAT must be text or json, not {log_format!r}")
    level = level.upper()
    formatter = {"()": "shop.logs.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    filters = ["request_id", "redact_secrets"]
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "shop.request_id.RequestIdFilter"},
            "redact_secrets": {"()": "shop.logs.RedactSecretsFilter"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": filters,
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default "django" handlers print a second copy in DEBUG; use ours only.
            "django": {"level": level},
            # SQL at DEBUG would print query parameters (personal data): never.
            "django.db.backends": {"level": "INFO"},
            # "/.env not found" at every start is expected in production (real environment).
            "environ.environ": {"level": "WARNING"},
        },
    }
    if gunicorn:
        access_formatter = formatter if log_format == "json" else {"format": "%(message)s"}
        config["formatters"]["access"] = access_formatter
        config["handlers"]["access"] = {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": filters,
            "stream": "ext://sys.stdout",
        }
        config["loggers"].update(
            {
                "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
                "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            }
        )
    return config
