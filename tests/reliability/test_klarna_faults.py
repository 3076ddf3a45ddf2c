"""Every Klarna call of the checkout × every way Klarna can fail: the shopper gets a clear
answer, the cart stays usable, and money and orders never drift apart.

Calls: create session (createKlarnaPaymentsSession), update session and read session (the cart
query's refresh of ``available_payment_methods``), create order (placeOrder) and cancel
authorization (the release after a refused create order). Faults: the emulator's injected
answers (HTTP status, malformed body, a delay past the read timeout) and transport failures
raised by the in-process transport (connect timeout, connection reset, read timeout).

Stated outcomes:
- create session: the GraphQL error "Klarna Payments is temporarily unavailable…"; a later
  attempt opens the session.
- update / read session (cart query): no error; Klarna's methods are left out, the offline
  methods stay; a later createKlarnaPaymentsSession re-syncs and the checkout completes.
- create order: a GraphQL error whose words say what to do — authorize again (400/404/409),
  "do not pay again" (timeouts, reset, 5xx, malformed: Klarna may have created the order; the
  placement stays ``uncertain`` for a retry or ``klarna_reconcile``), or "Unable to authorize
  payment" (401/429: nothing created, token kept). A clean retry (re-authorizing when the token
  was released) places exactly one order with one payment record.
- cancel authorization: best effort; the shopper sees the create-order refusal, the token is
  forgotten locally, re-authorizing places the order.
Always: HTTP 200/400 (never 500), no traceback, no order without a KlarnaPayment, and once the
shopper completed, no Klarna order without a local order.
"""

import re

import pytest
import requests

from cart.models import Cart
from checkout.models import Order, OrderPlacement
from klarna_emulator import faults
from klarna_emulator.models import EmulatorOrder
from payments_klarna.models import KlarnaApiCall, KlarnaPayment, KlarnaSession
from tests.checkout_fixtures import CREATE_SESSION, PLACE_ORDER

from .conftest import authorize

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Klarna Payments is temporarily unavailable. Please try again or choose another payment method."
AUTHORIZE_AGAIN = "Please authorize the payment with Klarna again."
DO_NOT_PAY_AGAIN = "please do not pay again"
PLACE_FAILED = "Unable to authorize payment/place the order."
PAYMENT_METHODS = "query($c: String!) { cart(cart_id: $c) { available_payment_methods { code title } } }"
ADD_ONE = 'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "LINE-2", quantity: 1}]) { cart { id } } }'

CALLS = {
    "create_session": ("POST", r"/payments/v1/sessions$"),
    "update_session": ("POST", r"/payments/v1/sessions/[^/]+$"),
    "read_session": ("GET", r"/payments/v1/sessions/[^/]+$"),
    "create_order": ("POST", r"/payments/v1/authorizations/[^/]+/order$"),
    "cancel_authorization": ("DELETE", r"/payments/v1/authorizations/[^/]+$"),
}
FAULTS = {
    "connect_timeout": {"raise": requests.exceptions.ConnectTimeout("connect timed out")},
    "read_timeout": {"raise": requests.exceptions.ReadTimeout("read timed out")},
    "connection_reset": {
        "raise": requests.exceptions.ConnectionError(ConnectionResetError(104, "Connection reset by peer"))
    },
    "500": {"status": 500, "error_code": "INTERNAL_SERVER_ERROR"},
    "503": {"status": 503, "error_code": "TEMPORARILY_UNAVAILABLE"},
    "429": {"status": 429, "error_code": "TOO_MANY_REQUESTS"},
    "400_bad_value": {"status": 400, "error_code": "BAD_VALUE"},
    "401": {"status": 401, "error_code": "UNAUTHORIZED"},
    "404": {"status": 404, "error_code": "NOT_FOUND"},
    "409": {"status": 409, "error_code": "CONFLICT"},
    "malformed_json": {"kind": "malformed"},
}
DECLINED = {"400_bad_value", "404", "409"}
NOT_CREATED = {"401", "429"}


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    monkeypatch.setattr("payments_klarna.client._sleep", lambda seconds: None)
    yield
    faults.clear()


@pytest.fixture
def inject(monkeypatch):
    """Make the next matching Klarna calls fail with ``fault`` (enough times to outlast retries)."""
    from klarna_emulator.transport import EmulatorAdapter

    raising: list = []
    original = EmulatorAdapter.send

    def send(adapter, request, *args, **kwargs):
        for entry in list(raising):
            method, pattern, error = entry
            if request.method == method and re.search(pattern, request.path_url):
                raising.remove(entry)
                raise error
        return original(adapter, request, *args, **kwargs)

    monkeypatch.setattr(EmulatorAdapter, "send", send)

    def add(call: str, fault: str, times: int = 3):
        method, pattern = CALLS[call]
        spec = FAULTS[fault]
        if "raise" in spec:
            raising.extend([(method, pattern, spec["raise"])] * times)
        else:
            faults.inject(pattern, method=method, times=times, **spec)

    def clear():
        raising.clear()
        faults.clear()

    add.clear = clear
    return add


