"""Fixtures for the emulator's tests: Klarna-shaped payloads and a parametrized backend.

``klarna_backend`` runs a contract case twice: against the emulator through the in-process
transport (a real ``requests.Session``), and against answers recorded in Klarna's documented
shapes (``responses``). A case states the recorded answer it expects with ``backend.expect(...)``
(a no-op for the emulator) and then asserts what must hold for both.
"""

import copy

import pytest
import requests
import responses

from klarna_emulator import faults, payments
from klarna_emulator.transport import BASE_URL, mount

PLAYGROUND = "https://api.playground.klarna.com"
AUTH = ("emulator-merchant", "emulator-secret")
RECORDED_SESSION_ID = "0b1d9815-165e-42e2-8867-35bc03789e00"
RECORDED_TOKEN = "b4bd3423-24e3-4f1c-9b43-6b4c37e4fb1e"
RECORDED_ORDER_ID = "f3392f8b-6116-4073-ab96-e330819e2c07"
RECORDED_CLIENT_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzZXNzaW9uX2lkIjoiMGIxZDk4MTUtMTY1ZS00MmUyLTg4NjctMzViYzAzNzg5ZTAwIn0."
    "c2lnbmF0dXJlLW9mLWtsYXJuYQ"
)

ADDRESS = {
    "given_name": "Erika",
    "family_name": "Mustermann",
    "email": "erika@example.com",
    "street_address": "Hauptstraße 5",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
}
# 2 × 59.50 at 19 % plus 4.90 shipping at 19 %: Klarna's formula gives 1900 and 78.
DE_CART = {
    "purchase_country": "DE",
    "purchase_currency": "EUR",
    "locale": "de-DE",
    "order_amount": 12390,
    "order_tax_amount": 1978,
    "order_lines": [
        {
            "type": "physical",
            "reference": "24-MB01",
            "name": "Joust Duffle Bag",
            "quantity": 2,
            "unit_price": 5950,
            "tax_rate": 1900,
            "total_amount": 11900,
            "total_tax_amount": 1900,
        },
        {
            "type": "shipping_fee",
            "name": "Flat Rate",
            "quantity": 1,
            "unit_price": 490,
            "tax_rate": 1900,
            "total_amount": 490,
            "total_tax_amount": 78,
        },
    ],
    "merchant_urls": {"notification": "https://shop.example/klarna/notification/secret/"},
}


def cart(**changes) -> dict:
    payload = copy.deepcopy(DE_CART)
    payload.update(changes)
    return payload


def category(identifier: str, name: str) -> dict:
    asset = "https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg"
    return {"identifier": identifier, "name": name, "asset_urls": {"descriptive": asset, "standard": asset}}


RECORDED_CATEGORIES = [
    category("pay_now", "Pay now"),
    category("pay_later", "Pay later in 30 days"),
    category("pay_over_time", "Pay in 3 interest-free instalments"),
]


def klarna_error(status_code: str, *messages: str) -> dict:
    return {"error_code": status_code, "error_messages": list(messages), "correlation_id": "6a9b1cb1-aaaa"}


class Backend:
    def __init__(self, name: str, http: requests.Session, base: str, mock):
        self.name, self.http, self.base, self.mock = name, http, base, mock

    @property
    def recorded(self) -> bool:
        return self.mock is not None

    def expect(self, method: str, path: str, status: int, json=None, headers=None, body=None):
        """What Klarna answered to this call (recorded backend only)."""
        if self.mock is not None:
            kwargs = {"json": json} if json is not None else {"body": body or ""}
            self.mock.add(method, self.base + path, status=status, headers=headers or {}, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", (3, 10))
        return self.http.request(method, self.base + path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    # --- steps that happen outside the server API (the shopper's browser) -------------------------

    def create_session(self, payload=None) -> str:
        self.expect(
            "POST",
            "/payments/v1/sessions",
            200,
            {
                "session_id": RECORDED_SESSION_ID,
                "client_token": RECORDED_CLIENT_TOKEN,
                "payment_method_categories": RECORDED_CATEGORIES,
            },
        )
        response = self.post("/payments/v1/sessions", json=payload or cart())
        assert response.status_code == 200, response.text
        return response.json()["session_id"]

    def authorize(self, session_id: str, category_id: str = "pay_later", billing=None) -> str:
        """The shopper approves in the widget (emulator: the SDK's server side, no browser)."""
        if self.recorded:
            return RECORDED_TOKEN
        result = payments.authorize(session_id, category_id, {"billing_address": billing or ADDRESS})
        assert result["approved"], result
        return result["authorization_token"]

    def place_order(self, payload=None, billing=None, fraud_status="ACCEPTED") -> str:
        payload = payload or cart()
        session_id = self.create_session(payload)
        token = self.authorize(session_id, billing=billing)
        self.expect(
            "POST",
            f"/payments/v1/authorizations/{RECORDED_TOKEN}/order",
            200,
            {
                "order_id": RECORDED_ORDER_ID,
                "redirect_url": "https://payments.klarna.com/redirect/abc",
                "fraud_status": fraud_status,
                "authorized_payment_method": {"type": "invoice", "number_of_days": 30},
            },
        )
        response = self.post(
            f"/payments/v1/authorizations/{token}/order",
            json={**payload, "billing_address": billing or ADDRESS},
        )
        assert response.status_code == 200, response.text
        return response.json()["order_id"]

    def inject(self, path: str, **fault):
        if not self.recorded:
            faults.inject(path, **fault)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the call phase's report on the item so fixtures can react to failures (screenshots)."""
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture
def emulator_http(db) -> requests.Session:
    http = mount(requests.Session())
    http.auth = AUTH
    return http


@pytest.fixture(params=["emulator", "recorded"])
def klarna_backend(request, db):
    if request.param == "emulator":
        http = mount(requests.Session())
        http.auth = AUTH
        yield Backend("emulator", http, BASE_URL, None)
        return
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        http = requests.Session()
        http.auth = AUTH
        yield Backend("recorded", http, PLAYGROUND, mock)
