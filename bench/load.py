"""Load bench: gunicorn (sync workers) on PostgreSQL, K client threads running the checkout.

Server CPU is read from the operating system (``/proc/<pid>/stat`` utime+stime) for the gunicorn
workers and for the PostgreSQL backends serving them (found by ``application_name``), before and
after each phase — never from the load generator, which shares the machine. The Klarna emulator
runs in its own process over HTTP by default (it stands for Klarna: its CPU and its own
PostgreSQL backends are not the shop's and are not counted), or inside the workers with
``--emulator in-process`` (then its CPU is counted as the shop's, an upper bound).
"""

import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import flow, pg, report

ROOT = Path(__file__).resolve().parent.parent
SHOP_APP = "bench-shop"
KLARNA_APP = "bench-klarna"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """utime+stime of a process, from /proc; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == parent:
                pids.append(int(entry.name))
    return pids


class ServerCpu:
    """CPU of the gunicorn workers and of the shop's PostgreSQL backends."""

    def __init__(self, master_pid: int, database_url: str, application_name: str = SHOP_APP):
        self.master_pid = master_pid
        self.database_url = database_url
        self.application_name = application_name

    def snapshot(self) -> dict:
        workers = {pid: cpu_seconds(pid) for pid in children(self.master_pid)}
        backends = {
            pid: cpu_seconds(pid) for pid in pg.backend_pids(self.database_url, self.application_name)
        }
        return {
            "workers": {p: c for p, c in workers.items() if c is not None},
            "backends": {p: c for p, c in backends.items() if c is not None},
        }

    @staticmethod
    def used(before: dict, after: dict) -> dict:
        """Seconds used between two snapshots; a process born in between counts from zero."""
        out = {}
        for kind in ("workers", "backends"):
            out[kind] = sum(c - before[kind].get(p, 0.0) for p, c in after[kind].items())
            # A process that died in between: its last known CPU is all we can count.
            lost = set(before[kind]) - set(after[kind])
            out[f"{kind}_lost"] = len(lost)
        out["total"] = out["workers"] + out["backends"]
        return out


class HttpShop:
    def __init__(self, base_url: str, authorize_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.authorize_parts = urlsplit(authorize_url)
        self.samples: list[tuple[str, float, bool]] = []  # operation, seconds, ok
        self.lock = threading.Lock()

    def _send(self, host, port, path, body: dict) -> tuple[int, dict]:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        try:
            connection.request(
                "POST", path, json.dumps(body), {"Content-Type": "application/json", "Connection": "close"}
            )
            response = connection.getresponse()
            data = response.read()
            return response.status, json.loads(data) if data else {}
        finally:
            connection.close()

    def post(self, operation: str, query: str, variables: dict) -> dict:
        started = time.perf_counter()
        ok = False
        try:
            status, result = self._send(
                self.host, self.port, "/graphql", {"query": query, "variables": variables}
            )
            ok = status == 200 and not result.get("errors")
            return result
        finally:
            with self.lock:
                self.samples.append((operation, time.perf_counter() - started, ok))

    def authorize(self, cart_id: str, client_token: str, category: str) -> str:
        """The shopper's browser approving in Klarna's widget (emulated Klarna, not the shop)."""
        parts = self.authorize_parts
        status, answer = self._send(
            parts.hostname,
            parts.port,
            parts.path,
            {
                "client_token": client_token,
                "payment_method_category": category,
                "decision": "approve",
                "data": flow.klarna_billing(),
            },
        )
        if status != 200 or not answer.get("approved"):
            raise flow.FlowError(f"authorize: {status} {answer}")
        return answer["authorization_token"]


def _wait_http(url: str, path: str, deadline: float) -> None:
    parts = urlsplit(url)
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}{path} did not come up")


