"""gunicorn.conf.py: workers, threads, bind and timeouts from the environment."""

import runpy

import pytest

from tests.deploy.conftest import ROOT


def load(monkeypatch, **env) -> dict:
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_BIND",
        "GUNICORN_TIMEOUT",
        "KLARNA_TIMEOUT",
        "PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_timeout_outlasts_every_klarna_retry(monkeypatch):
    config = load(monkeypatch)

    connect, read = 3, 10
    assert config["timeout"] > 3 * (connect + read) + 4
    assert config["timeout"] < 120, "must stay below CART_PLACING_TIMEOUT"
    assert config["graceful_timeout"] == config["timeout"]


def test_timeout_follows_klarna_timeout(monkeypatch):
    assert load(monkeypatch, KLARNA_TIMEOUT="5,30")["timeout"] > 3 * (5 + 30) + 4
    assert load(monkeypatch, KLARNA_TIMEOUT="3,10", GUNICORN_TIMEOUT="45")["timeout"] == 45


def test_workers_default_to_twice_the_cores_plus_one_capped(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)
    assert load(monkeypatch)["workers"] == 8
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 1)
    assert load(monkeypatch)["workers"] == 3
    assert load(monkeypatch, WEB_CONCURRENCY="5")["workers"] == 5


def test_threaded_workers_so_a_klarna_wait_does_not_hold_a_whole_worker(monkeypatch):
    config = load(monkeypatch)
    assert config["worker_class"] == "gthread"
    assert config["threads"] == 4
    assert load(monkeypatch, GUNICORN_THREADS="12")["threads"] == 12
    # gunicorn would quietly run "sync" with threads=1: never below one thread.
    assert load(monkeypatch, GUNICORN_THREADS="0")["threads"] == 1


@pytest.mark.parametrize(
    ("env", "bind"),
    [
        ({}, "0.0.0.0:8000"),
        ({"PORT": "9000"}, "0.0.0.0:9000"),
        ({"GUNICORN_BIND": "unix:/run/shop.sock"}, "unix:/run/shop.sock"),
    ],
)
def test_bind_from_the_environment(monkeypatch, env, bind):
    assert load(monkeypatch, **env)["bind"] == bind


def test_access_log_has_the_request_id_and_no_query_string(monkeypatch):
    config = load(monkeypatch)

    assert "%({x-request-id}o)s" in config["access_log_format"]
    assert "%(q)s" not in config["access_log_format"] and "%(r)s" not in config["access_log_format"]
    assert config["max_requests_jitter"] > 0
