"""GraphiQL's vendored files are exactly the ones graphene-django pins (same versions, same
integrity hashes), each with its licence. After a graphene-django upgrade this fails until
``python scripts/refresh_graphiql.py`` is run."""

import base64
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from shop.graphql.view import ShopGraphQLView

STATIC_URL = settings.STATIC_URL  # "/static/"


def vendored(url: str) -> Path:
    assert url.startswith(STATIC_URL + "graphiql/"), url
    found = finders.find(url.removeprefix(STATIC_URL))
    assert found, f"{url} is not vendored: run python scripts/refresh_graphiql.py"
    return Path(found)


def test_every_graphiql_file_matches_graphene_djangos_integrity_hash():
    context = ShopGraphQLView().graphiql_context()
    files = context["stylesheets"] + context["scripts"]

    assert len(files) == 7
    for url, integrity in files:
        digest = hashlib.sha256(vendored(url).read_bytes()).digest()
        assert "sha256-" + base64.b64encode(digest).decode() == integrity, url


def test_every_vendored_library_carries_its_licence():
    context = ShopGraphQLView().graphiql_context()
    folders = {vendored(url).parent for url, _ in context["stylesheets"] + context["scripts"]}

    assert len(folders) == 5
    for folder in folders:
        licences = list(folder.glob("LICENSE*"))
        assert licences and "MIT License" in licences[0].read_text(), folder
