"""HTTP caching of /graphql that cannot leak: catalog and store reads over GET are public (with an
ETag, 304 and Vary); anything touching a cart or a customer, anything sent with a bearer token,
any mutation, any POST and any error is ``private, no-store``."""

import itertools
import json
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from graphql import parse

from shop import customers
from shop.graphql.http_cache import PUBLIC_ROOT_FIELDS, is_public_operation, root_field_names

pytestmark = pytest.mark.django_db

PRODUCTS = '{ products(search: "duffle") { total_count items { sku name } } }'
PRIVATE = "private, no-store"
EMAIL = "anna@example.com"


def get(client, query, variables=None, **headers):
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return client.get("/graphql?" + urlencode(params), CONTENT_TYPE="application/json", **headers)


def post(client, query, variables=None, **headers):
    body = json.dumps({"query": query, "variables": variables or {}})
    return client.post("/graphql", body, content_type="application/json", **headers)


def is_public(response) -> bool:
    return response.get("Cache-Control", "").startswith("public")


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


@pytest.fixture
def cart_id(client, product):
    cart = post(client, "mutation { createGuestCart { cart { id } } }").json()["data"]["createGuestCart"][
        "cart"
    ]["id"]
    added = post(
        client,
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) '
        "{ user_errors { message } } }",
        {"c": cart},
    )
    assert added.json()["data"]["addProductsToCart"]["user_errors"] == []
    return cart


