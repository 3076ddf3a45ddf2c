"""gunicorn settings for ``gunicorn shop.wsgi`` (read from the working directory automatically).

Every value comes from the environment, like Django's settings (see .env.example):

- ``WEB_CONCURRENCY`` workers, default 2 x cores + 1, at most ``GUNICORN_MAX_WORKERS`` (8), each
  serving ``GUNICORN_THREADS`` requests at once (default 4) with gunicorn's ``gthread`` worker.
  Threads because a checkout waits on Klarna (3 calls of ~300 ms each in production): a sync
  worker sits idle through every one of them, a thread lets the worker serve others meanwhile.
  A process per core still does the CPU work (one GIL per process).
- Database connections: Django keeps one per thread, so one host opens up to
  workers x threads of them (2 cores: 5 x 4 = 20; the caps: 8 x 4 = 32), and PostgreSQL's
  ``max_connections`` (default 100, minus ``superuser_reserved_connections``) must hold
  workers x threads x hosts, plus one per worker for its email sender thread
  (``checkout.email_outbox``; held like a request thread's, per ``CONN_MAX_AGE``), plus cron
  (``klarna_reconcile``, ``send_outbox``), migrations and admin shells. With ``CONN_MAX_AGE`` > 0 a thread keeps its connection between requests and
  Django closes it only at the start or end of a request on that thread once it is older than
  ``CONN_MAX_AGE``: a thread that served a burst keeps its connection, idle, until it serves
  again or its worker exits (after ``max_requests``, or on a restart). Count the maximum, not
  the average; with ``CONN_MAX_AGE=0`` (a connection per request) the count is the number of
  requests in flight, still at most workers x threads per host. Behind PgBouncer
  (transaction pooling) the server-side count is the pool size instead.
- ``GUNICORN_BIND`` (default ``0.0.0.0:$PORT``, ``PORT`` default 8000).
- ``GUNICORN_TIMEOUT``: default long enough for the slowest request, placeOrder, whose Klarna
  calls may each take ``KLARNA_TIMEOUT`` (connect + read) on every retry attempt. A worker
  killed mid-payment leaves an "uncertain" placement for ``klarna_reconcile``, so the
  timeout must not cut a Klarna call short. It stays below ``CART_PLACING_TIMEOUT`` (120 s) so
  a cart is never released for a second placement while the first is still running. (A
  ``gthread`` worker's main loop keeps reporting alive while its threads wait, so this kills
  only a worker stuck as a whole; ``graceful_timeout`` defaults to it.)
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
# Requests a worker serves at once. With 2 x cores + 1 workers, 4 threads cover 16+ shoppers
# each waiting ~1 s on Klarna per checkout while the CPUs stay busy (python -m bench load
# --clients 16 --klarna-latency 0,300; README "Performance and reliability").
DEFAULT_THREADS = 4


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
worker_class = "gthread"
threads = max(1, int(os.environ.get("GUNICORN_THREADS") or DEFAULT_THREADS))
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
