"""Magento's own PWA storefront, Venia 14.5.1, built by ``make venia`` and served by its UPWARD
server (which proxies /graphql to the live shop, so Venia's Apollo talks same-origin), driven in
Chromium: a guest browses a category, opens the configurable T-shirt, picks a colour and a size,
adds it, opens the mini cart and the cart page and checks out with Check / Money order.

Opt-in: needs build/venia/app/dist (``make venia``, a few minutes); without it the test skips and
says so. Screenshots of every step go to VENIA_SHOTS (default test-artifacts/venia/)."""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from checkout.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.venia_build]

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "build" / "venia" / "app"
SHOTS = Path(os.environ.get("VENIA_SHOTS", ROOT / "test-artifacts" / "venia"))
TIMEOUT_MS = 30_000

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def venia_dist() -> Path:
    dist = APP / "dist" / "index.html"
    if not dist.exists():
        reason = f"no Venia build at {dist.parent} (run `make venia`, about 10 minutes the first time)"
        print(f"\nSkipping the Venia browser test: {reason}")
        pytest.skip(reason)
    return dist.parent


@pytest.fixture
def venia(venia_dist, live_server, transactional_db):
    """Venia's UPWARD server (``buildpack serve``) in front of the live shop."""
    call_command("seed_demo", verbosity=0)
    port = _free_port()
    env = os.environ | {
        "MAGENTO_BACKEND_URL": live_server.url + "/",
        "NODE_ENV": "production",
        "PORT": str(port),
        "CUSTOM_ORIGIN_ENABLED": "false",
        "UPWARD_JS_BIND_LOCAL": "true",
        "DISABLE_V8_COMPILE_CACHE": "1",
    }
    log = open(SHOTS.parent / "venia-upward.log", "w") if SHOTS.parent.exists() else subprocess.DEVNULL
    server = subprocess.Popen(
        ["node", "node_modules/.bin/buildpack", "serve", "."],
        cwd=APP,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"Venia's UPWARD server did not start on {url} (exit {server.poll()})")
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(10)


class Steps:
    def __init__(self, page, base: str, folder: Path):
        self.page, self.base, self.folder, self.n = page, base, folder, 0
        self.console: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("response", self._graphql_errors)

    def _graphql_errors(self, response) -> None:
        # What the shop refused, for the failure report (the page hides most of it).
        if "/graphql" in response.url and response.request.method == "POST":
            try:
                body = response.json()
            except Exception:
                return
            if body.get("errors"):
                self.console.append(
                    f"graphql {response.request.post_data_json.get('operationName')}: {body['errors']}"
                )

    def shot(self, name: str, full_page: bool = False) -> None:
        self.n += 1
        self.page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=full_page)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_guest_buys_a_configurable_tshirt_in_venia(chromium, venia, device):
    folder = SHOTS / device
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # No service worker (its fetches bypass request routing) and nothing from outside this
    # machine: Venia's template links Google Fonts, which an offline run must not wait for.
    context = chromium.new_context(locale="en-US", service_workers="block", **VIEWPORTS[device])
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    steps = Steps(page, venia, folder)
    try:
        _checkout(page, steps, venia, device)
    except Exception:
        steps.shot("failure", full_page=True)
        print(f"\nScreenshots: {folder}\nBrowser console:\n" + "\n".join(steps.console[-40:]))
        raise
    finally:
        context.close()


def _checkout(page, steps: Steps, base: str, device: str) -> None:
    # Home: Venia's shell, the store's name from storeConfig, the CMS home page.
    page.goto(base + "/")
    page.wait_for_selector("main")
    steps.shot("home")

    # A category, from the menu (the phone opens its navigation drawer first).
    if device == "phone":
        page.click("button[aria-label='Toggle navigation panel']")
        page.click("aside a:has-text('Gifts')")
    else:
        page.click("header >> a:has-text('Gifts')")
    page.wait_for_url(re.compile(r"/gifts"))
    page.wait_for_selector("text=Organic Cotton T-shirt")
    steps.shot("category")

    # The configurable T-shirt: colour and size.
    page.click("a:has-text('Organic Cotton T-shirt')")
    page.wait_for_selector("h1:has-text('Organic Cotton T-shirt')")
    page.wait_for_selector("button[title='Blue']")
    steps.shot("product")
    page.click("button[title='Blue']")
    page.click("button[title='M']")
    steps.shot("options-picked")
    page.click("button:has-text('Add to Cart')")
    # Venia shows no message: the cart trigger's count becomes 1 (one trigger per layout; the
    # visible one).
    cart_trigger = "button[aria-label='Toggle mini cart. You have 1 items in your cart.']:visible"
    page.wait_for_selector(cart_trigger)
    steps.shot("added")

    if device == "desktop":
        # The mini cart, then the cart page from it.
        page.click(cart_trigger)
        page.wait_for_selector("aside >> text=Organic Cotton T-shirt")
        steps.shot("mini-cart")
        page.click("button:has-text('Edit Shopping Bag')")
    else:
        # On a phone Venia has no mini cart: its cart trigger opens the cart page.
        page.click(cart_trigger)
    page.wait_for_url(re.compile(r"/cart$"))
    page.wait_for_selector("main :text('Organic Cotton T-shirt'):visible")
    steps.shot("cart")

    # Checkout as a guest: address, shipping method, Check / Money order, place the order.
    page.click("button:has-text('Proceed to Checkout')")
    page.wait_for_url(re.compile(r"/checkout$"))
    page.wait_for_selector("input[name=firstname]")
    # The guest form's email, not the footer's newsletter field.
    page.fill("form:has(input[name=firstname]) input[name=email]", f"venia-{device}@example.com")
    page.fill("input[name=firstname]", "Anna")
    page.fill("input[name=lastname]", "Muster")
    page.select_option("select[name=country]", "US")
    page.fill("input[name='street[0]']", "1 Main Street")
    page.fill("input[name=city]", "Austin")
    page.select_option("select[name='region[region_id]']", label="Texas")
    page.fill("input[name=postcode]", "78701")
    page.fill("input[name=telephone]", "5125550100")
    steps.shot("address", full_page=True)
    page.click("button:has-text('Continue to Shipping Method')")
    page.wait_for_selector("button:has-text('Continue to Payment Information')")
    steps.shot("shipping-method")
    page.click("button:has-text('Continue to Payment Information')")
    page.click("text=Check / Money order")
    steps.shot("payment")
    page.click("button:has-text('Review Order')")
    page.click("button:has-text('Place Order')")
    page.wait_for_selector("text=Thank you for your order!")
    page.locator("text=Thank you for your order!").scroll_into_view_if_needed()
    steps.shot("confirmation")

    order = Order.objects.get(email=f"venia-{device}@example.com")
    assert order.number in page.inner_text("main")
    [line] = order.items.all()
    assert line.sku == "DEMO-TEE-01-BLUE-M"
