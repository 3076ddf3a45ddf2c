"""Helpers for tests that run the shop as an operator would: in subprocesses, with an environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# 50 characters, varied: passes check --deploy's SECRET_KEY strength test.
STRONG_SECRET_KEY = "k3Jd9-xQ2pL7vR8sT1uW4yZ6aB0cD5eF-gH2iJ3kL4mN5oP6qR7sT8uV9wX0"


def clean_env(**overrides) -> dict:
    """The test process's environment without any shop setting, plus ``overrides``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KLARNA_", "SECURE_", "GUNICORN_"))
        and key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "LOG_FORMAT",
            "LOG_LEVEL",
            "CACHE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "DEFAULT_FROM_EMAIL",
        }
    }
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    env.update(overrides)
    return env


def production_env(**overrides) -> dict:
    settings = {
        "DEBUG": "false",
        "SECRET_KEY": STRONG_SECRET_KEY,
        "ALLOWED_HOSTS": "shop.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://shop.example.com",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        # DEBUG=false refuses to start without a real Klarna account (or Klarna turned off).
        "KLARNA_ENVIRONMENT": "playground",
        "KLARNA_API_USERNAME": "PK_test_deploy",
        "KLARNA_API_PASSWORD": "deploy-secret",
        # ... nor without a mail server for the order emails (the console backend is refused).
        "EMAIL_URL": "smtp+tls://shop:mail-secret@mail.example.com:587",
        "DEFAULT_FROM_EMAIL": "shop@shop.example.com",
    }
    return clean_env(**{**settings, **overrides})


def manage(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def run_manage():
    return manage
