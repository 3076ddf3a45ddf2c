"""Venia's documents from the extracted fixture, customers to send them as, and a client that
sends them the way Venia's Apollo link does."""

import json
from urllib.parse import urlencode

import pytest
from graphql import OperationDefinitionNode, OperationType, parse

from tests.customers.conftest import PASSWORD, anna, anna_auth, bearer, ben, make_customer, token_of  # noqa: F401

from .extract import load_fixture

_OPERATIONS = load_fixture()["operations"]


def venia(name: str, file: str | None = None) -> str:
    """The document Venia sends for operation ``name`` (``file`` picks one when Venia defines
    the name in several files with different documents)."""
    found = {
        o["document"] for o in _OPERATIONS if o["name"] == name and (file is None or o["file"].endswith(file))
    }
    assert len(found) == 1, f"{name}: {len(found)} documents in the fixture"
    return found.pop()


@pytest.fixture
def allowed_countries(settings):
    settings.ALLOWED_COUNTRIES = ["AT", "DE", "GB", "US"]
    return settings.ALLOWED_COUNTRIES


class Apollo:
    """Sends documents as Venia's Apollo link does: a query as a GET with ``query``,
    ``operationName`` and ``variables`` (JSON) in the URL and a JSON ``Content-Type``; a mutation
    as a POST with a JSON body; the ``Store`` header always, ``Authorization: Bearer`` once
    signed in. ``run`` fails the test on any error and returns ``data``."""

    def __init__(self, client, store: str):
        self.client = client
        self.headers = {"HTTP_STORE": store}
        self.methods: list[tuple[str, str]] = []  # (HTTP method, operation name), in order sent

    def sign_in(self, token: str) -> None:
        self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def run(self, document: str, variables: dict | None = None) -> dict:
        (operation,) = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
        name = operation.name.value
        params = {"query": document, "operationName": name, "variables": json.dumps(variables or {})}
        if operation.operation == OperationType.QUERY:
            response = self.client.get(
                "/graphql?" + urlencode(params), CONTENT_TYPE="application/json", **self.headers
            )
            self.methods.append(("GET", name))
        else:
            response = self.client.post(
                "/graphql",
                json.dumps(params | {"variables": variables or {}}),
                "application/json",
                **self.headers,
            )
            self.methods.append(("POST", name))
        assert response.status_code == 200, (name, response.content[:500])
        body = response.json()
        assert "errors" not in body, (name, body["errors"])
        return body["data"]


@pytest.fixture
def apollo(client, settings) -> Apollo:
    return Apollo(client, settings.STORE_CODE)


__all__ = ["PASSWORD", "Apollo", "bearer", "venia"]
