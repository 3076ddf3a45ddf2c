"""Two app servers, one PostgreSQL: the shop keeps no state of its own between requests.

Starts, like a small production deployment: a dedicated PostgreSQL database (migrated and
seeded with ``seed_demo``), the Klarna emulator over HTTP (``manage.py klarna_emulator``), and
two gunicorn servers (``gunicorn.conf.py``, DEBUG=false, JSON logs) on free ports, reached as a
load balancer would (``X-Forwarded-Proto: https``). Then:

- a checkout's steps go alternately to both servers, and concurrent placeOrder calls at both
  make one order (checkmo, and Klarna with one create-order at the emulator);
- throttling counts hits across both servers.

Every process is killed and the database dropped in the fixture's teardown; the servers'
output is printed when a test fails.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.deploy.conftest import ROOT, STRONG_SECRET_KEY, clean_env, manage

pytestmark = pytest.mark.postgres

ADDRESS = {
    "firstname": "Erika",
    "lastname": "Mustermann",
    "street": ["Heidestraße 17"],
    "city": "Köln",
    "postcode": "51147",
    "country_code": "DE",
    "telephone": "+49 221 1234567",
}
SKU = "DEMO-MUG-01"  # seed_demo: 14.90 EUR, 120 in stock
PROCESSING = "The order has already been placed and is currently processing."
PLACE_ORDER = """
mutation Place($cart: String!) {
  placeOrder(input: {cart_id: $cart}) { order { order_number } errors { code message } }
}
"""
STARTUP_SECONDS = 60
REQUEST_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        # Own session: the signal reaches gunicorn's workers too.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Server:
    name: str
    url: str

    def request(self, method: str, path: str, body: dict | None = None, request_id: str | None = None):
        headers = {"Content-Type": "application/json", "X-Forwarded-Proto": "https"}
        if request_id:
            headers["X-Request-ID"] = request_id
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"null")

    def graphql(self, query: str, variables: dict | None = None, request_id: str | None = None) -> dict:
        status, headers, body = self.request(
            "POST", "/graphql", {"query": query, "variables": variables or {}}, request_id
        )
        assert status == 200, (self.name, status, body)
        if request_id:
            assert headers["X-Request-ID"] == request_id
        return body

    def data(self, query: str, variables: dict | None = None, request_id: str | None = None) -> dict:
        body = self.graphql(query, variables, request_id)
        assert "errors" not in body, (self.name, body["errors"])
        return body["data"]


@dataclass
class Deployment:
    a: Server
    b: Server
    emulator_url: str
    env: dict
    processes: list[Process]

    def orm(self, code: str):
        """Run ``code`` (which sets ``result``) in the deployment's database; ``result`` as JSON."""
        script = f"import json\n{code}\nprint(json.dumps(result))"
        completed = manage("shell", "-c", script, env=self.env, timeout=60)
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout.strip().splitlines()[-1])


def _wait_until_healthy(process: Process, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.process.poll() is not None:
            pytest.fail(f"{process.name} exited with {process.process.returncode}:\n{process.output()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{process.name} did not answer {url} within {STARTUP_SECONDS}s:\n{process.output()}")


def _admin_connection():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        reason = (
            "two-host test needs PostgreSQL shared by both servers (run with DATABASE_URL=postgres://...)"
        )
        print(reason)
        pytest.skip(reason)
    db = settings.DATABASES["default"]
    database = f"shop_two_hosts_{os.getpid()}"  # dropped in the teardown below
    database_url = (
        f"postgres://{db.get('USER') or 'postgres'}"
        + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        + f"@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{database}"
    )
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')

    logs = tmp_path_factory.mktemp("two_hosts")
    emulator_port, port_a, port_b = _free_port(), _free_port(), _free_port()
    emulator_url = f"http://127.0.0.1:{emulator_port}"
    env = clean_env(
        DEBUG="false",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        DATABASE_URL=database_url,
        KLARNA_ENVIRONMENT="emulator",
        # Production-like hosts paying through a standalone emulator: an explicit opt-in.
        KLARNA_EMULATOR_WITHOUT_DEBUG="true",
        EMAIL_URL="dummymail://",  # DEBUG=false needs a mail backend; the shoppers' mail is not read here
        KLARNA_API_URL=emulator_url,
        KLARNA_TIMEOUT="3,20",
        LOG_FORMAT="json",
        SITE_URL="https://127.0.0.1",
    )
    processes: list[Process] = []
    try:
        for step in (["migrate", "--noinput"], ["seed_demo"]):
            completed = manage(*step, env=env, timeout=180)
            assert completed.returncode == 0, completed.stdout + completed.stderr

        def start(name: str, command: list[str], extra_env: dict) -> Process:
            log = logs / f"{name}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env={**env, **extra_env},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            started = Process(name, process, log)
            processes.append(started)
            return started

        emulator = start(
            "emulator",
            [sys.executable, "manage.py", "klarna_emulator", "--port", str(emulator_port), "--tick", "0"],
            # Klarna is reached over plain http inside the test; only the shop sits behind "TLS".
            {"SECURE_SSL_REDIRECT": "false"},
        )
        servers = []
        for label, port in (("a", port_a), ("b", port_b)):
            process = start(
                f"gunicorn-{label}",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "gunicorn.conf.py",
                    "tests.deploy.probe_wsgi:application",
                ],
                {
                    "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "WEB_CONCURRENCY": "3",
                    "GUNICORN_GRACEFUL_TIMEOUT": "5",
                },
            )
            servers.append((process, Server(label, f"http://127.0.0.1:{port}")))
        _wait_until_healthy(emulator, emulator_url + "/")
        for process, server in servers:
            _wait_until_healthy(process, server.url + "/healthz")
        yield Deployment(servers[0][1], servers[1][1], emulator_url, env, processes)
    finally:
        for process in processes:
            process.stop()
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _print_server_output_on_failure(deployment):
    """Whatever the servers wrote during the test; pytest shows it only when the test fails."""
    offsets = {p.name: len(p.output()) for p in deployment.processes}
    yield
    for process in deployment.processes:
        print(f"----- {process.name} (exit {process.process.poll()}) -----")
        print(process.output()[offsets[process.name] :][-20000:])


