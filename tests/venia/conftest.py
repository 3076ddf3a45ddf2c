"""Venia's documents from the extracted fixture, and customers to send them as."""

import pytest

from tests.customers.conftest import PASSWORD, anna, anna_auth, bearer, ben, make_customer, token_of  # noqa: F401

from .extract import load_fixture

_OPERATIONS = load_fixture()["operations"]


def venia(name: str, file: str | None = None) -> str:
    """The document Venia sends for operation ``name`` (``file`` picks one when Venia defines
    the name in several files with different documents)."""
    found = {
        o["document"] for o in _OPERATIONS if o["name"] == name and (file is None or o["file"].endswith(file))
    }
    assert len(found) == 1, f"{name}: {len(found)} documents in the fixture"
    return found.pop()


@pytest.fixture
def allowed_countries(settings):
    settings.ALLOWED_COUNTRIES = ["AT", "DE", "GB", "US"]
    return settings.ALLOWED_COUNTRIES


__all__ = ["PASSWORD", "bearer", "venia"]
