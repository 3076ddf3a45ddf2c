"""Browser tests: Debian's headless Chromium driven by Playwright against the live server.

Each test gets a ``shop`` helper whose ``shot(name)`` saves a screenshot of the step under
test-artifacts/e2e/<test name>/; the folder is printed when the test fails. Without
/usr/bin/chromium the tests skip (with the reason) unless CI is set, where they fail.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser_fixtures import (
    CHROMIUM,  # noqa: F401
    wait_until,
)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the tests
# are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
TIMEOUT_MS = 20_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Shop:
    """A shopper's browser session on the live server, with step screenshots."""

    def __init__(self, context, base_url: str, folder: Path):
        self.context = context
        self.base_url = base_url
        self.folder = folder
        self.step = 0
        self.console: list[str] = []
        self.page = self.new_page()

    def new_page(self):
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        return page

    def url(self, path: str) -> str:
        return self.base_url + path

    def shot(self, name: str, page=None) -> None:
        self.step += 1
        (page or self.page).screenshot(path=str(self.folder / f"{self.step:02d}-{name}.png"), full_page=True)

    # --- shopper steps -----------------------------------------------------------------------

    def add_to_cart(self, url_key: str, quantity: int = 1) -> None:
        page = self.page
        page.goto(self.url(f"/products/{url_key}/"))
        page.fill("#quantity", str(quantity))
        page.click("button:has-text('Add to cart')")
        page.wait_for_selector("#messages .message--success")
        self.shot(f"added-{url_key}")

    def fill_address(self, email: str, *, country: str = "DE", region: str | None = None) -> None:
        page = self.page
        page.goto(self.url("/checkout/"))
        page.wait_for_selector("[data-summary-lines] li")
        page.fill("#email", email)
        page.fill("#shipping-firstname", "Anna")
        page.fill("#shipping-lastname", "Muster")
        page.fill("#shipping-street1", "Hauptstraße 1")
        page.fill("#shipping-postcode", "10115")
        page.fill("#shipping-city", "Berlin")
        page.select_option("#shipping-country", country)
        if region:
            page.select_option("#shipping-region", region)
        page.fill("#shipping-telephone", "+49 30 1234567")
        self.shot("address-filled")
        page.click("[data-save-address]")

    def wait_until_ready(self) -> None:
        """Address saved, shipping chosen, payment methods shown and nothing in flight."""
        self.page.wait_for_selector("[data-payment-methods]:not([hidden])")
        wait_until(self.page, "!document.querySelector('[data-place-order]').disabled")

    def choose_payment(self, code: str) -> None:
        self.page.check(f"#payment-{code}")
        self.wait_until_ready()

    def widget(self, identifier: str):
        return self.page.locator(f"#klarna_container_{identifier} [data-testid=klarna-emulator-widget]")

    def payment_codes(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "[data-payment-options] input[name=payment_method]", "els => els.map(e => e.value)"
        )

    def status_text(self) -> str:
        return self.page.inner_text("[data-payment-status]")

    def approve_in_klarna(self) -> None:
        self.page.wait_for_selector("[data-testid=klarna-emulator-overlay]")
        self.shot("klarna-overlay")
        self.page.click("[data-testid=klarna-emulator-approve]")

    def wait_for_confirmation(self) -> str:
        self.page.wait_for_url(re.compile(r"/checkout/success/[^/]+/$"))
        self.shot("confirmation")
        return self.page.inner_text("[data-order-number]")


@pytest.fixture
def demo_store(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def shop(request, chromium, live_server, demo_store):
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    shopper = Shop(context, live_server.url, folder)
    yield shopper
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        try:
            shopper.shot("failure")
        except Exception as error:  # the page may be gone; the folder still helps
            print(f"could not take the failure screenshot: {error}")
        print(f"\nScreenshots of each step: {folder}")
        print("Browser console:\n" + "\n".join(shopper.console[-40:]))
    context.close()
    # Every page a shopper saw obeyed the shop's Content-Security-Policy (Chromium reports each
    # blocked script, frame, image or connection on the console).
    blocked = [line for line in shopper.console if "Content Security Policy" in line]
    assert blocked == [], "Content-Security-Policy violations:\n" + "\n".join(blocked)
