"""shop.throttle: fixed-window counters in the shared cache, exact under concurrency."""

import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, connections

from shop import throttle

NOW = 1_699_999_800.0  # a window boundary for window=100 and window=300


@pytest.fixture
def scope(request):
    # The database cache table outlives transactional tests; a scope per test keeps them apart.
    return f"test-{request.node.name}-{time.monotonic_ns()}"


@pytest.mark.django_db
def test_hits_within_the_limit_are_allowed_then_refused_with_retry_after(scope):
    results = [throttle.hit(scope, "erika@example.com", limit=3, window=300, now=NOW + 10) for _ in range(4)]

    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.count for r in results] == [1, 2, 3, 4]
    assert results[-1].retry_after == 290
    assert throttle.count(scope, "erika@example.com", window=300, now=NOW + 10) == 4


@pytest.mark.django_db
def test_a_new_window_starts_from_zero(scope):
    for _ in range(3):
        throttle.hit(scope, "k", limit=2, window=100, now=NOW + 99)

    assert throttle.hit(scope, "k", limit=2, window=100, now=NOW + 100).count == 1


@pytest.mark.django_db
def test_keys_and_scopes_are_counted_apart_and_reset_forgets(scope):
    throttle.hit(scope, "a", limit=1, window=300, now=NOW)
    throttle.hit(scope, "a", limit=1, window=300, now=NOW)

    assert throttle.hit(scope, "b", limit=1, window=300, now=NOW).allowed
    assert throttle.hit(scope + "-other", "a", limit=1, window=300, now=NOW).allowed
    throttle.reset(scope, "a", window=300, now=NOW)
    assert throttle.hit(scope, "a", limit=1, window=300, now=NOW).allowed


def test_keys_never_appear_in_the_cache_key():
    key = throttle._cache_key("sign-in", "erika@example.com", 300, 1)

    assert "erika" not in key
    assert key.startswith("throttle:sign-in:300:")


@pytest.mark.django_db
def test_database_cache_incr_of_a_missing_or_expired_key_raises_value_error():
    cache = caches["default"]
    with pytest.raises(ValueError):
        cache.incr("deploy-test-missing-key")
    cache.set("deploy-test-expired", 1, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("deploy-test-expired")


def _hammer(n_threads: int, hits_each: int, scope: str) -> list[int]:
    barrier = threading.Barrier(n_threads)
    counts: list[int] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            for _ in range(hits_each):
                result = throttle.hit(scope, "same-key", limit=1000, window=3600)
                with lock:
                    counts.append(result.count)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_the_database_cache_lose_nothing(scope):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent writers (run with DATABASE_URL=postgres://...)")

    counts = _hammer(8, 10, scope)

    # Every hit got its own number: no two processes read the same old value.
    assert sorted(counts) == list(range(1, 81))
    assert throttle.count(scope, "same-key", window=3600) == 80


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_cache(settings):
    """A throwaway redis-server as the default cache (skipped when redis is not installed)."""
    pytest.importorskip("redis", reason="pip install '.[redis]' to test the Redis cache")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        assert isinstance(caches["default"], RedisCache)
        yield caches["default"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_concurrent_hits_on_redis_lose_nothing(redis_cache, scope):
    counts = _hammer(8, 10, scope)

    assert sorted(counts) == list(range(1, 81))