def _gunicorn(app: str, port: int, env: dict, *options: str) -> subprocess.Popen:
    """gunicorn serving ``app`` on 127.0.0.1:``port`` (gunicorn.conf.py defaults, no worker
    recycling, access log formatted as in production but not kept)."""
    return subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            *options,
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**env, "GUNICORN_MAX_REQUESTS": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _with_app(url: str, name: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def run_phase(shop: HttpShop, clients: int, seconds: float, work) -> dict:
    """K threads calling ``work()`` until ``seconds`` have passed; counts done and failed."""
    stop = time.monotonic() + seconds
    counts = {"done": 0, "failed": 0, "errors": []}
    lock = threading.Lock()

    def loop():
        while time.monotonic() < stop:
            try:
                work()
                with lock:
                    counts["done"] += 1
            except Exception as error:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    counts["failed"] += 1
                    if len(counts["errors"]) < 5:
                        counts["errors"].append(str(error)[:300])

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts["seconds"] = time.perf_counter() - started
    return counts


def run(clients: int, seconds: float, workers: int, json_path: str | None, database_url: str, emulator: str):
    started = time.perf_counter()
    db_url = pg.create_database(database_url, "bench_load")
    processes: list[subprocess.Popen] = []
    try:
        result = _run(clients, seconds, workers, json_path, db_url, emulator, processes)
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        print(f"\nTotal wall time {result['wall_seconds']} s")
        report.write_json(json_path, result)
        return result
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        pg.drop_database(db_url)


def _run(clients, seconds, workers, json_path, db_url, emulator, processes) -> dict:
    shop_port = free_port()
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-load-not-secret-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        "LOG_FORMAT": "text",
        "CONN_MAX_AGE": "60",  # the deploy recommendation (.env.example)
        "KLARNA_ENVIRONMENT": "emulator",
        # DEBUG=false as in production, paying through the emulator: an explicit opt-in.
        "KLARNA_EMULATOR_WITHOUT_DEBUG": "true",
        "KLARNA_API_USERNAME": "",
        "KLARNA_API_PASSWORD": "",
        "KLARNA_API_URL": "",
        "SITE_URL": f"http://127.0.0.1:{shop_port}",
        "PYTHONWARNINGS": "ignore",
    }
    setup_env = {**base_env, "DATABASE_URL": db_url}
    _manage(setup_env, "migrate", "--noinput", "-v", "0")
    _manage(setup_env, "seed_demo", "-v", "0")
    _manage(
        setup_env,
        "shell",
        "-c",
        "from shop.models import Product; Product.objects.update(stock_qty=10**9)",
    )
    shop_env = {**base_env, "DATABASE_URL": _with_app(db_url, SHOP_APP)}
    emulator_process = None
    if emulator == "http":
        klarna_port = free_port()
        klarna_url = f"http://127.0.0.1:{klarna_port}"
        # Klarna's API keeps connections alive and answers in parallel: gunicorn with threads
        # (each thread keeps its database connection), not the stdlib server of
        # ``manage.py klarna_emulator``, whose connection per request would make "Klarna" the
        # bottleneck of the bench.
        emulator_process = _gunicorn(
            "klarna_emulator.wsgi:create_app()",
            klarna_port,
            {**base_env, "DATABASE_URL": _with_app(db_url, KLARNA_APP)},
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(max(4, 2 * clients)),
            "--keep-alive",
            "30",
        )
        processes.append(emulator_process)
        shop_env["KLARNA_API_URL"] = klarna_url
        authorize_url = f"{klarna_url}/kp/sdk/authorize"
    else:
        klarna_url = None
        authorize_url = f"http://127.0.0.1:{shop_port}/klarna-emulator/kp/sdk/authorize"
    shop_env["WEB_CONCURRENCY"] = str(workers)
    gunicorn = _gunicorn("shop.wsgi", shop_port, shop_env, "--workers", str(workers))
    processes.insert(0, gunicorn)
    shop_url = f"http://127.0.0.1:{shop_port}"
    deadline = time.monotonic() + 30
    _wait_http(shop_url, "/healthz", deadline)
    if klarna_url:
        _wait_http(klarna_url, "/", deadline)

    shop = HttpShop(shop_url, authorize_url)
    skus = ["24-MB01", "24-MB04", "24-UG06"]
    skus = _skus(db_url) or skus

    def checkout():
        flow.run_checkout(shop.post, shop.authorize, skus)

    def trivial():
        shop.post("{ __typename }", flow.TRIVIAL, {})

    # Warm-up: every worker imports, connects, caches parsed documents.
    run_phase(shop, clients, 2.0, checkout)
    run_phase(shop, clients, 1.0, trivial)
    meter = ServerCpu(gunicorn.pid, db_url)
    klarna_meter = ServerCpu(emulator_process.pid, db_url, KLARNA_APP) if emulator_process else None
    phases = {}
    for name, work, duration in (
        ("checkout", checkout, seconds),
        ("trivial", trivial, max(5.0, seconds / 2)),
    ):
        shop.samples = []
        before, own_before = meter.snapshot(), _own_cpu()
        klarna_before = klarna_meter.snapshot() if klarna_meter else None
        counts = run_phase(shop, clients, duration, work)
        after, own_after = meter.snapshot(), _own_cpu()
        cpu = ServerCpu.used(before, after)
        klarna_cpu = ServerCpu.used(klarna_before, klarna_meter.snapshot())["total"] if klarna_meter else None
        latencies = [s * 1000 for _, s, _ in shop.samples]
        by_operation = {}
        for operation, secs, _ in shop.samples:
            by_operation.setdefault(operation, []).append(secs * 1000)
        done = counts["done"]
        phases[name] = {
            "completed": done,
            "failed": counts["failed"],
            "request_errors": sum(1 for *_, ok in shop.samples if not ok),
            "error_samples": counts["errors"],
            "seconds": round(counts["seconds"], 2),
            "per_second": done / counts["seconds"],
            "requests": len(shop.samples),
            "requests_per_second": len(shop.samples) / counts["seconds"],
            "latency_ms": {
                "p50": report.percentile(latencies, 50),
                "p90": report.percentile(latencies, 90),
                "p95": report.percentile(latencies, 95),
                "p99": report.percentile(latencies, 99),
                "max": max(latencies, default=0.0),
            },
            "latency_ms_by_operation": {
                op: {"p50": report.percentile(v, 50), "p95": report.percentile(v, 95)}
                for op, v in by_operation.items()
            },
            "server_cpu_seconds": cpu,
            "server_cpu_ms_per_unit": 1000 * cpu["total"] / done if done else None,
            "workers_cpu_ms_per_unit": 1000 * cpu["workers"] / done if done else None,
            "postgres_cpu_ms_per_unit": 1000 * cpu["backends"] / done if done else None,
            "load_generator_cpu_seconds": own_after - own_before,
            # The emulator stands for Klarna: not the shop's CPU, shown because it shares the cores.
            "emulator_cpu_seconds": klarna_cpu,
        }
    cores = os.cpu_count() or 1
    check, triv = phases["checkout"], phases["trivial"]
    requests_per_checkout = len(flow.OPERATIONS)
    cpu_checkout = check["server_cpu_ms_per_unit"] or 0.0
    cpu_trivial = triv["server_cpu_ms_per_unit"] or 0.0
    result = {
        "bench": "load",
        "machine": report.machine(),
        "clients": clients,
        "workers": workers,
        "emulator": emulator,
        "phases": phases,
        "capacity_checkouts_per_second": 1000 * cores / cpu_checkout if cpu_checkout else None,
        "capacity_trivial_per_second": 1000 * cores / cpu_trivial if cpu_trivial else None,
        "checkout_vs_trivial": (
            cpu_checkout / (requests_per_checkout * cpu_trivial) if cpu_trivial else None
        ),
    }
    _print(result)
    return result


