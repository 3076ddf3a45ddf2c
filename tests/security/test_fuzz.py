"""Operations generated from the schema (hypothesis-graphql): 2,000 documents, no 500, no traceback.

Valid documents with random arguments exercise every resolver's input handling; the cart ids
they carry are random strings, so resolvers answer with Magento's errors, never a crash.
"""

import json

import pytest
from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import strategies as gql_st

from shop.schema import schema

pytestmark = pytest.mark.django_db

SDL = print_schema(schema.graphql_schema)
FUZZ = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    database=None,
)


def assert_clean(client, query: str):
    response = client.post("/graphql", json.dumps({"query": query}), content_type="application/json")
    body = response.content.decode()
    assert response.status_code in (200, 400, 413), (response.status_code, query, body[:500])
    assert "Traceback" not in body and 'File "' not in body, (query, body[:500])
    assert "Internal server error" not in body, (query, body[:500])
    payload = json.loads(body)
    assert "data" in payload or "errors" in payload


@FUZZ
@given(query=gql_st.queries(SDL))
def test_generated_queries_never_crash(client, product, query):
    assert_clean(client, query)


@FUZZ
@given(query=gql_st.mutations(SDL))
def test_generated_mutations_never_crash(client, product, query):
    assert_clean(client, query)
