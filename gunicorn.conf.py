"""gunicorn settings for ``gunicorn shop.wsgi`` (read from the working directory automatically).

Every value comes from the environment, like Django's settings (see .env.example):

- ``WEB_CONCURRENCY`` workers, default 2 x cores + 1, at most ``GUNICORN_MAX_WORKERS`` (8): each
  worker holds its own database connection, and PostgreSQL's ``max_connections`` is shared
  by every host behind the load balancer.
- ``GUNICORN_BIND`` (default ``0.0.0.0:$PORT``, ``PORT`` default 8000).
- ``GUNICORN_TIMEOUT``: default long enough for the slowest request, placeOrder, whose Klarna
  calls may each take ``KLARNA_TIMEOUT`` (connect + read) on every retry attempt. A worker
  killed mid-payment leaves an "uncertain" placement for ``klarna_reconcile``, so the
  timeout must not cut a Klarna call short. It stays below ``CART_PLACING_TIMEOUT`` (120 s) so
  a cart is never released for a second placement while the first is still running.
- Logs: ``LOG_FORMAT`` / ``LOG_LEVEL`` like Django's; the access log carries the request id
  (``X-Request-ID`` answered by ``shop.request_id.RequestIdMiddleware``) and never the query
  string.
"""

import math
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shop.logs import logging_config  # noqa: E402 - needs the project on sys.path

KLARNA_MAX_ATTEMPTS = 3  # payments_klarna.client.KlarnaConfig.max_attempts
KLARNA_BACKOFF_TOTAL = 4.0  # upper bound of the sleeps between those attempts


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _klarna_timeout() -> tuple[float, float]:
    """KLARNA_TIMEOUT parsed like shop/settings.py: "connect,read" or one number for both."""
    parts = [p for p in os.environ.get("KLARNA_TIMEOUT", "3,10").split(",") if p.strip()]
    if len(parts) == 1:
        parts = parts * 2
    return float(parts[0]), float(parts[1])


def _default_timeout() -> int:
    connect, read = _klarna_timeout()
    one_klarna_call = KLARNA_MAX_ATTEMPTS * (connect + read) + KLARNA_BACKOFF_TOTAL
    # Room for the database work and one more (unretried) Klarna write in the same request.
    return max(60, math.ceil(one_klarna_call + connect + read + 15))


def _default_workers() -> int:
    cap = int(os.environ.get("GUNICORN_MAX_WORKERS", "8"))
    return max(1, min(2 * multiprocessing.cpu_count() + 1, cap))


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or _default_timeout())
# On SIGTERM (deploy, scale-in) a worker finishes the request it is in, Klarna call included.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or timeout)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (slow leaks), spread out so they never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Trust X-Forwarded-* only from the proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = _env_bool("GUNICORN_PRELOAD", False)

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# Path without query string (tokens could travel there); request id from our response header.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
logconfig_dict = logging_config(
    os.environ.get("LOG_FORMAT") or ("text" if _env_bool("DEBUG", True) else "json"),
    os.environ.get("LOG_LEVEL", "INFO"),
    gunicorn=True,
)
