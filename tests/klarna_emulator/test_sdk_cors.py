"""The emulated SDK's browser calls work cross-origin, as Klarna's do: a storefront on another
origin (Venia on its own server) loads the SDK from the shop and posts to it."""

from klarna_emulator.transport import BASE_URL

from .conftest import cart

LOAD = "/klarna-emulator/kp/sdk/load"


def test_preflight_allows_a_json_post_from_any_origin(client):
    response = client.options(
        LOAD,
        HTTP_ORIGIN="http://127.0.0.1:8140",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "POST"
    assert response["Access-Control-Allow-Headers"] == "Content-Type"


def test_answers_and_refusals_carry_the_cors_header(client, emulator_http):
    token = emulator_http.post(f"{BASE_URL}/payments/v1/sessions", json=cart()).json()["client_token"]

    loaded = client.post(
        LOAD, {"client_token": token, "payment_method_category": "pay_later"}, content_type="application/json"
    )
    refused = client.post(LOAD, {"client_token": "nope"}, content_type="application/json")

    assert loaded.status_code == 200 and loaded.json()["show_form"] is True
    assert loaded["Access-Control-Allow-Origin"] == "*"
    assert refused.status_code == 401
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert client.get(LOAD).status_code == 405