def post(gql, query, variables):
    response = gql.client.post(
        "/graphql", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content[:300]
    assert b"Traceback" not in response.content and b'File "' not in response.content
    return response.json()


def assert_money_and_orders_agree():
    for order in Order.objects.all():
        assert KlarnaPayment.objects.filter(order=order).exists(), f"order {order.number} has no payment"
    local = set(KlarnaPayment.objects.values_list("klarna_order_id", flat=True))
    at_klarna = set(EmulatorOrder.objects.exclude(status="CANCELLED").values_list("order_id", flat=True))
    assert at_klarna <= local, f"Klarna orders without a local order: {at_klarna - local}"


def place_cleanly(gql, cart_id):
    """The shopper tries again with Klarna behaving: re-authorize when the token is gone."""
    session = KlarnaSession.objects.filter(cart__masked_id=cart_id, status="active").first()
    if session is None or not session.authorization_token:
        authorize(gql, cart_id)
    result = post(gql, PLACE_ORDER, {"cart": cart_id})
    assert "errors" not in result, result
    return result["data"]["placeOrder"]["orderV2"]


@pytest.mark.parametrize("fault", FAULTS)
def test_create_session_fault(gql, lines_cart, inject, fault):
    cart_id = lines_cart(1, klarna=False)
    inject("create_session", fault)

    result = post(gql, CREATE_SESSION, {"c": cart_id})

    assert [e["message"] for e in result["errors"]] == [UNAVAILABLE]
    assert not KlarnaSession.objects.filter(status="active").exists()
    inject.clear()
    authorize(gql, cart_id)
    assert place_cleanly(gql, cart_id)["status"] == "processing"
    assert_money_and_orders_agree()


@pytest.mark.parametrize("call", ["update_session", "read_session"])
@pytest.mark.parametrize("fault", FAULTS)
def test_cart_query_refresh_fault_leaves_klarna_out(gql, lines_cart, inject, call, fault):
    cart_id = lines_cart(1, klarna=False)
    post(gql, CREATE_SESSION, {"c": cart_id})
    if call == "update_session":
        post(gql, ADD_ONE, {"c": cart_id})  # Klarna must be told the new amount
    inject(call, fault, times=1)

    result = post(gql, PAYMENT_METHODS, {"c": cart_id})

    assert "errors" not in result, result
    codes = [m["code"] for m in result["data"]["cart"]["available_payment_methods"]]
    assert "checkmo" in codes and not any(code.startswith("klarna_") for code in codes)
    inject.clear()
    authorize(gql, cart_id)
    assert place_cleanly(gql, cart_id)["status"] == "processing"
    assert_money_and_orders_agree()


@pytest.mark.parametrize("fault", FAULTS)
def test_create_order_fault(gql, lines_cart, inject, fault):
    cart_id = lines_cart(1)
    inject("create_order", fault, times=1)

    error = post(gql, PLACE_ORDER, {"cart": cart_id})["errors"][0]

    placement = OrderPlacement.objects.get()
    if fault in DECLINED:
        assert AUTHORIZE_AGAIN in error["message"]
        assert placement.state == "failed"
    elif fault in NOT_CREATED:
        assert error["message"] == PLACE_FAILED
        assert placement.state == "failed"
    else:  # Klarna may have created the order: keep the token, retry or reconcile
        assert DO_NOT_PAY_AGAIN in error["message"]
        assert placement.state == "uncertain"
    assert error["extensions"]["category"] == "graphql-input"
    assert Order.objects.count() == 0
    assert Cart.objects.get(masked_id=cart_id).is_active
    inject.clear()
    order = place_cleanly(gql, cart_id)
    assert order["status"] == "processing"
    assert Order.objects.count() == 1 and KlarnaPayment.objects.count() == 1
    assert_money_and_orders_agree()


def test_create_order_read_timeout_after_klarna_created_it_is_replayed_once(gql, lines_cart, settings):
    """The delay lets the emulator create the order and answer too late: uncertain, then the
    retry with the same token gets Klarna's first answer (one Klarna order, one local order)."""
    settings.KLARNA_TIMEOUT = (1.0, 0.2)
    cart_id = lines_cart(1)
    faults.inject(CALLS["create_order"][1], method="POST", kind="delay", delay_seconds="0.4")

    error = post(gql, PLACE_ORDER, {"cart": cart_id})["errors"][0]

    assert DO_NOT_PAY_AGAIN in error["message"]
    assert EmulatorOrder.objects.count() == 1 and Order.objects.count() == 0
    place_cleanly(gql, cart_id)
    assert EmulatorOrder.objects.count() == 1 and Order.objects.count() == 1
    assert_money_and_orders_agree()


@pytest.mark.parametrize("fault", FAULTS)
def test_cancel_authorization_fault(gql, lines_cart, inject, fault):
    cart_id = lines_cart(1)
    inject("create_order", "400_bad_value", times=1)
    inject("cancel_authorization", fault)

    error = post(gql, PLACE_ORDER, {"cart": cart_id})["errors"][0]

    assert AUTHORIZE_AGAIN in error["message"]
    assert KlarnaSession.objects.get(cart__masked_id=cart_id, status="active").authorization_token is None
    assert KlarnaApiCall.objects.filter(method="DELETE").exclude(status=204).exists()
    inject.clear()
    assert place_cleanly(gql, cart_id)["status"] == "processing"
    assert_money_and_orders_agree()
