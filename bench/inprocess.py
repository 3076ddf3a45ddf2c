"""In-process bench: the PWA checkout through Django's test client, on a throwaway database.

Every operation is timed (wall clock, and the part spent inside the in-process Klarna emulator,
which stands for Klarna's servers and is subtracted), its SQL counted with
``CaptureQueriesContext`` (the emulator's own queries go to the same connection and are counted
apart), and its Klarna calls counted as ``KlarnaApiCall`` rows. The browser's authorization in
Klarna's widget is not a server operation of the shop: it is done untimed between operations.
"""

import io
import os
import sys
import tempfile
import time
import uuid
import warnings

from . import flow, report

SCALING_LINES = (1, 50)


def configure_environment(database_url: str | None) -> tuple[str, callable]:
    """Point Django at a fresh database; returns its URL and a function dropping it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "KLARNA_ENVIRONMENT": "emulator",
            # DEBUG=false as in production, paying through the emulator: an explicit opt-in.
            "KLARNA_EMULATOR_WITHOUT_DEBUG": "true",
            "KLARNA_API_URL": "",
            "KLARNA_API_USERNAME": "",
            "KLARNA_API_PASSWORD": "",
            # DEBUG=false needs a mail backend: the order emails are sent, to nowhere.
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "ERROR",
            "LOG_FORMAT": "text",
        }
    )
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        from .pg import create_database, drop_database

        url = create_database(database_url, "bench_inprocess")
        os.environ["DATABASE_URL"] = url
        return url, lambda: drop_database(url)
    # tmpfs when there is one: the bench measures the shop, not the disk's fsync.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    directory = tempfile.mkdtemp(prefix="shop-bench-", dir=shm)
    path = os.path.join(directory, "bench.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def drop():
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        os.rmdir(directory)

    return os.environ["DATABASE_URL"], drop


def seed(extra_products: int = 50) -> list[str]:
    """Migrate, load the demo store and ``extra_products`` more; returns 3 SKUs for the flow."""
    from decimal import Decimal

    from django.core.management import call_command

    from shop.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    Product.objects.bulk_create(
        Product(
            sku=f"BENCH-{n}",
            name=f"Bench product {n}",
            url_key=f"bench-product-{n}",
            price=Decimal("1.00") + Decimal(n) / 10,
            stock_qty=10**9,
            tax_class="reduced" if n % 3 == 0 else "standard",
        )
        for n in range(1, extra_products + 1)
    )
    Product.objects.update(stock_qty=10**9)
    return list(
        Product.objects.filter(is_active=True)
        .exclude(sku__startswith="BENCH-")
        .order_by("id")
        .values_list("sku", flat=True)[:3]
    )


class EmulatorMeter:
    """Wraps the in-process emulator transport: time and SQL spent inside 'Klarna'."""

    def __init__(self):
        self.seconds = 0.0
        self.cpu = 0.0
        self.queries = 0

    def install(self):
        from django.db import connection

        from klarna_emulator.transport import EmulatorAdapter

        original = EmulatorAdapter.send
        meter = self

        def send(adapter, request, *args, **kwargs):
            before = len(connection.queries_log)
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(adapter, request, *args, **kwargs)
            finally:
                meter.seconds += time.perf_counter() - started
                meter.cpu += time.thread_time() - cpu
                meter.queries += len(connection.queries_log) - before

        EmulatorAdapter.send = send

    def reset(self):
        self.seconds, self.cpu, self.queries = 0.0, 0.0, 0


class Recorder:
    """Sends a document through the test client and records one sample per operation."""

    def __init__(self, client, meter: EmulatorMeter):
        self.client = client
        self.meter = meter
        self.samples: dict[str, list[dict]] = {}
        self.record = True

    def post(self, operation: str, query: str, variables: dict) -> dict:
        import json

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from payments_klarna.models import KlarnaApiCall

        body = json.dumps({"query": query, "variables": variables})
        calls_before = KlarnaApiCall.objects.count()
        self.meter.reset()
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.thread_time()
            response = self.client.post("/graphql", body, content_type="application/json")
            elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
        calls = KlarnaApiCall.objects.count() - calls_before
        if self.record:
            self.samples.setdefault(operation, []).append(
                {
                    "ms": elapsed * 1000,
                    "shop_ms": (elapsed - self.meter.seconds) * 1000,
                    "cpu_ms": (cpu - self.meter.cpu) * 1000,
                    "sql": len(captured) - self.meter.queries,
                    "emulator_sql": self.meter.queries,
                    "klarna_calls": calls,
                    "status": response.status_code,
                }
            )
        return response.json()


def authorize_in_process(cart_id: str, client_token: str, category: str) -> str:
    from klarna_emulator import payments as emulator
    from payments_klarna.models import KlarnaSession

    session = KlarnaSession.objects.get(cart__masked_id=cart_id, status="active")
    answer = emulator.authorize(session.session_id, category, flow.klarna_billing())
    if not answer.get("approved"):
        raise flow.FlowError(f"authorize: {answer}")
    return answer["authorization_token"]


def summarize(samples: dict[str, list[dict]]) -> list[dict]:
    rows = []
    for operation, items in samples.items():
        ms = [s["shop_ms"] for s in items]
        rows.append(
            {
                "operation": operation,
                "n": len(items),
                "median_ms": report.median(ms),
                "p95_ms": report.percentile(ms, 95),
                "median_ms_incl_klarna": report.median([s["ms"] for s in items]),
                "median_cpu_ms": report.median([s["cpu_ms"] for s in items]),
                "sql": max(s["sql"] for s in items),
                "sql_min": min(s["sql"] for s in items),
                "emulator_sql": max(s["emulator_sql"] for s in items),
                "klarna_calls": max(s["klarna_calls"] for s in items),
                "errors": sum(1 for s in items if s["status"] != 200),
            }
        )
    return rows


def run(n: int, json_path: str | None, database_url: str | None) -> dict:
    url, drop = configure_environment(database_url)
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    try:
        return _run(n, json_path, url)
    finally:
        from django.db import connections

        from checkout.email_outbox import wait_for_sender

        wait_for_sender(timeout=30)  # the last emails, before their database is dropped
        connections.close_all()
        drop()


def _run(n: int, json_path: str | None, url: str) -> dict:
    from django.db import connection
    from django.test import Client

    setup_started = time.perf_counter()
    skus = seed()
    meter = EmulatorMeter()
    meter.install()
    recorder = Recorder(Client(), meter)
    setup_seconds = time.perf_counter() - setup_started

    recorder.record = False  # warm-up: imports, parsed-document cache, connection
    for _ in range(2):
        flow.run_checkout(recorder.post, authorize_in_process, skus)
        recorder.post("trivial", flow.TRIVIAL, {})
    recorder.record = True
    started = time.perf_counter()
    for _ in range(n):
        flow.run_checkout(recorder.post, authorize_in_process, skus)
    for _ in range(n):
        recorder.post("{ __typename } (floor)", flow.TRIVIAL, {})
    run_seconds = time.perf_counter() - started
    flow_rows = summarize(recorder.samples)

    scaling = {}
    for lines in SCALING_LINES:
        recorder.samples = {}
        line_skus = [f"BENCH-{i}" for i in range(1, lines + 1)]
        flow.run_checkout(recorder.post, authorize_in_process, line_skus)
        scaling[lines] = {row["operation"]: row["sql"] for row in summarize(recorder.samples)}

    checkout = [r for r in flow_rows if r["operation"] in flow.OPERATIONS]
    trivial = next(r for r in flow_rows if r["operation"] not in flow.OPERATIONS)
    totals = {
        "checkout_sql": sum(r["sql"] for r in checkout),
        "checkout_klarna_calls": sum(r["klarna_calls"] for r in checkout),
        "checkout_median_ms": sum(r["median_ms"] for r in checkout),
        "checkout_cpu_ms": sum(r["median_cpu_ms"] for r in checkout),
        "trivial_cpu_ms": trivial["median_cpu_ms"],
        "trivial_median_ms": trivial["median_ms"],
    }
    result = {
        "bench": "in-process",
        "machine": report.machine(),
        "database": connection.vendor,
        "n": n,
        "setup_seconds": round(setup_seconds, 1),
        "run_seconds": round(run_seconds, 1),
        "operations": flow_rows,
        "sql_by_lines": scaling,
        "totals": totals,
    }
    _print(result)
    report.write_json(json_path, result)
    return result


def _print(result: dict) -> None:
    m = result["machine"]
    print(
        f"In-process checkout bench: N={result['n']} on {result['database']}, "
        f"{m['cores']} cores ({m['cpu']}), Python {m['python']}; setup {result['setup_seconds']} s, "
        f"run {result['run_seconds']} s"
    )
    print("Latency is the shop's share (time inside the in-process Klarna emulator subtracted).\n")
    headers = ["operation", "median ms", "p95 ms", "CPU ms", "SQL", "Klarna calls", "errors"]
    rows = [
        [
            r["operation"],
            r["median_ms"],
            r["p95_ms"],
            r["median_cpu_ms"],
            r["sql"] if r["sql"] == r["sql_min"] else f"{r['sql_min']}-{r['sql']}",
            r["klarna_calls"],
            r["errors"],
        ]
        for r in result["operations"]
    ]
    t = result["totals"]
    rows.append(
        [
            "complete checkout (sum)",
            t["checkout_median_ms"],
            "",
            t["checkout_cpu_ms"],
            t["checkout_sql"],
            t["checkout_klarna_calls"],
            "",
        ]
    )
    print(report.table(headers, rows))
    lines = sorted(result["sql_by_lines"])
    print()
    print(
        report.table(
            ["SQL by cart lines", *[f"{n} line(s)" for n in lines]],
            [[op, *[result["sql_by_lines"][n].get(op, "") for n in lines]] for op in flow.OPERATIONS],
        )
    )
    sys.stdout.flush()
