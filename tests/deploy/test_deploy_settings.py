"""Deploy settings: `check --deploy` clean under DEBUG=false, dev defaults under DEBUG=true."""

import json

from tests.deploy.conftest import clean_env, manage, production_env


def test_check_deploy_reports_only_the_klarna_mode_with_debug_false():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "(payments_klarna.I002) Klarna: playground (region eu)." in output
    assert "System check identified 1 issue (0 silenced)." in output


def test_check_deploy_complains_about_a_weak_secret_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECRET_KEY="short"))

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_settings_refuse_to_start_with_debug_false_and_no_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false." in result.stderr


def _settings(env: dict, *names: str) -> dict:
    code = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_secure_and_driven_by_the_environment():
    values = _settings(
        production_env(SECURE_HSTS_SECONDS="300"),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
        "LOG_FORMAT",
        "STORAGES",
    )

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 300
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://shop.example.com"]
    assert values["LOG_FORMAT"] == "json"
    assert (
        values["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_development_defaults_keep_plain_http_working():
    values = _settings(
        clean_env(DEBUG="true"),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "LOG_FORMAT",
        "CACHES",
        "SESSION_ENGINE",
    )

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["LOG_FORMAT"] == "text"
    assert values["CACHES"]["default"]["BACKEND"] == "shop.cache.backends.DatabaseCache"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_redis_url_switches_cache_and_sessions_to_redis():
    values = _settings(
        clean_env(DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/3"), "CACHES", "SESSION_ENGINE"
    )

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    result = manage("collectstatic", "--noinput", env=production_env(STATIC_ROOT=str(tmp_path)), timeout=120)

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert manifest["paths"], "nothing collected"
    hashed = next(iter(manifest["paths"].values()))
    assert (tmp_path / hashed).exists()
    assert any(tmp_path.rglob("*.gz"))


def test_debug_false_without_email_url_refuses_to_start_naming_the_variable():
    env = production_env()
    del env["EMAIL_URL"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "EMAIL_URL must be set when DEBUG is false" in result.stderr


def test_debug_false_refuses_the_console_email_backend():
    result = manage("check", env=production_env(EMAIL_URL="consolemail://"))

    assert result.returncode != 0
    assert "EMAIL_URL=consolemail:// is refused when DEBUG is false" in result.stderr


def test_email_url_configures_djangos_smtp_backend():
    values = _settings(
        production_env(EMAIL_URL="smtp+tls://shop:mail-secret@mail.example.com:587"),
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "shop",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "shop@shop.example.com",
    }


def test_debug_true_prints_mail_on_the_console_by_default():
    values = _settings(clean_env(DEBUG="true"), "EMAIL_BACKEND")

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