def _ready_cart_alternating(deployment: Deployment, payment: str | None) -> str:
    a, b = deployment.a, deployment.b
    cart = a.data("mutation { createGuestCart { cart { id } } }", request_id="step-1")["createGuestCart"][
        "cart"
    ]["id"]
    added = b.data(
        "mutation($c: String!, $sku: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: $sku, quantity: 2}]) { user_errors { code message } } }",
        {"c": cart, "sku": SKU},
        request_id="step-2",
    )
    assert added["addProductsToCart"]["user_errors"] == []
    a.data(
        'mutation($c: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: "erika@example.com"}) { cart { email } } }',
        {"c": cart},
    )
    b.data(
        "mutation($c: String!, $a: CartAddressInput!) { setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) { cart { id } } }",
        {"c": cart, "a": ADDRESS},
    )
    a.data(
        "mutation($c: String!) { setBillingAddressOnCart(input: {cart_id: $c, billing_address: {same_as_shipping: true}}) { cart { id } } }",
        {"c": cart},
    )
    b.data(
        'mutation($c: String!) { setShippingMethodsOnCart(input: {cart_id: $c, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } } }',
        {"c": cart},
    )
    if payment:
        a.data(
            "mutation($c: String!, $code: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: $code}}) { cart { id } } }",
            {"c": cart, "code": payment},
        )
    # The other server sees every step: 2 x 14.90 + 5.00 shipping.
    seen = b.data(
        "query($c: String!) { cart(cart_id: $c) { email total_quantity prices { grand_total { value } } shipping_addresses { city } } }",
        {"c": cart},
    )["cart"]
    assert seen["email"] == "erika@example.com"
    assert seen["total_quantity"] == 2
    assert seen["prices"]["grand_total"]["value"] == 34.8
    assert seen["shipping_addresses"] == [{"city": "Köln"}]
    return cart


