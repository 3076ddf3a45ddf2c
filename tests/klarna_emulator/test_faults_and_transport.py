"""Fault injection (Python and HTTP) and the two transports."""

import json
import threading
import time
from wsgiref.simple_server import make_server

import pytest
import requests

from klarna_emulator import faults
from klarna_emulator.transport import BASE_URL, EmulatorAdapter, mount

from .conftest import AUTH, cart

SESSIONS = f"{BASE_URL}/payments/v1/sessions"


def test_fault_applies_to_the_next_n_matching_calls_only(emulator_http):
    faults.inject(r"^/payments/v1/sessions$", method="POST", times=2, status=500)

    statuses = [emulator_http.post(SESSIONS, json=cart()).status_code for _ in range(3)]

    assert statuses == [500, 500, 200]


def test_fault_does_not_hit_other_methods_or_paths(emulator_http):
    faults.inject(r"^/ordermanagement/", method="POST", status=503)

    assert emulator_http.post(SESSIONS, json=cart()).status_code == 200


def test_malformed_body_fault(emulator_http):
    faults.inject(r"/payments/v1/sessions$", kind="malformed")

    response = emulator_http.post(SESSIONS, json=cart())

    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_delay_beyond_the_read_timeout_raises_read_timeout_in_process(emulator_http):
    faults.inject(r"/payments/v1/sessions$", kind="delay", delay_seconds="0.3")

    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        emulator_http.post(SESSIONS, json=cart(), timeout=(1, 0.1))

    assert 0.1 <= time.monotonic() - started < 0.3


def test_delay_within_the_timeout_still_answers(emulator_http):
    faults.inject(r"/payments/v1/sessions$", kind="delay", delay_seconds="0.05")

    assert emulator_http.post(SESSIONS, json=cart(), timeout=(1, 2)).status_code == 200


def test_faults_over_http_endpoint(client, emulator_http):
    created = client.post(
        "/klarna-emulator/_faults",
        data=json.dumps(
            {
                "path": "/payments/v1/sessions$",
                "method": "POST",
                "status": 502,
                "error_code": "TEMPORARILY_UNAVAILABLE",
            }
        ),
        content_type="application/json",
    )
    listed = client.get("/klarna-emulator/_faults").json()
    response = emulator_http.post(SESSIONS, json=cart())
    client.post("/klarna-emulator/_faults", data=json.dumps({"path": "x"}), content_type="application/json")
    cleared = client.delete("/klarna-emulator/_faults")

    assert created.status_code == 201
    assert listed[0]["status"] == 502
    assert response.status_code == 502
    assert response.json()["error_code"] == "TEMPORARILY_UNAVAILABLE"
    assert cleared.status_code == 204
    assert client.get("/klarna-emulator/_faults").json() == []


def test_mounted_session_only_serves_its_base_url(db):
    http = mount(requests.Session())

    with pytest.raises(requests.exceptions.ConnectionError):
        http.get("http://klarna-emulator.invalid/elsewhere", timeout=1)


def test_adapter_answers_404_for_unknown_paths(emulator_http):
    assert emulator_http.get(f"{BASE_URL}/no/such/thing").status_code == 404


def test_adapter_is_a_requests_adapter():
    assert isinstance(EmulatorAdapter(), requests.adapters.BaseAdapter)


def test_shop_serves_the_emulator_under_klarna_emulator(client, db):
    response = client.post(
        "/klarna-emulator/payments/v1/sessions",
        data=json.dumps(cart()),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic ZW11bGF0b3ItbWVyY2hhbnQ6ZW11bGF0b3Itc2VjcmV0",
    )

    assert response.status_code == 200
    assert client.get("/klarna-emulator/kp/lib/v1/api.js")["Content-Type"].startswith("text/javascript")


@pytest.mark.django_db(transaction=True)
def test_standalone_server_serves_the_emulator_at_its_root():
    from klarna_emulator.management.commands.klarna_emulator import (
        EmulatorWSGIHandler,
        _QuietHandler,
        _ThreadingWSGIServer,
    )

    server = make_server("127.0.0.1", 0, EmulatorWSGIHandler(), _ThreadingWSGIServer, _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        created = requests.post(f"{base}/payments/v1/sessions", json=cart(), auth=AUTH, timeout=5)
        read = requests.get(
            f"{base}/payments/v1/sessions/{created.json()['session_id']}", auth=AUTH, timeout=5
        )
        script = requests.get(f"{base}/kp/lib/v1/api.js", timeout=5)
        faults.inject(r"/payments/v1/sessions$", kind="delay", delay_seconds="0.5")
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.post(f"{base}/payments/v1/sessions", json=cart(), auth=AUTH, timeout=(1, 0.1))
    finally:
        server.shutdown()
        server.server_close()

    assert created.status_code == 200
    assert read.json()["status"] == "incomplete"
    assert "Klarna.Payments" in script.text


def test_emulator_wsgi_app_serves_the_emulator_at_its_root(db):
    """``gunicorn 'klarna_emulator.wsgi:create_app()'`` (what the load bench runs)."""
    from io import BytesIO
    from wsgiref.util import setup_testing_defaults

    from django.urls import set_urlconf

    from klarna_emulator.wsgi import EmulatorWSGIHandler, create_app

    app = create_app()
    environ = {"PATH_INFO": "/kp/lib/v1/api.js", "REQUEST_METHOD": "GET", "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    statuses = []
    try:
        body = b"".join(app(environ, lambda status, headers: statuses.append(status)))
    finally:
        set_urlconf(None)  # the handler leaves its URLconf on this thread, as in its own process

    assert isinstance(app, EmulatorWSGIHandler)
    assert statuses == ["200 OK"]
    assert b"Klarna.Payments" in body
