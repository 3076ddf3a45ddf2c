"""shop.csp_middleware: the same headers as django-csp's middleware, built once per policy."""

import json

import pytest
from csp.utils import build_policy
from django.test import Client

from shop import csp_middleware


def test_an_api_response_gets_django_csp_s_header_from_the_cache(db):
    response = Client().post("/graphql", json.dumps({"query": "{ __typename }"}), "application/json")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == build_policy()
    assert csp_middleware.settings_headers() == {"Content-Security-Policy": build_policy()}


def test_a_page_with_a_nonce_goes_through_django_csp(db, settings):
    settings.DEBUG = True  # GraphiQL: inline scripts with the request's nonce
    csp_middleware._built.clear()
    response = Client().get("/graphql", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    nonce = response.wsgi_request._csp_nonce
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert csp_middleware._built == {}  # not built by the cached path


def test_a_settings_change_rebuilds_the_header(db, settings):
    before = csp_middleware.settings_headers()["Content-Security-Policy"]
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY = changed

    response = Client().post("/graphql", json.dumps({"query": "{ __typename }"}), "application/json")

    assert response["Content-Security-Policy"] == "default-src 'none'" != before


@pytest.mark.parametrize("debug", [False, True])
def test_not_found_pages_as_django_csp(db, settings, debug):
    settings.DEBUG = debug
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert ("Content-Security-Policy" in response) is not debug
