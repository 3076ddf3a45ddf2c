"""Broken requests get GraphQL errors (HTTP 400 or 200 with ``errors``), never a 500 page."""

import json

import pytest

from cart.models import Cart


def post_raw(client, body, content_type="application/json"):
    return client.post("/graphql", data=body, content_type=content_type)


def test_malformed_json_body_is_a_400_graphql_error(client, db):
    response = post_raw(client, '{"query": "{ cart(cart_id: ')

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "POST body sent invalid JSON."}]}


@pytest.mark.parametrize(
    "body",
    [
        json.dumps([1, 2]),
        json.dumps({"query": 5}),
        json.dumps({"query": '{ cart(cart_id: "x") { id } }', "variables": [1]}),
        json.dumps({"query": '{ cart(cart_id: "x") { id } }', "variables": "{not json"}),
        json.dumps({}),
        json.dumps({"query": '{ cart(cart_id: "x") { id } }', "operationName": "Nope"}),
    ],
)
def test_wrong_envelope_shapes_are_graphql_errors(client, db, body):
    response = post_raw(client, body)

    assert response.status_code in (200, 400)
    errors = response.json()["errors"]
    assert errors and all(isinstance(e["message"], str) and e["message"] for e in errors)


def test_unknown_field_is_a_validation_error(gql, db):
    result = gql.post('{ cart(cart_id: "x") { id no_such_field } }')

    assert result["errors"][0]["message"] == "Cannot query field 'no_such_field' on type 'Cart'."
    assert "data" not in result


def test_unknown_argument_is_a_validation_error(gql, db):
    result = gql.post("mutation { createGuestCart(nope: 1) { cart { id } } }")

    assert result["errors"][0]["message"] == "Unknown argument 'nope' on field 'Mutation.createGuestCart'."
    assert not Cart.objects.exists()


def test_wrong_variable_type_is_an_error(gql, db):
    result = gql.post("query($id: String!) { cart(cart_id: $id) { id } }", {"id": 5})

    assert result["errors"][0]["message"] == (
        "Variable '$id' got invalid value 5; String cannot represent a non string value: 5"
    )


def test_wrong_literal_type_in_input_is_an_error(gql, db):
    result = gql.post(
        'mutation { addProductsToCart(cartId: "x", cartItems: [{sku: "a", quantity: "two"}]) { cart { id } } }'
    )

    assert result["errors"][0]["message"] == 'Float cannot represent non numeric value: "two"'


def test_missing_required_variable_is_an_error(gql, db):
    result = gql.post("query($id: String!) { cart(cart_id: $id) { id } }", {})

    assert result["errors"][0]["message"] == "Variable '$id' of required type 'String!' was not provided."


def test_syntax_error_is_an_error(gql, db):
    result = gql.post("{ cart(cart_id: ")

    assert result["errors"][0]["message"].startswith("Syntax Error")


def test_form_encoded_post_without_query_is_an_error(client, db):
    response = client.post("/graphql", data={"nothing": "here"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Must provide query string."


def test_unexpected_exception_is_hidden_behind_internal_error(gql, carts, monkeypatch):
    cart_id = carts.create()

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("cart.graphql.view.compute_totals", boom)
    result = gql.post(
        "query($id: String!) { cart(cart_id: $id) { prices { grand_total { value } } } }", {"id": cart_id}
    )

    assert result["errors"][0]["message"] == "Internal server error"
    assert result["errors"][0]["extensions"] == {"category": "internal"}
    assert "secret" not in json.dumps(result)


def test_domain_error_keeps_path_and_locations(gql, db):
    result = gql.post('{ cart(cart_id: "missing") { id } }')

    assert result == {
        "errors": [
            {
                "message": 'Could not find a cart with ID "missing"',
                "locations": [{"line": 1, "column": 3}],
                "path": ["cart"],
                "extensions": {"category": "graphql-no-such-entity"},
            }
        ],
        "data": {"cart": None},
    }
