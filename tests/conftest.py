"""Shared fixtures: a GraphQL client posting real documents to /graphql, and store data."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from shop.models import Product, TaxRate

pytest_plugins = ["tests.checkout_fixtures", "tests.browser_fixtures", "tests.smtp_fixtures"]


def pytest_configure(config):
    """The storefront's translations compiled (.mo are build output, see shop/translations.py)."""
    from shop.translations import compile_messages

    compile_messages()


class GraphQLClient:
    def __init__(self, client: Client):
        self.client = client
        self.headers: dict[str, str] = {}

    def post(self, query: str, variables: dict | None = None, operation_name: str | None = None, **headers):
        body = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        response = self.client.post(
            "/graphql", data=json.dumps(body), content_type="application/json", **{**self.headers, **headers}
        )
        # 401: a bearer token that is not (or no longer) valid refuses the whole request.
        assert response.status_code in (200, 400, 401), response.content[:500]
        return response.json()

    def data(self, query: str, variables: dict | None = None, **headers) -> dict:
        """Post and return ``data``, failing the test on any error."""
        result = self.post(query, variables, **headers)
        assert "errors" not in result, result["errors"]
        return result["data"]

    def error(self, query: str, variables: dict | None = None, **headers) -> dict:
        """Post and return the single error of the response."""
        result = self.post(query, variables, **headers)
        assert "errors" in result and len(result["errors"]) == 1, result
        return result["errors"][0]


@pytest.fixture(autouse=True)
def _one_throttle_window_per_test(monkeypatch):
    """Throttle windows are fixed slices of the clock (``shop.throttle``): a test whose hit and
    read straddle a slice's end reads another window (seen in CI: a failed sign-in counted at
    05:44:59.85, read back at 05:45:00.0 as 0). For throttling, each test keeps the clock of its
    start; tests about windows themselves pass ``now`` and are unaffected."""
    import time

    from shop import throttle

    start = time.time()
    window_of = throttle._window
    monkeypatch.setattr(
        throttle, "_window", lambda window, now=None: window_of(window, start if now is None else now)
    )


@pytest.fixture(autouse=True)
def _emails_sent_in_the_request(settings):
    """Tests read the outbox and the SMTP server right after the request: the email is sent in
    it (``EMAIL_OUTBOX_SEND=inline``). The default, ``background``, has its own tests
    (tests/checkout/test_email_outbox.py)."""
    settings.EMAIL_OUTBOX_SEND = "inline"


@pytest.fixture(autouse=True)
def _fresh_tax_rate_cache():
    """Each test starts without cached tax rates: rolled-back rows leave no trace in memory."""
    from shop import tax_rates

    tax_rates.clear()
    yield
    tax_rates.clear()


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    """Stores are cached per process (``shop.store``): a test that wrote store rows (rolled back
    or flushed after it) leaves the next test without them in memory. The cache survives other
    tests, so a SQL budget counts no store read, as in production once warm."""
    from shop import store

    before = store._generation
    yield
    if store._generation != before:
        store.clear()


@pytest.fixture
def gql(client) -> GraphQLClient:
    return GraphQLClient(client)


@pytest.fixture
def tax_rates(db):
    """DE 19/7 %, AT 20/10 %, US-CA 7.25 %, US-NY 4 %, US elsewhere 0 %."""
    rows = [
        ("DE", "", "standard", "19", "VAT"),
        ("DE", "", "reduced", "7", "VAT"),
        ("DE", "", "zero", "0", "VAT"),
        ("AT", "", "standard", "20", "VAT"),
        ("AT", "", "reduced", "10", "VAT"),
        ("US", "CA", "standard", "7.25", "Sales Tax"),
        ("US", "CA", "reduced", "7.25", "Sales Tax"),
        ("US", "NY", "standard", "4", "Sales Tax"),
        ("US", "", "standard", "0", "Sales Tax"),
    ]
    return [
        TaxRate.objects.create(country=c, region=r, tax_class=t, rate=Decimal(rate), label=label)
        for c, r, t, rate, label in rows
    ]


@pytest.fixture
def make_product(db):
    counter = {"n": 0}

    def make(price="10.00", stock=100, tax_class="standard", sku=None, name=None, **extra):
        counter["n"] += 1
        n = counter["n"]
        return Product.objects.create(
            sku=sku or f"SKU-{n}",
            name=name or f"Product {n}",
            url_key=(sku or f"product-{n}").lower(),
            price=Decimal(price),
            stock_qty=stock,
            tax_class=tax_class,
            **extra,
        )

    return make


@pytest.fixture
def product(make_product):
    return make_product(price="19.99", stock=10, sku="24-MB01", name="Joust Duffle Bag")