def _place_concurrently(deployment: Deployment, cart: str, n: int = 8) -> list[dict]:
    barrier = threading.Barrier(n)
    results: list[dict | None] = [None] * n
    failures: list[BaseException] = []

    def worker(i: int):
        try:
            barrier.wait(timeout=30)
            server = deployment.a if i % 2 == 0 else deployment.b
            results[i] = server.graphql(PLACE_ORDER, {"cart": cart}, request_id=f"place-{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_SECONDS + 30)
    assert not failures, failures
    assert all(result is not None for result in results), "a placeOrder call did not come back"
    return results


def _one_order_number(results: list[dict]) -> str:
    numbers = set()
    for result in results:
        if result.get("errors"):
            assert [e["message"] for e in result["errors"]] == [PROCESSING], result
        else:
            numbers.add(result["data"]["placeOrder"]["order"]["order_number"])
    assert len(numbers) == 1, results
    return numbers.pop()


def test_both_servers_are_ready_and_echo_request_ids(deployment):
    for server in (deployment.a, deployment.b):
        status, headers, body = server.request("GET", "/readyz", request_id="probe-1")
        assert status == 200, body
        assert body["status"] == "ok"
        assert headers["X-Request-ID"] == "probe-1"


def test_checkout_alternating_between_servers_and_concurrent_place_orders_make_one_order(deployment):
    cart = _ready_cart_alternating(deployment, payment="checkmo")

    results = _place_concurrently(deployment, cart)

    number = _one_order_number(results)
    assert deployment.orm(
        "from checkout.models import Order, OrderPlacement\n"
        f"result = [Order.objects.filter(cart__masked_id={cart!r}).count(),"
        f" OrderPlacement.objects.filter(cart__masked_id={cart!r}).count(),"
        f" Order.objects.get(cart__masked_id={cart!r}).number]"
    ) == [1, 1, number]
    # A retry on either server replays the same order.
    for server in (deployment.a, deployment.b):
        again = server.data(PLACE_ORDER, {"cart": cart})
        assert again["placeOrder"]["order"]["order_number"] == number
    # Both servers logged JSON lines carrying the load balancer's request ids.
    logs = "".join(p.output() for p in deployment.processes if p.name.startswith("gunicorn"))
    assert '"request_id": "place-0"' in logs and '"request_id": "place-1"' in logs
    assert '"graphql_operation": "Place"' in logs


def test_klarna_checkout_across_servers_makes_one_order_and_one_klarna_create_order(deployment):
    cart = _ready_cart_alternating(deployment, payment=None)
    session = deployment.a.data(
        "mutation($c: String!) { createKlarnaPaymentsSession(input: {cart_id: $c}) { client_token payment_method_categories { identifier } } }",
        {"c": cart},
    )["createKlarnaPaymentsSession"]
    assert "pay_later" in [c["identifier"] for c in session["payment_method_categories"]]
    # What the Klarna widget does in the shopper's browser, against the emulator over HTTP.
    emulator = Server("emulator", deployment.emulator_url)
    status, _, answer = emulator.request(
        "POST",
        "/kp/sdk/authorize",
        {
            "client_token": session["client_token"],
            "payment_method_category": "pay_later",
            "decision": "approve",
            "data": {
                "billing_address": {
                    "given_name": "Erika",
                    "family_name": "Mustermann",
                    "email": "erika@example.com",
                    "street_address": "Heidestraße 17",
                    "postal_code": "51147",
                    "city": "Köln",
                    "country": "DE",
                    "phone": "+49 221 1234567",
                }
            },
        },
    )
    assert status == 200 and answer["approved"], answer
    deployment.b.data(
        'mutation($c: String!, $t: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "klarna_pay_later", klarna: {authorization_token: $t}}}) { cart { id } } }',
        {"c": cart, "t": answer["authorization_token"]},
    )
    emulator_orders_before = deployment.orm(
        "from klarna_emulator.models import EmulatorOrder\nresult = EmulatorOrder.objects.count()"
    )

    results = _place_concurrently(deployment, cart)

    number = _one_order_number(results)
    counts = deployment.orm(
        "from checkout.models import Order\n"
        "from payments_klarna.models import KlarnaApiCall\n"
        "from klarna_emulator.models import EmulatorOrder\n"
        f"order = Order.objects.get(cart__masked_id={cart!r})\n"
        "result = [order.number, order.payment_method_code,"
        " KlarnaApiCall.objects.filter(method='POST', path__endswith='/order').count(),"
        " EmulatorOrder.objects.count()]"
    )
    assert counts == [number, "klarna_pay_later", 1, emulator_orders_before + 1]


def test_throttle_counts_hits_across_both_servers(deployment):
    scope = f"two-hosts-{time.monotonic_ns()}"
    seen = []
    for i in range(8):
        server = deployment.a if i % 2 == 0 else deployment.b
        status, _, body = server.request("GET", f"/_probe/throttle?scope={scope}&key=erika&limit=5")
        seen.append((server.name, status, body["count"], body["pid"]))

    assert [count for _, _, count, _ in seen] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [status for _, status, _, _ in seen] == [200] * 5 + [429] * 3
    pids_a = {pid for name, _, _, pid in seen if name == "a"}
    pids_b = {pid for name, _, _, pid in seen if name == "b"}
    assert not pids_a & pids_b, "both servers answered from different processes"


def test_concurrent_throttle_hits_on_both_servers_lose_nothing(deployment):
    scope = f"two-hosts-burst-{time.monotonic_ns()}"
    n = 16
    barrier = threading.Barrier(n)
    counts: list[int] = []
    lock = threading.Lock()

    def worker(i: int):
        server = deployment.a if i % 2 == 0 else deployment.b
        barrier.wait(timeout=30)
        _, _, body = server.request("GET", f"/_probe/throttle?scope={scope}&key=erika&limit=100")
        with lock:
            counts.append(body["count"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_SECONDS)

    assert sorted(counts) == list(range(1, n + 1))
