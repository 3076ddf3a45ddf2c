"""/healthz and /readyz: JSON, no authentication, no secrets, honest about what they check."""

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query would fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_is_ok_when_database_migrations_and_klarna_are(client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "migrations": {"ok": True},
            "klarna": {"ok": True, "environment": "emulator", "enabled": True, "calls_klarna": False},
        },
    }


@pytest.mark.django_db
def test_readyz_is_unavailable_with_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"] == {
        "ok": False,
        "error": "1 unapplied migration(s); run manage.py migrate",
    }


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_is_down(client, monkeypatch):
    from shop import health

    def broken_cursor(*args, **kwargs):
        raise health.connections["default"].Database.OperationalError("connection refused to db.internal")

    monkeypatch.setattr(health.connections["default"], "cursor", broken_cursor)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "database unreachable"}
    assert b"db.internal" not in response.content


@pytest.mark.django_db
@override_settings(KLARNA_ENVIRONMENT="production", KLARNA_API_USERNAME="", KLARNA_API_PASSWORD="")
def test_readyz_is_unavailable_without_klarna_credentials_outside_the_emulator(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["klarna"] == {
        "ok": False,
        "environment": "production",
        "enabled": True,
        "calls_klarna": False,
        "error": "KLARNA_API_USERNAME/KLARNA_API_PASSWORD not set",
    }


@pytest.mark.django_db
@override_settings(
    KLARNA_ENVIRONMENT="production", KLARNA_API_USERNAME="PK_live_user", KLARNA_API_PASSWORD="very-secret"
)
def test_readyz_never_shows_credentials(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert b"PK_live_user" not in response.content
    assert b"very-secret" not in response.content


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_are_not_redirected_to_https(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/graphql").status_code == 301
