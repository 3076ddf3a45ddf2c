"""/graphql refuses oversized or abusive documents with GraphQL errors, never a 500."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def post(client, body, **kwargs):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/graphql", data, content_type="application/json", **kwargs)


def test_trivial_query_answers(client):
    response = post(client, {"query": "{ __typename }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_malformed_json_is_a_graphql_error(client):
    response = post(client, "{not json")

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "POST body sent invalid JSON."}]}


def test_alias_amplification_is_refused(client):
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1001)) + " }"

    response = post(client, {"query": query})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The query selects too many fields: 1001, at most 1000."


@override_settings(GRAPHQL_MAX_DEPTH=3)
def test_too_deep_documents_are_refused(client):
    query = '{ cart(cart_id: "x") { items { product { price_range { minimum_price { final_price { value } } } } } } }'

    response = post(client, {"query": query})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("The query is too deep: 7 levels")


def test_oversized_body_is_refused_before_parsing(client):
    response = post(client, {"query": "{ __typename }", "pad": "x" * 300_000})

    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "Request body is too large."}]}


def test_wrong_variable_type_is_a_graphql_error(client):
    query = 'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "a", quantity: 1}]) { cart { id } } }'

    response = post(client, {"query": query, "variables": {"c": 5}})

    assert response.status_code == 400
    assert "String cannot represent a non string value: 5" in response.json()["errors"][0]["message"]


def test_repeated_document_is_served_from_the_document_cache(client):
    from shop.graphql import view

    query = "{ __typename cacheProbe: __typename }"
    post(client, {"query": query})
    cached = view._documents._items.get(query)

    post(client, {"query": query})

    assert cached is not None and view._documents._items[query] is cached


@pytest.mark.parametrize(
    "body",
    [
        {
            "query": 'mutation { setGuestEmailOnCart(input: {cart_id: "\\u0000", email: "a@b.c"}) { cart { id } } }'
        },
        {
            "query": 'mutation($c: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: "a@b.c"}) { cart { id } } }',
            "variables": {"c": "abc\x00def"},
        },
    ],
)
def test_nul_characters_are_refused_before_reaching_the_database(client, body):
    response = post(client, body)

    error = response.json()["errors"][0]
    assert error["message"] == "Input must not contain NUL characters."
    assert error["extensions"] == {"category": "graphql-input"}
