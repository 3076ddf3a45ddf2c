"""Masked ids, CSRF on cookie endpoints, staff-only admin, and no Klarna secret in logs or rows."""

import json
import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client

from payments_klarna.models import KlarnaApiCall, KlarnaSession
from tests.checkout_fixtures import PLACE_ORDER

pytestmark = pytest.mark.django_db

CART = "query($c: String!) { cart(cart_id: $c) { id } }"


def test_masked_ids_are_random_and_unknown_ids_all_look_alike(gql, new_cart):
    ids = [new_cart() for _ in range(40)]

    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 40
    assert len({i[:6] for i in ids}) == 40  # no shared or sequential prefix
    # A neighbour of a real id: its last character changed (to one it does not already have).
    neighbour = ids[0][:-1] + ("_" if ids[0][-1] != "_" else "-")
    unknown = [gql.error(CART, {"c": "x" * 32}), gql.error(CART, {"c": neighbour})]
    assert [e["extensions"]["category"] for e in unknown] == ["graphql-no-such-entity"] * 2
    assert unknown[0]["message"].replace("x" * 32, "ID") == unknown[1]["message"].replace(neighbour, "ID")


@pytest.mark.parametrize("path", ["/cart/add/", "/cart/session/", "/admin/login/"])
def test_cookie_endpoints_refuse_posts_without_csrf_token(path):
    client = Client(enforce_csrf_checks=True)

    response = client.post(path, {"sku": "24-MB01", "qty": "1", "username": "a", "password": "b"})

    assert response.status_code == 403


def test_staff_session_cookie_gives_no_powers_on_graphql(gql, client, new_cart):
    staff = User.objects.create_user(
        "staff", "staff@example.com", "pw-12345678", is_staff=True, is_superuser=True
    )
    client.force_login(staff)

    cart_id = new_cart()

    assert gql.post("{ customer { email } }")["errors"]
    from cart.models import Cart

    assert Cart.objects.get(masked_id=cart_id).customer_id is None


def test_admin_is_staff_only(client):
    assert client.get("/admin/cart/cart/").status_code == 302
    client.force_login(User.objects.create_user("shopper", "s@example.com", "pw-12345678"))
    assert client.get("/admin/cart/cart/").status_code == 302


def test_klarna_secrets_are_absent_from_logs_and_api_call_records(gql, klarna_cart, settings, caplog, capsys):
    settings.KLARNA_API_USERNAME = "PK98765_3b2c1a0f9e8d"
    settings.KLARNA_API_PASSWORD = "klarna_live_api_Zm9vYmFyLXNlY3JldC1wYXNzd29yZA"
    email = "secret.shopper@example.com"
    caplog.set_level(logging.DEBUG)

    cart_id = klarna_cart(email=email)
    gql.data(PLACE_ORDER, {"cart": cart_id})

    session = KlarnaSession.objects.get(cart__masked_id=cart_id)
    secrets = {
        "password": settings.KLARNA_API_PASSWORD,
        "client token": session.client_token,
        "email": email,
    }
    from payments_klarna.models import KlarnaPayment

    secrets["authorization token"] = KlarnaPayment.objects.get().authorization_token
    rows = json.dumps([list(row) for row in KlarnaApiCall.objects.values_list()], default=str)
    shop_log = "\n".join(
        [r.getMessage() for r in caplog.records if not r.name.startswith("klarna_emulator")]
        + [capsys.readouterr().err]  # the shop's handlers write to stderr
    )
    assert KlarnaApiCall.objects.count() >= 2 and "payments/v1" in shop_log
    for name, secret in secrets.items():
        assert secret and secret not in rows, f"{name} in KlarnaApiCall rows"
        assert secret not in shop_log, f"{name} in the logs"


def test_customer_token_brute_force_is_throttled(gql):
    query = 'mutation { generateCustomerToken(email: "victim@example.com", password: "guess") { token } }'
    errors = [gql.post(query)["errors"][0] for _ in range(30)]

    categories = [error["extensions"]["category"] for error in errors]
    assert categories[0] == "graphql-authentication"
    assert categories[-1] == "graphql-too-many-requests"
    assert errors[-1]["message"] == "Too many failed sign-in attempts. Please wait and try again later."
