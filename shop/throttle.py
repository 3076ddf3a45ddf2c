"""Counting attempts across every app server: "at most N tries per key per window".

The counter lives in the shared cache (the database cache by default, Redis when CACHE_URL /
REDIS_URL is set), never in process memory, so a client spreading its attempts over several
app servers behind the load balancer is counted once. Each window is its own cache key
(fixed windows): ``cache.add`` creates the counter at 0 if it is new (atomic: one creator
wins), ``cache.incr`` adds the hit atomically (Redis ``INCR``; ``shop.cache.backends``
makes the database cache's ``incr`` atomic too).

Usage (customer sign-in, for example)::

    from shop import throttle

    result = throttle.hit("sign-in", email.lower(), limit=5, window=300)
    if not result.allowed:
        raise DomainError("too_many_attempts", retry_after=result.retry_after)
    ...
    throttle.reset("sign-in", email.lower(), window=300)  # after a successful sign-in

Keys are hashed before they reach the cache, so an email or IP address never appears in a
cache key (or in Redis's monitoring).
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import caches

CACHE_ALIAS = "default"


@dataclass(frozen=True)
class ThrottleResult:
    allowed: bool
    count: int  # hits in the current window, this one included
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def _cache_key(scope: str, key: str, window: int, index: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{window}:{digest}:{index}"


def _window(window: int, now: float | None) -> tuple[int, int]:
    now = time.time() if now is None else now
    index = int(now // window)
    return index, max(1, int((index + 1) * window - now))


def hit(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> ThrottleResult:
    """Count one attempt for ``key`` in ``scope`` and say whether it is within ``limit`` per
    ``window`` seconds. Shared by every process using the same cache; safe under concurrent
    calls (no hit is lost). Never raises for a missing counter."""
    if limit < 1 or window < 1:
        raise ValueError("limit and window must be positive")
    cache = caches[CACHE_ALIAS]
    index, remaining = _window(window, now)
    cache_key = _cache_key(scope, key, window, index)
    for _ in range(3):
        # Outlive the window a little, so the counter cannot expire between add and incr.
        cache.add(cache_key, 0, timeout=window + 60)
        try:
            count = cache.incr(cache_key)
            break
        except ValueError:  # evicted between add and incr (cache culling): start again
            continue
    else:
        raise RuntimeError(f"could not count throttle hit for scope {scope!r}")
    allowed = count <= limit
    return ThrottleResult(allowed=allowed, count=count, limit=limit, retry_after=0 if allowed else remaining)


def count(scope: str, key: str, *, window: int, now: float | None = None) -> int:
    """Hits recorded for ``key`` in the current window (0 when none), without adding one."""
    index, _ = _window(window, now)
    return caches[CACHE_ALIAS].get(_cache_key(scope, key, window, index), 0)


def reset(scope: str, key: str, *, window: int, now: float | None = None) -> None:
    """Forget the current window's hits for ``key`` (e.g. after a successful sign-in)."""
    index, _ = _window(window, now)
    caches[CACHE_ALIAS].delete(_cache_key(scope, key, window, index))
