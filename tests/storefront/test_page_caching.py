"""Storefront pages are never left cacheable by a shared cache: every page shows the shopper's
cart count, and a signed-in customer's pages carry their name and /graphql token."""

import pytest

from shop import customers

pytestmark = pytest.mark.django_db

PAGES = ["/", "/products/24-mb01/", "/cart/", "/checkout/"]


def shared_cacheable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


@pytest.mark.parametrize("path", PAGES)
def test_pages_of_a_shopper_with_a_cart_are_private(client, product, path):
    client.post("/cart/add/", {"sku": product.sku, "qty": 1})

    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("path", PAGES)
def test_pages_of_a_signed_in_customer_are_private(client, product, path):
    customers.create_customer(
        email="anna@example.com", firstname="Anna", lastname="Muster", password="Correct-Horse-42"
    )
    signed_in = client.post(
        "/account/sign-in/", {"email": "anna@example.com", "password": "Correct-Horse-42"}
    )
    assert signed_in.status_code == 302

    response = client.get(path)

    assert b'name="customer-token"' in response.content
    assert not shared_cacheable(response)


@pytest.mark.parametrize("path", ["/account/sign-in/", "/account/create/"])
def test_account_pages_keep_their_never_cache_headers(client, path):
    response = client.get(path)

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
