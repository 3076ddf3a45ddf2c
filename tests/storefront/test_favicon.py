"""The site icon: /favicon.ico is served (browsers ask for it at the root whatever a page
links), and every page links it and the SVG."""

import os

import pytest
from django.contrib.staticfiles import finders

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def test_favicon_ico_is_served_at_the_root(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO with one image
    assert b"\x89PNG" in response.content
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_pages_link_the_icons(client, db):
    page = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in page
    assert finders.find("img/favicon.svg") and finders.find("img/favicon.ico")


@pytest.mark.browser
def test_a_browser_loads_the_catalog_without_any_404(chromium, live_server, transactional_db):
    context = chromium.new_context()
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(live_server.url + "/")
    icon = page.request.get(live_server.url + "/favicon.ico")
    page.wait_for_load_state("networkidle")
    context.close()

    assert icon.status == 200
    assert failed == []
