"""Log format: JSON lines (LOG_FORMAT=json) with the request id; secrets in callback URLs masked."""

import json
import logging

import pytest

from shop.logs import JsonFormatter, RedactSecretsFilter, logging_config
from tests.deploy.conftest import clean_env, manage


def _record(msg, args=(), name="shop.test", **extra):
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_time_level_logger_message_request_id_and_extras():
    line = JsonFormatter().format(_record("order %s placed", ("000000042",), request_id="r-1", order="42"))

    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "shop.test"
    assert entry["message"] == "order 000000042 placed"
    assert entry["request_id"] == "r-1"
    assert entry["order"] == "42"
    assert entry["time"].endswith("+00:00")


def test_exceptions_are_one_json_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert "RuntimeError: boom" in json.loads(line)["exception"]


def test_callback_secrets_are_masked_in_messages_and_arguments():
    record = _record("Not Found: %s", ("/klarna/notification/s3cr3t-abc/",))
    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "Not Found: /klarna/notification/[redacted]/"


def test_gunicorn_access_records_become_fields_with_the_request_id():
    atoms = {
        "m": "POST",
        "U": "/klarna/authorization/s3cr3t/",
        "s": "200",
        "M": "12",
        "{x-request-id}o": "r-9",
    }
    record = _record('"%(m)s %(U)s" %(s)s', (atoms,), name="gunicorn.access")
    RedactSecretsFilter().filter(record)

    entry = json.loads(JsonFormatter().format(record))

    assert entry["request_id"] == "r-9"
    assert entry["path"] == "/klarna/authorization/[redacted]/"
    assert entry["status"] == "200"
    assert "s3cr3t" not in json.dumps(entry)


def test_log_format_must_be_text_or_json():
    with pytest.raises(ValueError):
        logging_config("xml")


def test_log_format_json_makes_the_running_shop_write_json_lines():
    code = "import logging; logging.getLogger('shop.test').warning('hello %s', 'there')"

    result = manage("shell", "-c", code, env=clean_env(DEBUG="true", LOG_FORMAT="json", LOG_LEVEL="WARNING"))

    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "hello there"
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == "-"


def test_log_format_text_is_the_debug_default():
    code = "import logging; logging.getLogger('shop.test').warning('hello')"

    result = manage("shell", "-c", code, env=clean_env(DEBUG="true"))

    assert result.stderr.strip().splitlines()[-1].endswith("WARNING shop.test [-] hello")
