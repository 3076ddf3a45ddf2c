"""The emulated JS SDK in headless Chromium against the live server.

Screenshots of each step go to test-artifacts/klarna-emulator-sdk/<test>/; the folder is printed
when a test fails.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
import requests

from klarna_emulator.transport import BASE_URL, mount
from tests.browser_fixtures import wait_until

from .conftest import ADDRESS, AUTH, cart

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# refuse the ORM calls made by the test itself.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "klarna-emulator-sdk"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>checkout</title></head><body>
<h1>Checkout</h1><div id="klarna-container"></div>
<script>
  window.events = [];
  window.klarnaReady = false;
  window.klarnaAsyncCallback = function () { window.klarnaReady = true; };
</script>
<script src="/klarna-emulator/kp/lib/v1/api.js" async></script>
</body></html>"""


@pytest.fixture
def browser(chromium):
    return chromium


class Steps:
    def __init__(self, page, folder: Path):
        self.page, self.folder, self.n = page, folder, 0

    def shot(self, name: str):
        self.n += 1
        self.page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)


@pytest.fixture
def checkout(browser, live_server, request):
    folder = ARTIFACTS / re.sub(r"[^\w.-]", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    page = browser.new_page()
    # The shop page is faked by routing one URL; the SDK and its endpoints are the live emulator.
    page.route(
        f"{live_server.url}/checkout-test", lambda route: route.fulfill(body=PAGE, content_type="text/html")
    )
    page.goto(f"{live_server.url}/checkout-test")
    wait_until(page, "window.klarnaReady === true")
    steps = Steps(page, folder)
    yield steps
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        steps.shot("failure")
        print(f"\nBrowser screenshots: {folder}")
    page.close()


@pytest.fixture
def http():
    session = mount(requests.Session())
    session.auth = AUTH
    return session


def _session(http, payload=None) -> dict:
    response = http.post(f"{BASE_URL}/payments/v1/sessions", json=payload or cart())
    assert response.status_code == 200, response.text
    return response.json()


def _call(page, script: str, *args):
    """Run an SDK call whose last argument is a callback; returns what the callback got."""
    return page.evaluate(
        """([body, args]) => new Promise((resolve, reject) => {
            try { new Function("args", "resolve", body)(args, resolve); } catch (e) { reject(e.name); }
        })""",
        [script, list(args)],
    )


def _init_and_load(page, client_token, category="pay_later"):
    page.evaluate("token => Klarna.Payments.init({client_token: token})", client_token)
    return _call(
        page,
        "Klarna.Payments.load({container: '#klarna-container', payment_method_category: args[0]}, {}, resolve)",
        category,
    )


def _authorize(page, category="pay_later", billing=ADDRESS):
    return page.evaluate(
        """([category, billing]) => { window.authorizeResult = null;
            Klarna.Payments.authorize({payment_method_category: category}, {billing_address: billing},
                r => { window.authorizeResult = r; }); }""",
        [category, billing],
    )


def _authorize_result(page):
    wait_until(page, "window.authorizeResult !== null")
    return page.evaluate("window.authorizeResult")


def test_load_shows_the_category_and_the_amount(checkout, http):
    session = _session(http)

    result = _init_and_load(checkout.page, session["client_token"])
    checkout.shot("loaded")

    widget = checkout.page.get_by_test_id("klarna-emulator-widget")
    assert result == {"show_form": True}
    assert widget.is_visible()
    assert (
        checkout.page.get_by_test_id("klarna-emulator-category-name").inner_text() == "Pay later in 30 days"
    )
    assert checkout.page.get_by_test_id("klarna-emulator-amount").inner_text() == "123,90\xa0€"


def test_authorize_approve_gives_a_token_that_creates_an_order(checkout, http):
    session = _session(http)
    _init_and_load(checkout.page, session["client_token"])
    checkout.page.evaluate(
        """() => { ['fullscreenOverlayShown', 'fullscreenOverlayHidden'].forEach(
            name => Klarna.Payments.on(name, () => window.events.push(name))); }"""
    )

    _authorize(checkout.page)
    checkout.page.get_by_test_id("klarna-emulator-overlay").wait_for()
    checkout.shot("overlay")
    assert checkout.page.get_by_test_id("klarna-emulator-overlay-amount").inner_text() == "123,90\xa0€"
    checkout.page.get_by_test_id("klarna-emulator-approve").click()
    result = _authorize_result(checkout.page)
    checkout.shot("approved")

    assert result["approved"] is True
    assert result["show_form"] is True
    order = http.post(
        f"{BASE_URL}/payments/v1/authorizations/{result['authorization_token']}/order",
        json={**cart(), "billing_address": ADDRESS},
    )
    assert order.status_code == 200, order.text
    assert checkout.page.evaluate("window.events") == ["fullscreenOverlayShown", "fullscreenOverlayHidden"]
    assert checkout.page.get_by_test_id("klarna-emulator-overlay").count() == 0


def test_authorize_decline_is_a_final_rejection(checkout, http):
    session = _session(http)
    _init_and_load(checkout.page, session["client_token"])

    _authorize(checkout.page)
    checkout.page.get_by_test_id("klarna-emulator-decline").click()
    checkout.shot("declined")

    assert _authorize_result(checkout.page) == {"approved": False, "show_form": False}


def test_closing_the_overlay_keeps_the_form(checkout, http):
    session = _session(http)
    _init_and_load(checkout.page, session["client_token"])

    _authorize(checkout.page)
    checkout.page.locator("#klarna-emulator-close").click()
    checkout.shot("closed")

    assert _authorize_result(checkout.page) == {"approved": False, "show_form": True}


def test_authorize_without_email_asks_for_the_field(checkout, http):
    session = _session(http)
    _init_and_load(checkout.page, session["client_token"])

    _authorize(checkout.page, billing={**ADDRESS, "email": ""})
    result = _authorize_result(checkout.page)
    checkout.shot("invalid-fields")

    assert result == {
        "approved": False,
        "show_form": True,
        "error": {"invalid_fields": ["billing_address.email"]},
    }
    assert checkout.page.get_by_test_id("klarna-emulator-overlay").count() == 0


def test_load_again_after_a_session_update_shows_the_new_amount_and_categories(checkout, http):
    session = _session(http)
    _init_and_load(checkout.page, session["client_token"], category="pay_over_time")
    checkout.shot("before-update")
    small = {
        "order_amount": 5000,
        "order_tax_amount": 798,
        "order_lines": [
            {
                "name": "Mug",
                "quantity": 1,
                "unit_price": 5000,
                "total_amount": 5000,
                "tax_rate": 1900,
                "total_tax_amount": 798,
            }
        ],
    }
    assert (
        http.post(f"{BASE_URL}/payments/v1/sessions/{session['session_id']}", json=small).status_code == 204
    )

    later = _init_and_load(checkout.page, session["client_token"], category="pay_later")
    checkout.shot("after-update")
    gone = _call(
        checkout.page,
        "Klarna.Payments.load({container: '#klarna-container', payment_method_category: 'pay_over_time'}, resolve)",
    )
    checkout.shot("pay-over-time-gone")

    assert later == {"show_form": True}
    assert gone == {"show_form": False}
    assert checkout.page.get_by_test_id("klarna-emulator-unavailable").is_visible()
    _call(checkout.page, "Klarna.Payments.load({container: '#klarna-container'}, resolve)")
    checkout.shot("all-categories")
    names = checkout.page.get_by_test_id("klarna-emulator-category").evaluate_all(
        "els => els.map(e => e.dataset.category)"
    )
    assert names == ["pay_now", "pay_later"]
    assert checkout.page.get_by_test_id("klarna-emulator-amount").inner_text() == "50,00\xa0€"


def test_sdk_throws_klarna_errors(checkout, http):
    page = checkout.page
    thrown = page.evaluate(
        """(token) => {
        const names = {};
        const attempt = (label, fn) => { try { fn(); names[label] = null; } catch (e) { names[label] = e.name; } };
        attempt('init', () => Klarna.Payments.init({client_token: 'not-a-jwt'}));
        attempt('load-before-init', () => Klarna.Payments.load({container: '#klarna-container'}, () => {}));
        Klarna.Payments.init({client_token: token});
        attempt('authorize-before-load', () => Klarna.Payments.authorize({payment_method_category: 'pay_later'}, {}, () => {}));
        attempt('bad-container', () => Klarna.Payments.load({container: '#nope', payment_method_category: 'pay_later'}, () => {}));
        attempt('no-category', () => Klarna.Payments.load({container: '#klarna-container', payment_method_category: ''}, () => {}));
        attempt('event', () => Klarna.Payments.on('somethingElse', () => {}));
        attempt('known-event', () => Klarna.Payments.on('heightChanged', () => {}));
        return names;
    }""",
        _session(http)["client_token"],
    )
    checkout.shot("errors")

    assert thrown == {
        "init": "InvalidClientTokenError",
        "load-before-init": "ApplicationNotInitializedError",
        "authorize-before-load": "ApplicationNotLoadedError",
        "bad-container": "InvalidContainerSelectorError",
        "no-category": "PaymentMethodCategoryNotProvidedError",
        "event": "EventNotSupportedError",
        "known-event": None,
    }


def test_height_changed_is_reported_after_load(checkout, http):
    session = _session(http)
    checkout.page.evaluate("() => Klarna.Payments.on('heightChanged', h => window.events.push(h))")

    _init_and_load(checkout.page, session["client_token"])

    heights = checkout.page.evaluate("window.events")
    assert len(heights) == 1 and heights[0] > 0


def test_auto_finalize_false_needs_finalize_for_the_token(checkout, http):
    session = _session(http)
    _init_and_load(checkout.page, session["client_token"])
    checkout.page.evaluate(
        """billing => { window.authorizeResult = null;
            Klarna.Payments.authorize({payment_method_category: 'pay_later', auto_finalize: false},
                {billing_address: billing}, r => { window.authorizeResult = r; }); }""",
        ADDRESS,
    )
    checkout.page.get_by_test_id("klarna-emulator-approve").click()
    first = _authorize_result(checkout.page)

    finalized = _call(
        checkout.page, "Klarna.Payments.finalize({payment_method_category: 'pay_later'}, {}, resolve)"
    )

    assert first == {"approved": True, "show_form": True, "finalize_required": True}
    assert finalized["approved"] is True
    assert finalized["authorization_token"]
