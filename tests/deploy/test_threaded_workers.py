"""gunicorn.conf.py's gthread workers: requests waiting on Klarna do not hold the whole worker.

One worker with 4 threads (``WEB_CONCURRENCY=1``, ``GUNICORN_THREADS=4``) on the test's
PostgreSQL database, paying through the in-process emulator with every Klarna answer
``LATENCY`` late. Four shoppers open their Klarna session at the same moment (one Klarna call
each): threads answer all four in about one latency; a sync worker would answer them one after
the other (four latencies at least).
"""

import json
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command

from bench import flow
from tests.deploy.conftest import ROOT, STRONG_SECRET_KEY, clean_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LATENCY = 1.5  # seconds per Klarna answer
SHOPPERS = 4


def _post(url: str, query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        url + "/graphql",
        json.dumps({"query": query, "variables": variables}).encode(),
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    assert not answer.get("errors"), answer
    return answer["data"]


def _ready_cart(url: str, sku: str) -> str:
    cart = _post(url, flow.CREATE_CART, {})["createGuestCart"]["cart"]["id"]
    _post(url, flow.ADD_PRODUCTS, {"cart": cart, "items": [{"sku": sku, "quantity": 1}]})
    _post(url, flow.EMAIL_AND_SHIPPING, {"cart": cart, "email": flow.EMAIL, "address": flow.ADDRESS})
    _post(url, flow.BILLING, {"cart": cart})
    _post(url, flow.SHIPPING_METHOD, {"cart": cart})
    return cart


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url}/healthz")


def test_a_threaded_worker_serves_shoppers_while_others_wait_on_klarna():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        reason = "gunicorn's worker and this test share the database: needs PostgreSQL"
        print(reason)
        pytest.skip(reason)
    call_command("seed_demo", verbosity=0)
    database_url = (
        f"postgres://{db.get('USER') or 'postgres'}"
        + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        + f"@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = clean_env(
        DEBUG="false",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        KLARNA_ENVIRONMENT="emulator",
        KLARNA_EMULATOR_WITHOUT_DEBUG="true",
        EMAIL_URL="dummymail://",  # DEBUG=false needs a mail backend; this test sends nothing it reads
        KLARNA_EMULATOR_LATENCY_MS=str(int(LATENCY * 1000)),
        SITE_URL=url,
        LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS=str(SHOPPERS),
        GUNICORN_GRACEFUL_TIMEOUT="5",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "shop.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_healthy(server, url)
        carts = [_ready_cart(url, "DEMO-MUG-01") for _ in range(SHOPPERS + 1)]
        # Warm-up: the worker's first Klarna call builds the client and imports the emulator.
        _post(url, flow.KLARNA_SESSION, {"cart": carts.pop()})
        start = threading.Barrier(SHOPPERS + 1)
        sessions = {}

        def open_session(cart):
            start.wait()
            sessions[cart] = _post(url, flow.KLARNA_SESSION, {"cart": cart})

        shoppers = [threading.Thread(target=open_session, args=(cart,)) for cart in carts]
        for shopper in shoppers:
            shopper.start()
        start.wait()
        began = time.monotonic()
        for shopper in shoppers:
            shopper.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]

    assert len(sessions) == SHOPPERS, output[-3000:]
    assert all(s["createKlarnaPaymentsSession"]["client_token"] for s in sessions.values())
    assert elapsed >= LATENCY  # each waited on its (late) Klarna answer
    # One after the other would take SHOPPERS x LATENCY (6 s); in parallel about one latency
    # plus the requests' own work on a busy machine.
    assert elapsed < 3 * LATENCY, f"{elapsed:.2f} s for {SHOPPERS} sessions"