def _skus(db_url: str) -> list[str]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT sku FROM shop_product WHERE is_active ORDER BY id LIMIT 3").fetchall()
    return [row[0] for row in rows]


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _print(result: dict) -> None:
    m = result["machine"]
    print(
        f"Load bench: gunicorn --workers {result['workers']} on PostgreSQL, {result['clients']} client threads, "
        f"Klarna emulator {result['emulator']}; {m['cores']} cores ({m['cpu']})\n"
    )
    rows = []
    for name, p in result["phases"].items():
        lat = p["latency_ms"]
        rows.append(
            [
                name,
                p["completed"],
                p["per_second"],
                p["requests_per_second"],
                lat["p50"],
                lat["p95"],
                lat["p99"],
                p["failed"] + p["request_errors"],
                p["workers_cpu_ms_per_unit"] or 0.0,
                p["postgres_cpu_ms_per_unit"] or 0.0,
                p["server_cpu_ms_per_unit"] or 0.0,
                p["load_generator_cpu_seconds"],
            ]
        )
    print(
        report.table(
            [
                "phase",
                "done",
                "per s",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "worker CPU ms/unit",
                "PG CPU ms/unit",
                "server CPU ms/unit",
                "loadgen CPU s",
            ],
            rows,
        )
    )
    print()
    ops = result["phases"]["checkout"]["latency_ms_by_operation"]
    print(
        report.table(
            ["request (checkout phase)", "p50 ms", "p95 ms"],
            [[k, v["p50"], v["p95"]] for k, v in ops.items()],
        )
    )
    cap, ratio = result["capacity_checkouts_per_second"], result["checkout_vs_trivial"]
    print(
        f"\nCapacity: {cap or 0:.1f} checkouts/s on {m['cores']} cores by server CPU "
        f"(trivial requests: {result['capacity_trivial_per_second'] or 0:.0f}/s); "
        f"a checkout costs {ratio or 0:.1f}x the server CPU of {len(flow.OPERATIONS)} trivial requests."
    )
    check = result["phases"]["checkout"]
    if check.get("emulator_cpu_seconds") is not None and check["completed"]:
        print(
            "Sharing the cores, not counted as the shop's: the Klarna emulator "
            f"{1000 * check['emulator_cpu_seconds'] / check['completed']:.1f} ms CPU per checkout "
            "(gunicorn gthread + its PostgreSQL backends), the load generator "
            f"{1000 * check['load_generator_cpu_seconds'] / check['completed']:.1f} ms."
        )
    for name, p in result["phases"].items():
        for error in p["error_samples"]:
            print(f"  {name} error: {error}")
