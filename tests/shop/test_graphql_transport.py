"""/graphql as Magento serves it: queries over GET as Apollo sends them, mutations only over POST,
the Store and Content-Currency headers, GraphiQL for a browser while DEBUG, and bad requests
answered with Magento's message and category — never a 500, nothing written."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from cart.models import Cart

pytestmark = pytest.mark.django_db

CREATE_CART = "mutation CreateCart { createGuestCart { cart { id } } }"
PRODUCTS = "query Products($search: String) { products(search: $search) { total_count items { sku } } }"
INPUT = {"category": "graphql-input"}


def get(client, content_type="application/json", **params):
    """A GET as Venia's Apollo link sends it: parameters in the URL, a JSON Content-Type, no body.
    ``HTTP_*`` keywords are request headers."""
    headers = {name: params.pop(name) for name in list(params) if name.startswith("HTTP_")}
    if content_type:
        headers["CONTENT_TYPE"] = content_type
    return client.get("/graphql?" + urlencode(params), **headers)


def post(client, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/graphql", data, content_type="application/json", **headers)


def only_error(response) -> dict:
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]


# --- queries over GET ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "text/plain", None]
)
def test_get_query_runs_whatever_content_type_the_client_sends(client, product, content_type):
    response = get(
        client,
        content_type=content_type,
        query=PRODUCTS,
        operationName="Products",
        variables=json.dumps({"search": "duffle"}),
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"products": {"total_count": 1, "items": [{"sku": "24-MB01"}]}}}


def test_get_runs_the_operation_named_by_operation_name(client, product):
    document = PRODUCTS + " query Typename { __typename }"

    response = get(client, query=document, operationName="Typename")

    assert response.json() == {"data": {"__typename": "Query"}}


def test_get_with_null_variables_runs(client, product):
    response = get(client, query='{ products(search: "duffle") { total_count } }', variables="null")

    assert response.json() == {"data": {"products": {"total_count": 1}}}


def test_get_ignores_a_body_it_was_sent(client, product):
    response = client.generic(
        "GET",
        "/graphql?" + urlencode({"query": "{ __typename }"}),
        b"{not json",
        content_type="application/json",
    )

    assert response.json() == {"data": {"__typename": "Query"}}


def test_post_still_answers_json_bodies(client):
    response = post(client, {"query": "{ __typename }"})

    assert response.json() == {"data": {"__typename": "Query"}}


def test_put_is_not_allowed(client):
    response = client.put(
        "/graphql", json.dumps({"query": "{ __typename }"}), content_type="application/json"
    )

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json() == {"errors": [{"message": "GraphQL only supports GET and POST requests."}]}


# --- Store and Content-Currency headers ---------------------------------------------------------------


@pytest.mark.parametrize("store", ["default", " default "])
def test_store_header_naming_the_store_is_accepted(client, product, store):
    response = get(client, query=PRODUCTS, variables='{"search": "duffle"}', HTTP_STORE=store)

    assert response.json()["data"]["products"]["total_count"] == 1


@override_settings(STORE_CODE="de")
def test_store_code_is_configurable(client):
    assert get(client, query="{ __typename }", HTTP_STORE="de").json() == {"data": {"__typename": "Query"}}
    assert only_error(get(client, query="{ __typename }", HTTP_STORE="default"))["message"] == (
        "Requested store is not found"
    )


@pytest.mark.parametrize("currency", ["EUR", "eur", " EUR"])
def test_content_currency_of_the_store_is_accepted(client, currency):
    response = get(client, query="{ __typename }", HTTP_CONTENT_CURRENCY=currency)

    assert response.json() == {"data": {"__typename": "Query"}}


def test_store_and_currency_headers_are_accepted_on_mutations(client):
    response = post(client, {"query": CREATE_CART}, HTTP_STORE="default", HTTP_CONTENT_CURRENCY="EUR")

    assert len(response.json()["data"]["createGuestCart"]["cart"]["id"]) == 32


# --- bad input: Magento's message and category, never a 500, nothing written ---------------------------


def test_mutation_over_get_is_refused_and_writes_nothing(client):
    response = get(client, query=CREATE_CART, operationName="CreateCart")

    assert response.status_code == 200  # Magento answers its request validators' errors with 200
    assert response.json() == {
        "errors": [{"message": "Mutation requests allowed only for POST requests", "extensions": INPUT}]
    }
    assert Cart.objects.count() == 0


def test_query_string_beyond_the_limit_is_refused(client):
    with override_settings(GRAPHQL_MAX_QUERY_LENGTH=200):
        response = get(client, query="{ __typename " + "a: __typename " * 20 + "}")

    assert response.status_code == 414
    assert response.json() == {"errors": [{"message": "The query is too long.", "extensions": INPUT}]}


def test_malformed_variables_json_is_refused_and_writes_nothing(client):
    response = post(client, {"query": CREATE_CART, "variables": "{not json"})

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Unable to parse the variables.", "extensions": INPUT}]}
    assert Cart.objects.count() == 0


def test_malformed_variables_json_over_get_is_refused(client):
    response = get(client, query=PRODUCTS, variables='{"search": ')

    assert response.status_code == 400
    assert only_error(response) == {"message": "Unable to parse the variables.", "extensions": INPUT}


@pytest.mark.parametrize("variables", ["[1]", "5", '"text"'])
def test_variables_that_are_not_an_object_are_refused(client, variables):
    response = get(client, query=PRODUCTS, variables=variables)

    assert response.status_code == 400
    assert only_error(response) == {"message": "Variables must be a JSON object.", "extensions": INPUT}


def test_unknown_operation_name_is_refused_and_writes_nothing(client):
    response = post(client, {"query": CREATE_CART, "operationName": "Elsewhere"})

    assert response.status_code == 400
    assert only_error(response) == {"message": 'Unknown operation named "Elsewhere".', "extensions": INPUT}
    assert Cart.objects.count() == 0


def test_unknown_store_code_is_refused_and_writes_nothing(client):
    response = post(client, {"query": CREATE_CART}, HTTP_STORE="nowhere")

    assert response.status_code == 200
    assert response.json() == {"errors": [{"message": "Requested store is not found", "extensions": INPUT}]}
    assert Cart.objects.count() == 0


def test_currency_other_than_the_store_currency_is_refused_and_writes_nothing(client):
    response = post(client, {"query": CREATE_CART}, HTTP_CONTENT_CURRENCY="USD")

    assert response.status_code == 200
    assert response.json() == {
        "errors": [{"message": "Please correct the target currency", "extensions": INPUT}]
    }
    assert Cart.objects.count() == 0


def test_missing_query_is_refused(client):
    response = get(client, operationName="Products", variables="{}")

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Must provide query string.", "extensions": INPUT}]}


# --- GraphiQL ---------------------------------------------------------------------------------------


def test_graphiql_is_served_to_a_browser_while_debug(client, settings):
    settings.DEBUG = True

    response = client.get("/graphql", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b'<div id="editor">' in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_graphiql_page_loads_only_same_origin_files(client, settings):
    settings.DEBUG = True

    html = client.get("/graphql", HTTP_ACCEPT="text/html").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert len(sources) == 8  # 2 stylesheets, 5 libraries, graphene-django's graphiql.js
    assert all(source.startswith("/static/") for source in sources), sources


def test_graphiql_is_not_served_without_debug(client, settings):
    settings.DEBUG = False

    response = client.get("/graphql", HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Must provide query string."


def test_raw_asks_for_json_even_from_a_browser(client, settings):
    settings.DEBUG = True

    response = client.get("/graphql?raw&query={__typename}", HTTP_ACCEPT="text/html")

    assert response.json() == {"data": {"__typename": "Query"}}