@pytest.fixture
def bearer(db):
    user = customers.create_customer(
        email=EMAIL, firstname="Anna", lastname="Muster", password="Correct-Horse-42"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {customers.issue_token(user).token}"}


# --- public answers -----------------------------------------------------------------------------------


def test_catalog_query_over_get_is_public_with_etag_and_vary(client, product):
    response = get(client, PRODUCTS)

    assert response.status_code == 200
    assert response.json()["data"]["products"]["total_count"] == 1
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    assert {"store", "content-currency", "authorization"} <= vary(response)
    assert not response.cookies


@pytest.mark.parametrize(
    "query",
    [
        "{ storeConfig { store_code locale base_currency_code minimum_password_length } }",
        "{ availableStores(useCurrentGroup: true) { store_code store_name } }",
        "{ currency { base_currency_code base_currency_symbol exchange_rates { currency_to rate } } }",
        "query getStoreName { storeConfig { store_code store_name } }",
    ],
)
def test_store_queries_over_get_are_public(client, query):
    response = get(client, query, HTTP_STORE="default")

    assert response.status_code == 200
    assert "errors" not in response.json()
    assert response["Cache-Control"] == "public, max-age=300"
    assert {"store", "content-currency"} <= vary(response)
    assert not response.cookies


def test_store_config_for_an_unknown_store_is_private(client):
    response = get(client, "{ storeConfig { store_code } }", HTTP_STORE="nowhere")

    assert response.json()["errors"][0]["message"] == "Requested store is not found"
    assert response["Cache-Control"] == PRIVATE


@override_settings(GRAPHQL_CACHE_MAX_AGE=60)
def test_max_age_is_configurable(client, product):
    assert get(client, PRODUCTS)["Cache-Control"] == "public, max-age=60"


def test_same_answer_has_the_same_etag_and_a_changed_one_another(client, product):
    first = get(client, PRODUCTS)["ETag"]
    assert get(client, PRODUCTS)["ETag"] == first

    product.name = "Joust Duffle Bag II"
    product.save()

    assert get(client, PRODUCTS)["ETag"] != first


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_matching_if_none_match_is_answered_304_without_a_body(client, product, header):
    etag = get(client, PRODUCTS)["ETag"]

    response = get(client, PRODUCTS, HTTP_IF_NONE_MATCH=header.format(etag=etag))

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=300"
    assert {"store", "content-currency", "authorization"} <= vary(response)


def test_stale_if_none_match_gets_the_full_answer(client, product):
    response = get(client, PRODUCTS, HTTP_IF_NONE_MATCH='"stale"')

    assert response.status_code == 200
    assert response.json()["data"]["products"]["total_count"] == 1


@pytest.mark.parametrize(
    "query", ["{ __typename }", "{ __schema { queryType { name } } }", '{ __type(name: "Cart") { name } }']
)
def test_introspection_over_get_is_public(client, query):
    assert is_public(get(client, query))


def test_public_answer_sets_no_cookie_even_for_a_shopper_with_a_session(client, cart_id):
    client.post("/cart/add/", {"sku": "24-MB01", "qty": 1})
    assert client.cookies.get("sessionid")

    response = get(client, PRODUCTS)

    assert is_public(response)
    assert not response.cookies


def test_a_cookie_set_below_the_view_turns_a_public_answer_private(client, product):
    # A session cookie naming no session: Django's session middleware answers with a Set-Cookie
    # deleting it. A cache must never hand that to everyone.
    client.cookies["sessionid"] = "NOT-A-SESSION-KEY"
    response = get(client, PRODUCTS)

    assert response.cookies
    assert response["Cache-Control"] == PRIVATE


# --- private answers ----------------------------------------------------------------------------------


def test_cart_query_over_get_is_private(client, cart_id):
    response = get(
        client, "query($id: String!) { cart(cart_id: $id) { id total_quantity } }", {"id": cart_id}
    )

    assert response.json()["data"]["cart"] == {"id": cart_id, "total_quantity": 1}
    assert response["Cache-Control"] == PRIVATE
    assert not response.has_header("ETag")


def test_mixed_document_catalog_beside_cart_is_private(client, cart_id):
    query = 'query($id: String!) { products(search: "duffle") { total_count } cart(cart_id: $id) { id } }'

    response = get(client, query, {"id": cart_id})

    assert response.json()["data"]["cart"]["id"] == cart_id
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize(
    "query",
    [
        # the cart through a fragment spread on Query
        'query($id: String!) { products(search: "duffle") { total_count } ...C } '
        "fragment C on Query { cart(cart_id: $id) { id } }",
        # through an inline fragment
        "query($id: String!) { ... on Query { cart(cart_id: $id) { id } } }",
        # aliased as a public field
        "query($id: String!) { products: cart(cart_id: $id) { id } }",
        # fields named like public ones inside the cart
        "query($id: String!) { cart(cart_id: $id) { id items { product { sku name } } } }",
        # a fragment that spreads another
        "query($id: String!) { ...A } fragment A on Query { __typename ...B } fragment B on Query { cart(cart_id: $id) { id } }",
    ],
)
def test_cart_hidden_in_fragments_or_aliases_is_private(client, cart_id, query):
    response = get(client, query, {"id": cart_id})

    assert cart_id in response.content.decode()
    assert response["Cache-Control"] == PRIVATE


def test_customer_query_with_bearer_token_is_private(client, bearer):
    response = get(client, "{ customer { email } customerCart { id } }", **bearer)

    assert response.json()["data"]["customer"]["email"] == EMAIL
    assert response["Cache-Control"] == PRIVATE


def test_catalog_query_with_bearer_token_is_private(client, product, bearer):
    response = get(client, PRODUCTS, **bearer)

    assert response.json()["data"]["products"]["total_count"] == 1
    assert response["Cache-Control"] == PRIVATE


def test_invalid_bearer_token_answer_is_private(client, product):
    response = get(client, PRODUCTS, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401
    assert response["Cache-Control"] == PRIVATE


def test_catalog_query_over_post_is_private(client, product):
    response = post(client, PRODUCTS)

    assert response.json()["data"]["products"]["total_count"] == 1
    assert response["Cache-Control"] == PRIVATE


def test_mutation_is_private(client, product):
    response = post(client, "mutation { createGuestCart { cart { id } } }")

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize(
    "query",
    [
        '{ products(search: "duffle", pageSize: 0) { total_count } }',  # a resolver error
        "{ products(search: ",  # a syntax error
        "{ products { no_such_field } }",  # a validation error
        "mutation { createGuestCart { cart { id } } }",  # refused over GET
    ],
)
def test_errors_are_private(client, product, query):
    response = get(client, query)

    assert "errors" in response.json()
    assert response["Cache-Control"] == PRIVATE
    assert not response.has_header("ETag")


def test_unknown_store_error_is_private(client, product):
    response = get(client, PRODUCTS, HTTP_STORE="nowhere")

    assert response.json()["errors"][0]["message"] == "Requested store is not found"
    assert response["Cache-Control"] == PRIVATE


# --- no cart or customer data is ever cacheable: every combination --------------------------------------

ROOT_FIELDS = {
    "products": 'products(search: "duffle") { total_count }',
    "__typename": "__typename",
    "cart": "cart(cart_id: $id) { id }",
    "customerCart": "customerCart { id }",
    "customer": "customer { email }",
}
SHAPES = {
    "plain": lambda name, field: field,
    "alias": lambda name, field: f"products: {field}" if name != "products" else f"cart: {field}",
    "fragment": lambda name, field: f"...F_{name.strip('_')}",
    "inline": lambda name, field: f"... on Query {{ {field} }}",
}


def document(names: tuple[str, ...], shape: str) -> str:
    selections = " ".join(SHAPES[shape](name, ROOT_FIELDS[name]) for name in names)
    fragments = (
        " ".join(f"fragment F_{name.strip('_')} on Query {{ {ROOT_FIELDS[name]} }}" for name in names)
        if shape == "fragment"
        else ""
    )
    variables = "($id: String!)" if "cart" in names else ""
    return f"query{variables} {{ {selections} }} {fragments}"


def test_no_answer_holding_cart_or_customer_data_is_ever_public(client, cart_id, bearer):
    combinations = [c for r in (1, 2) for c in itertools.combinations(ROOT_FIELDS, r)]
    seen_public = 0
    for names, shape, method, token in itertools.product(
        combinations, SHAPES, ("GET", "POST"), (False, True)
    ):
        send = get if method == "GET" else post
        headers = bearer if token else {}
        variables = {"id": cart_id} if "cart" in names else None
        response = send(client, document(names, shape), variables, **headers)
        body = response.content.decode()
        holds_private_data = cart_id in body or EMAIL in body or '"customerCart"' in body
        label = (names, shape, method, token, response.get("Cache-Control"))
        if holds_private_data:
            assert not is_public(response), label
        expected_public = method == "GET" and not token and set(names) <= {"products", "__typename"}
        assert is_public(response) == expected_public, label
        seen_public += is_public(response)
    assert seen_public == 12  # 3 public documents x 4 shapes: the rule is not "never public"


# --- the decision itself, on documents no schema knows ---------------------------------------------


def operation_of(source: str):
    doc = parse(source)
    return doc, doc.definitions[0]


def test_a_root_field_not_in_the_list_is_private_even_if_it_does_not_exist_yet():
    doc, operation = operation_of("{ products { total_count } wishlist { id } }")

    assert root_field_names(doc, operation) == {"products", "wishlist"}
    assert not is_public_operation(doc, operation)


def test_a_fragment_missing_from_the_document_is_private():
    doc, operation = operation_of("{ ...Nowhere }")

    assert root_field_names(doc, operation) is None
    assert not is_public_operation(doc, operation)


def test_public_fields_only_is_public_and_a_mutation_never_is():
    assert is_public_operation(*operation_of("{ storeConfig { code } countries { id } }"))
    assert not is_public_operation(*operation_of("mutation { products { id } }"))
    assert not is_public_operation(*operation_of("subscription { products { id } }"))


def test_the_public_list_names_no_cart_customer_or_order_field():
    assert not {"cart", "customerCart", "customer", "customerOrders", "isEmailAvailable"} & PUBLIC_ROOT_FIELDS
