"""Content-Security-Policy on every storefront page (shop/content_security.py, django-csp):
scripts only from the shop and Klarna — the shop alone in emulator mode —, never inline without
the request's nonce, never eval. The Chromium checkouts (tests/e2e) fail on any violation."""

import re

import pytest
from django.test import Client

from shop.content_security import KLARNA_HOSTS, klarna_sources, policy

PAGES = [
    "/",
    "/cart/",
    "/checkout/",
    "/account/sign-in/",
    "/account/find-order/",
    "/account/forgot-password/",
]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_every_storefront_page_sends_the_policy(db, path):
    response = Client().get(path)
    assert response.status_code in (200, 302)
    directives = _directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    script = directives["script-src"]
    assert "'self'" in script
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    # Tests run in emulator mode: nothing of Klarna's is allowed, no request leaves the shop.
    assert not any("klarna" in source for sources in directives.values() for source in sources)


def test_the_admin_and_the_api_send_it_too(db):
    assert "script-src" in Client().get("/admin/login/")["Content-Security-Policy"]
    assert (
        "script-src"
        in Client().post("/graphql", {"query": "{ __typename }"}, content_type="application/json")[
            "Content-Security-Policy"
        ]
    )


def test_graphiql_inline_script_carries_the_nonce_of_its_response(db, settings):
    settings.DEBUG = True
    response = Client().get("/graphql", HTTP_ACCEPT="text/html")
    header = _directives(response["Content-Security-Policy"])
    nonces = [s for s in header["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)
    # Each response gets its own nonce.
    again = _directives(Client().get("/graphql", HTTP_ACCEPT="text/html")["Content-Security-Policy"])
    assert [s for s in again["script-src"] if s.startswith("'nonce-")] != nonces


def test_production_allows_klarnas_hosts_and_nothing_else():
    sources = klarna_sources(emulator=False, enabled=True)
    directives = policy(sources)["DIRECTIVES"]
    for name in ("script-src", "frame-src", "connect-src", "img-src"):
        assert set(KLARNA_HOSTS) <= set(directives[name])
    assert "https://*.klarnacdn.net" in directives["script-src"]  # x.klarnacdn.net/kp/lib/v1/api.js
    assert not any(
        str(source).startswith("http") and "klarna" not in str(source) for source in directives["script-src"]
    )


def test_emulator_and_klarna_off_allow_no_outside_host():
    assert klarna_sources(emulator=True, enabled=True) == []
    assert klarna_sources(emulator=False, enabled=False) == []


def test_a_self_hosted_sdk_and_extra_sources_are_added():
    sources = klarna_sources(
        emulator=True,
        enabled=True,
        sdk_url="https://sdk.example.com/kp/lib/v1/api.js",
        extra=["https://*.klarna.net", ""],
    )
    assert sources == ["https://*.klarna.net", "https://sdk.example.com"]
