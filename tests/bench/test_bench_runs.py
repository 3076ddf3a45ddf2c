"""``python -m bench`` and ``python -m bench load`` run from a checkout and report what they claim.

Smoke runs with tiny N and duration: they check the bench works and its figures are coherent,
never timings (those belong in the README, measured by the bench itself).
"""

import json
import os
import subprocess
import sys
from urllib.parse import quote, urlunsplit

import pytest
from django.conf import settings

from tests.deploy.conftest import ROOT, clean_env

pytestmark = pytest.mark.django_db(transaction=True)


def _run_bench(tmp_path, *args, env):
    out = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", *args, "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    return completed.stdout, json.loads(out.read_text())


def test_in_process_bench_runs_the_whole_checkout_and_prints_the_table(tmp_path):
    env = clean_env()
    env.pop("DATABASE_URL", None)  # its own temp SQLite
    stdout, result = _run_bench(tmp_path, "--n", "2", env=env)

    operations = {row["operation"]: row for row in result["operations"]}
    assert "placeOrder" in operations and "{ __typename } (floor)" in operations
    assert all(row["errors"] == 0 for row in result["operations"])
    assert result["totals"]["checkout_klarna_calls"] == 3
    assert operations["placeOrder"]["sql"] <= 40
    # The same SQL for a cart of 1 and of 50 lines, operation by operation.
    by_lines = result["sql_by_lines"]
    assert by_lines["1"] == by_lines["50"]
    assert "complete checkout (sum)" in stdout and "placeOrder" in stdout


def test_load_bench_counts_server_cpu_with_zero_errors(tmp_path):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        reason = "the load bench runs gunicorn on PostgreSQL (run with DATABASE_URL=postgres://...)"
        print(reason)
        pytest.skip(reason)
    user = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    where = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    server = urlunsplit(("postgres", f"{user}@{where}", "/postgres", "", ""))  # the bench makes its own DB
    stdout, result = _run_bench(
        tmp_path,
        "load",
        "--clients",
        "2",
        "--seconds",
        "3",
        "--klarna-latency",
        "0,250",
        "--database-url",
        server,
        env=clean_env(),
    )

    checkout, trivial = result["phases"]["checkout"], result["phases"]["trivial"]
    assert checkout["completed"] > 0 and trivial["completed"] > 0
    assert checkout["failed"] == checkout["request_errors"] == 0
    assert trivial["failed"] == trivial["request_errors"] == 0
    # CPU read from /proc for the workers and their PostgreSQL backends; the emulator apart.
    assert checkout["workers_cpu_ms_per_unit"] > 0 and checkout["postgres_cpu_ms_per_unit"] > 0
    assert checkout["server_cpu_ms_per_unit"] > trivial["server_cpu_ms_per_unit"] > 0
    assert checkout["emulator_cpu_seconds"] > 0
    assert result["capacity_checkouts_per_second"] == pytest.approx(
        1000 * (os.cpu_count() or 1) / checkout["server_cpu_ms_per_unit"]
    )
    assert "Capacity:" in stdout and "Klarna emulator" in stdout
    # Served as production serves: gunicorn.conf.py's threaded workers.
    assert (result["worker_class"], result["threads"]) == ("gthread", 4)
    # --klarna-latency 0,250: the checkout phase again with every Klarna answer 250 ms late.
    instant, slow = result["klarna_latency"]
    assert (instant["klarna_latency_ms"], slow["klarna_latency_ms"]) == (0, 250)
    assert instant["checkout"] == checkout
    assert slow["checkout"]["completed"] > 0
    assert slow["checkout"]["failed"] == slow["checkout"]["request_errors"] == 0
    # placeOrder creates the Klarna order: at least one late answer inside it.
    assert slow["checkout"]["latency_ms_by_operation"]["placeOrder"]["p50"] >= 250
    assert result["latency_throughput_ratio"] == pytest.approx(
        slow["checkout"]["per_second"] / checkout["per_second"]
    )
    assert "Throughput at 250 ms Klarna latency" in stdout
