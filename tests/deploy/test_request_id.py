"""Request ids: taken from X-Request-ID when sane, else generated; answered, and in every log line."""

import io
import json
import logging
import re

import pytest

from shop.logs import JsonFormatter
from shop.request_id import RequestIdFilter, accept_request_id, current_request_id


def test_a_sane_client_id_is_kept_and_answered(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42_x:1")

    assert response["X-Request-ID"] == "lb-7f3a.42_x:1"


@pytest.mark.parametrize(
    "sent",
    [None, "", "a" * 129, "has space", 'quote"d', "new\nline", "-starts-with-dash", "ümlaut"],
)
def test_a_missing_or_insane_id_is_replaced_by_a_uuid4_hex(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    response = client.get("/healthz", **headers)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_ids_up_to_128_characters_are_accepted():
    assert accept_request_id("a" * 128) == "a" * 128


def test_each_request_gets_its_own_id_and_none_leaks_out(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second
    assert current_request_id() == ""


@pytest.fixture
def json_log():
    """The JSON lines the shop's handler would write, for the GraphQL operation logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("shop.graphql.operation")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(old_level)


@pytest.mark.django_db
def test_graphql_operation_is_logged_with_the_request_id_and_without_variables(gql, json_log):
    gql.post(
        "query GetCart($id: String!) { cart(cart_id: $id) { id email } }",
        {"id": "erika.mustermann@example.com-secret-token"},
        HTTP_X_REQUEST_ID="trace-123",
    )

    [line] = json_log()
    assert line["request_id"] == "trace-123"
    assert line["logger"] == "shop.graphql.operation"
    assert line["message"] == "GraphQL query GetCart (cart)"
    assert line["graphql_operation"] == "GetCart"
    assert line["graphql_fields"] == ["cart"]
    assert "erika" not in json.dumps(line)
    assert "secret-token" not in json.dumps(line)


@pytest.mark.django_db
def test_anonymous_operations_are_logged_as_such(gql, json_log):
    gql.post('{ products(search: "bag") { total_count } }')

    [line] = json_log()
    assert line["message"] == "GraphQL query anonymous (products)"
    assert line["request_id"] != "-"
