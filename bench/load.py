"""Load bench: gunicorn (as gunicorn.conf.py serves) on PostgreSQL, K client threads running the checkout.

``--klarna-latency 0,300`` runs the checkout phase once per latency (the emulator answers every
API call that many milliseconds late, ``KLARNA_EMULATOR_LATENCY_MS``) on freshly started servers
with the same clients, and reports the throughput ratio: what Klarna's real round trips do to a
shop whose workers wait for them.

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


def run(
    clients: int,
    seconds: float,
    workers: int | None,
    json_path: str | None,
    database_url: str,
    emulator: str,
    klarna_latencies: tuple[int, ...] = (0,),
    threads: int | None = None,
    worker_class: str | None = None,
):
    started = time.perf_counter()
    db_url = pg.create_database(database_url, "bench_load")
    processes: list[subprocess.Popen] = []
    try:
        serving = {"workers": workers, "threads": threads, "worker_class": worker_class}
        result = _run(clients, seconds, serving, db_url, emulator, klarna_latencies, processes)
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        print(f"\nTotal wall time {result['wall_seconds']} s")
        report.write_json(json_path, result)
        return result
    finally:
        _stop(processes)
        pg.drop_database(db_url)


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    processes.clear()


def _gunicorn_options(serving: dict) -> list[str]:
    """What the bench asks of the shop's gunicorn; anything left None is gunicorn.conf.py's."""
    options = []
    if serving["workers"]:
        options += ["--workers", str(serving["workers"])]
    if serving["worker_class"]:
        options += ["--worker-class", serving["worker_class"]]
    if serving["threads"]:
        options += ["--threads", str(serving["threads"])]
    elif serving["worker_class"] == "sync":
        options += ["--threads", "1"]  # gunicorn turns sync into gthread when threads > 1
    return options


def _serving_used(shop_env: dict, serving: dict) -> dict:
    """Workers, threads and worker class as gunicorn.conf.py resolves them (for the report)."""
    code = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps({k: c.get(k, 1) for k in ('workers', 'threads', 'worker_class')}))"
    )
    defaults = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=shop_env, check=True, capture_output=True, text=True
        ).stdout
    )
    used = {k: serving[k] or defaults[k] for k in defaults}
    if serving["worker_class"] == "sync" and not serving["threads"]:
        used["threads"] = 1
    return used


def _run(clients, seconds, serving, db_url, emulator, klarna_latencies, processes) -> dict:
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
        # DEBUG=false needs a mail backend: the order emails are sent, to nowhere.
        "EMAIL_URL": "dummymail://",
        "KLARNA_EMULATOR_LATENCY_MS": "0",
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
    used = _serving_used(shop_env, serving)
    skus = _skus(db_url) or ["24-MB01", "24-MB04", "24-UG06"]
    phases, by_latency = {}, []
    for index, latency in enumerate(klarna_latencies):
        # Each latency on freshly started servers: the emulator reads its latency at start.
        servers = _start_servers(shop_port, base_env, shop_env, db_url, emulator, serving, clients, latency)
        processes[:0] = servers["processes"]
        shop = HttpShop(servers["shop_url"], servers["authorize_url"])

        def checkout(shop=shop):
            flow.run_checkout(shop.post, shop.authorize, skus)

        def trivial(shop=shop):
            shop.post("{ __typename }", flow.TRIVIAL, {})

        # Warm-up: every worker (and thread) imports, connects, caches parsed documents.
        run_phase(shop, clients, 2.0 + 3 * latency / 1000, checkout)
        run_phase(shop, clients, 1.0, trivial)
        meter = ServerCpu(servers["gunicorn"].pid, db_url)
        klarna_meter = ServerCpu(servers["emulator"].pid, db_url, KLARNA_APP) if servers["emulator"] else None
        checkout_phase = _measure(shop, clients, seconds, checkout, meter, klarna_meter)
        by_latency.append({"klarna_latency_ms": latency, "checkout": checkout_phase})
        if index == 0:  # trivial requests never call Klarna: once is enough
            phases["checkout"] = checkout_phase
            phases["trivial"] = _measure(shop, clients, max(5.0, seconds / 2), trivial, meter, klarna_meter)
        _stop(processes)
    cores = os.cpu_count() or 1
    check, triv = phases["checkout"], phases["trivial"]
    requests_per_checkout = len(flow.OPERATIONS)
    cpu_checkout = check["server_cpu_ms_per_unit"] or 0.0
    cpu_trivial = triv["server_cpu_ms_per_unit"] or 0.0
    first = by_latency[0]["checkout"]["per_second"]
    result = {
        "bench": "load",
        "machine": report.machine(),
        "clients": clients,
        "workers": used["workers"],
        "threads": used["threads"],
        "worker_class": used["worker_class"],
        "emulator": emulator,
        "phases": phases,
        "klarna_latency": by_latency,
        # Checkouts/s at the last latency ÷ at the first (e.g. 300 ms vs 0 ms).
        "latency_throughput_ratio": (
            by_latency[-1]["checkout"]["per_second"] / first if len(by_latency) > 1 and first else None
        ),
        "capacity_checkouts_per_second": 1000 * cores / cpu_checkout if cpu_checkout else None,
        "capacity_trivial_per_second": 1000 * cores / cpu_trivial if cpu_trivial else None,
        "checkout_vs_trivial": (
            cpu_checkout / (requests_per_checkout * cpu_trivial) if cpu_trivial else None
        ),
    }
    _print(result)
    return result


def _start_servers(shop_port, base_env, shop_env, db_url, emulator, serving, clients, latency) -> dict:
    """The shop's gunicorn and, over HTTP, the emulator's; both answering when this returns."""
    shop_env = dict(shop_env)
    started = []
    emulator_process = None
    if emulator == "http":
        klarna_port = free_port()
        klarna_url = f"http://127.0.0.1:{klarna_port}"
        # Klarna's API keeps connections alive and answers in parallel: gunicorn with threads
        # (each thread keeps its database connection), not the stdlib server of
        # ``manage.py klarna_emulator``, whose connection per request would make "Klarna" the
        # bottleneck of the bench. A thread sleeping out its latency costs no CPU: one per
        # request the shop can have in flight, so "Klarna" is never what queues.
        emulator_process = _gunicorn(
            "klarna_emulator.wsgi:create_app()",
            klarna_port,
            {
                **base_env,
                "DATABASE_URL": _with_app(db_url, KLARNA_APP),
                "KLARNA_EMULATOR_LATENCY_MS": str(latency),
            },
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(max(4, 2 * clients)),
            "--keep-alive",
            "30",
        )
        started.append(emulator_process)
        shop_env["KLARNA_API_URL"] = klarna_url
        authorize_url = f"{klarna_url}/kp/sdk/authorize"
    else:
        klarna_url = None
        shop_env["KLARNA_EMULATOR_LATENCY_MS"] = str(latency)
        authorize_url = f"http://127.0.0.1:{shop_port}/klarna-emulator/kp/sdk/authorize"
    gunicorn = _gunicorn("shop.wsgi", shop_port, shop_env, *_gunicorn_options(serving))
    started.insert(0, gunicorn)
    shop_url = f"http://127.0.0.1:{shop_port}"
    # Generous: on a busy machine several workers importing Django at once take a while.
    deadline = time.monotonic() + 120
    try:
        _wait_http(shop_url, "/healthz", deadline)
        if klarna_url:
            _wait_http(klarna_url, "/", deadline)
    except RuntimeError:
        _stop(started)
        raise
    return {
        "processes": started,
        "gunicorn": gunicorn,
        "emulator": emulator_process,
        "shop_url": shop_url,
        "authorize_url": authorize_url,
    }


def _measure(shop, clients, duration, work, meter, klarna_meter) -> dict:
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
    return {
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
        f"Load bench: gunicorn {result['worker_class']} --workers {result['workers']} --threads "
        f"{result['threads']} on PostgreSQL, {result['clients']} client threads, Klarna emulator "
        f"{result['emulator']}; {m['cores']} cores ({m['cpu']})\n"
    )
    first = result["klarna_latency"][0]["klarna_latency_ms"]
    print(f"Phases at {first} ms Klarna latency:")
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
    if len(result["klarna_latency"]) > 1:
        print()
        rows = []
        for entry in result["klarna_latency"]:
            p = entry["checkout"]
            rows.append(
                [
                    entry["klarna_latency_ms"],
                    p["completed"],
                    p["per_second"],
                    p["latency_ms"]["p50"],
                    p["latency_ms"]["p95"],
                    p["failed"] + p["request_errors"],
                    p["server_cpu_ms_per_unit"] or 0.0,
                ]
            )
        print(
            report.table(
                [
                    "Klarna latency ms",
                    "checkouts",
                    "per s",
                    "p50 ms",
                    "p95 ms",
                    "errors",
                    "server CPU ms/checkout",
                ],
                rows,
            )
        )
        last = result["klarna_latency"][-1]["klarna_latency_ms"]
        print(
            f"Throughput at {last} ms Klarna latency: {result['latency_throughput_ratio']:.2f} of the "
            f"throughput at {first} ms, with the same {result['clients']} clients."
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
    for entry in result["klarna_latency"][1:]:
        for error in entry["checkout"]["error_samples"]:
            print(f"  checkout at {entry['klarna_latency_ms']} ms error: {error}")
