"""A production configuration never pays with the emulator and never starts without Klarna's account.

Each test starts the project in a subprocess with an operator's environment, as a deploy would.
"""

import json
import sqlite3

import pytest

from tests.deploy.conftest import clean_env, manage, production_env


def _without_klarna(**overrides) -> dict:
    """A production environment with no Klarna setting but ``overrides``."""
    env = production_env()
    for name in ("KLARNA_ENVIRONMENT", "KLARNA_API_USERNAME", "KLARNA_API_PASSWORD"):
        del env[name]
    return {**env, **overrides}


def _probe(env: dict, code: str):
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_false_without_klarna_settings_refuses_to_start_naming_the_variables():
    result = manage("check", env=_without_klarna())

    assert result.returncode != 0
    assert (
        "KLARNA_ENVIRONMENT must be set to playground or production (with KLARNA_API_USERNAME and "
        "KLARNA_API_PASSWORD) when DEBUG is false, or Klarna turned off with KLARNA_ENABLED=false."
    ) in result.stderr


def test_debug_false_with_credentials_but_no_environment_is_refused():
    result = manage("check", env=_without_klarna(KLARNA_API_USERNAME="PK_x", KLARNA_API_PASSWORD="s"))

    assert result.returncode != 0
    assert "KLARNA_ENVIRONMENT must be set to playground or production" in result.stderr


def test_debug_false_with_an_environment_but_no_credentials_is_refused():
    result = manage("check", env=_without_klarna(KLARNA_ENVIRONMENT="production"))

    assert result.returncode != 0
    assert (
        "KLARNA_API_USERNAME and KLARNA_API_PASSWORD must be set for KLARNA_ENVIRONMENT=production "
        "when DEBUG is false"
    ) in result.stderr


def test_debug_false_refuses_the_emulator_unless_explicitly_allowed():
    result = manage("check", env=_without_klarna(KLARNA_ENVIRONMENT="emulator"))

    assert result.returncode != 0
    assert "KLARNA_ENVIRONMENT=emulator is refused when DEBUG is false" in result.stderr


def test_an_unknown_environment_is_refused():
    result = manage("check", env=clean_env(DEBUG="true", KLARNA_ENVIRONMENT="sandbox"))

    assert result.returncode != 0
    assert "KLARNA_ENVIRONMENT must be emulator, playground or production." in result.stderr


def test_klarna_explicitly_disabled_starts_and_check_deploy_says_so():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_without_klarna(KLARNA_ENABLED="false")
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "(payments_klarna.I001) Klarna is turned off (KLARNA_ENABLED=false)." in result.stdout + result.stderr
    )


def test_the_emulator_allowed_without_debug_fails_check_deploy():
    env = _without_klarna(KLARNA_ENVIRONMENT="emulator", KLARNA_EMULATOR_WITHOUT_DEBUG="true")

    result = manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "(payments_klarna.E001) Klarna runs in emulator mode: orders are paid by nobody." in (
        result.stdout + result.stderr
    )


URLS_AND_APPS = (
    "import json; from django.apps import apps; from django.urls import resolve, Resolver404\n"
    "def found(path):\n"
    # The emulator answers an unmodelled path with Klarna's JSON 404 (its catch-all route): not found.
    "    try:\n        return resolve(path).url_name != 'not_modelled'\n"
    "    except Resolver404:\n        return False\n"
    "print(json.dumps({'installed': apps.is_installed('klarna_emulator'),"
    " 'api': found('/klarna-emulator/payments/v1/sessions'), 'faults': found('/klarna-emulator/_faults')}))"
)


def test_production_has_no_emulator_app_urls_or_fault_endpoint():
    assert _probe(production_env(), URLS_AND_APPS) == {"installed": False, "api": False, "faults": False}


def test_emulator_allowed_without_debug_serves_the_api_but_never_the_fault_endpoint():
    env = _without_klarna(KLARNA_ENVIRONMENT="emulator", KLARNA_EMULATOR_WITHOUT_DEBUG="true")

    assert _probe(env, URLS_AND_APPS) == {"installed": True, "api": True, "faults": False}


def test_development_runs_the_emulator_with_its_fault_endpoint():
    assert _probe(clean_env(DEBUG="true"), URLS_AND_APPS) == {"installed": True, "api": True, "faults": True}


def test_development_with_credentials_defaults_to_the_playground_without_the_emulator():
    env = clean_env(DEBUG="true", KLARNA_API_USERNAME="PK_test", KLARNA_API_PASSWORD="s")

    assert _probe(env, URLS_AND_APPS) == {"installed": False, "api": False, "faults": False}


@pytest.mark.parametrize(
    "env, emulator_tables",
    [
        (lambda p: production_env(DATABASE_URL=f"sqlite:///{p}"), False),
        (lambda p: clean_env(DEBUG="true", DATABASE_URL=f"sqlite:///{p}"), True),
    ],
    ids=["production", "emulator"],
)
def test_emulator_tables_exist_only_in_emulator_mode(tmp_path, env, emulator_tables):
    database = tmp_path / "db.sqlite3"

    result = manage("migrate", "--noinput", env=env(database), timeout=180)

    assert result.returncode == 0, result.stdout + result.stderr
    tables = {row[0] for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master")}
    assert "checkout_order" in tables
    assert any(name.startswith("klarna_emulator_") for name in tables) is emulator_tables
