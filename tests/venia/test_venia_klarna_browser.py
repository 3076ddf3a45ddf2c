"""Klarna in Magento's own PWA: real Venia (``make venia``) with this repository's extension
pwa/venia-klarna-payments, driven in Chromium against the live shop and its Klarna emulator. A
guest with a German address picks Klarna "Pay later", the widget loads, Review Order authorizes
in the emulator's popup, Venia places the order, and the shop has it paid with Klarna.

The build loads Klarna's SDK from KLARNA_SDK_URL (default Klarna's CDN). Offline, the browser's
requests to Klarna's CDN are answered by the live shop's emulator (its SDK and its browser
endpoints), as the CDN would answer: cross-origin, with CORS headers. Opt-in like the Venia
checkout test: without build/venia/app/dist it skips and says so."""

import re
import shutil

import pytest

from checkout.models import Order
from payments_klarna.models import KlarnaPayment
from tests.venia.test_venia_browser import (  # noqa: F401 (fixtures)
    SHOTS,
    TIMEOUT_MS,
    VIEWPORTS,
    Steps,
    venia,
    venia_dist,
)

pytestmark = [pytest.mark.browser, pytest.mark.venia_build]

KLARNA_CDN = "https://x.klarnacdn.net"
CORS = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "Content-Type",
}


def _klarna_cdn_from_emulator(context, shop_url: str, calls: list[str]) -> None:
    """Klarna's CDN (the SDK and the calls it makes to where it was loaded from) answered by the
    shop's emulator under /klarna-emulator/."""

    def handle(route):
        request = route.request
        path = request.url[len(KLARNA_CDN) :]
        calls.append(f"{request.method} {path}")
        if request.method == "OPTIONS":
            route.fulfill(status=204, headers=CORS)
            return
        response = route.fetch(url=f"{shop_url}/klarna-emulator{path}")
        route.fulfill(response=response, headers=response.headers | CORS)

    context.route(re.compile(r"^https://x\.klarnacdn\.net/"), handle)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_guest_pays_later_with_klarna_in_venia(chromium, venia, live_server, device):  # noqa: F811
    folder = SHOTS / "klarna" / device
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = chromium.new_context(locale="en-US", service_workers="block", **VIEWPORTS[device])
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), lambda route: route.abort())
    klarna_calls: list[str] = []
    _klarna_cdn_from_emulator(context, live_server.url, klarna_calls)  # registered last: wins
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    steps = Steps(page, venia, folder)
    try:
        _checkout_with_klarna(page, steps, venia, device)
    except Exception:
        steps.shot("failure", full_page=True)
        print(
            f"\nScreenshots: {folder}\nKlarna CDN calls: {klarna_calls}\nBrowser console:\n"
            + "\n".join(steps.console[-40:])
        )
        raise
    finally:
        context.close()

    order = Order.objects.get(email=f"venia-klarna-{device}@example.com")
    assert order.payment_method_code == "klarna_pay_later"
    payment = KlarnaPayment.objects.get(order=order)
    assert payment.status == KlarnaPayment.Status.AUTHORIZED
    assert payment.fraud_status == KlarnaPayment.FraudStatus.ACCEPTED
    assert payment.currency == "EUR"
    assert payment.authorized_amount == int(order.grand_total * 100)
    # The SDK came from the (emulated) CDN, loaded the widget and authorized once.
    assert "GET /kp/lib/v1/api.js" in klarna_calls
    assert klarna_calls.count("POST /kp/sdk/authorize") == 1


def _checkout_with_klarna(page, steps: Steps, base: str, device: str) -> None:
    email = f"venia-klarna-{device}@example.com"
    _to_klarna_widget(page, steps, base, device, email)
    page.click("button:has-text('Review Order')")
    # authorize(): the emulator's popup, approved.
    page.click("[data-testid=klarna-emulator-approve]")
    _place_and_confirm(page, steps, email)


def _place_and_confirm(page, steps: Steps, email: str) -> None:
    page.wait_for_selector("button:has-text('Place Order')")
    steps.shot("review")
    page.click("button:has-text('Place Order')")
    page.wait_for_selector("text=Thank you for your order!")
    page.locator("text=Thank you for your order!").scroll_into_view_if_needed()
    steps.shot("confirmation")
    order = Order.objects.get(email=email)
    assert order.number in page.inner_text("main")


def _to_klarna_widget(page, steps: Steps, base: str, device: str, email: str) -> None:
    """A guest with a German address and one T-shirt at Venia's payment step, Klarna "Pay later"
    chosen and its widget loaded."""
    page.goto(base + "/")
    page.wait_for_selector("main")
    if device == "phone":
        page.click("button[aria-label='Toggle navigation panel']")
        page.click("aside a:has-text('Gifts')")
    else:
        page.click("header >> a:has-text('Gifts')")
    page.wait_for_url(re.compile(r"/gifts"))
    page.click("a:has-text('Organic Cotton T-shirt')")
    page.wait_for_selector("h1:has-text('Organic Cotton T-shirt')")
    page.click("button[title='Blue']")
    page.click("button[title='M']")
    page.click("button:has-text('Add to Cart')")
    cart_trigger = "button[aria-label='Toggle mini cart. You have 1 items in your cart.']:visible"
    page.wait_for_selector(cart_trigger)
    page.goto(base + "/cart")
    page.wait_for_selector("main :text('Organic Cotton T-shirt'):visible")
    page.click("button:has-text('Proceed to Checkout')")
    page.wait_for_url(re.compile(r"/checkout$"))
    page.wait_for_selector("input[name=firstname]")

    # A German shopper: Klarna's market for the store's euros.
    page.fill("form:has(input[name=firstname]) input[name=email]", email)
    page.fill("input[name=firstname]", "Anna")
    page.fill("input[name=lastname]", "Muster")
    page.select_option("select[name=country]", "DE")
    page.fill("input[name='street[0]']", "Hauptstraße 1")
    page.fill("input[name=city]", "Berlin")
    region = page.locator("select[name='region[region_id]'], input[name='region[region]']").first
    if region.evaluate("e => e.tagName") == "SELECT":
        region.select_option(label="Berlin")
    else:
        region.fill("Berlin")
    page.fill("input[name=postcode]", "10115")
    page.fill("input[name=telephone]", "030123456")
    steps.shot("address", full_page=True)
    page.click("button:has-text('Continue to Shipping Method')")
    page.wait_for_selector("button:has-text('Continue to Payment Information')")
    page.click("button:has-text('Continue to Payment Information')")

    # The extension asked for a Klarna session: Klarna's categories are Venia payment options.
    page.wait_for_selector("text=Check / Money order")
    page.click("label:has-text('Pay later in 30 days')")
    # The widget: the emulator's SDK rendered the category into the extension's container.
    page.wait_for_selector("#klarna-payments-container-pay_later [data-testid=klarna-emulator-category-name]")
    steps.shot("klarna-widget", full_page=True)


def _klarna_page(chromium, live_server, name: str):
    folder = SHOTS / "klarna" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = chromium.new_context(locale="en-US", service_workers="block", **VIEWPORTS["desktop"])
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), lambda route: route.abort())
    calls: list[str] = []
    _klarna_cdn_from_emulator(context, live_server.url, calls)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page, Steps(page, "", folder), calls


def test_closed_klarna_popup_says_try_again_and_the_retry_places_one_order(chromium, venia, live_server):  # noqa: F811
    context, page, steps, calls = _klarna_page(chromium, live_server, "closed-popup")
    email = "venia-klarna-closed@example.com"
    try:
        _to_klarna_widget(page, steps, venia, "desktop", email)
        page.click("button:has-text('Review Order')")
        page.click("[data-testid=klarna-emulator-close]")
        page.wait_for_selector(
            "[role=alert]:has-text('The Klarna payment was not completed. Please try again.')"
        )
        steps.shot("closed", full_page=True)
        assert not Order.objects.filter(email=email).exists()
        page.click("button:has-text('Review Order')")
        page.click("[data-testid=klarna-emulator-approve]")
        _place_and_confirm(page, steps, email)
    except Exception:
        steps.shot("failure", full_page=True)
        print("\n".join(steps.console[-30:]), calls)
        raise
    finally:
        context.close()
    assert Order.objects.filter(email=email).count() == 1
    assert Order.objects.get(email=email).payment_method_code == "klarna_pay_later"


def test_declined_by_klarna_says_choose_another_method_and_places_nothing(chromium, venia, live_server):  # noqa: F811
    context, page, steps, calls = _klarna_page(chromium, live_server, "declined")
    email = "venia+denied@example.com"  # the emulator's declining persona
    try:
        _to_klarna_widget(page, steps, venia, "desktop", email)
        page.click("button:has-text('Review Order')")
        approve = page.locator("[data-testid=klarna-emulator-approve]")  # the persona declines anyway
        alert = page.locator("[role=alert]:has-text('Klarna declined this payment')")
        alert.or_(approve).first.wait_for()
        if approve.is_visible():
            approve.click()
        alert.wait_for()
        steps.shot("declined", full_page=True)
        # Venia stays on the payment step, Review Order still there; nothing was ordered.
        assert page.locator("button:has-text('Review Order')").is_visible()
    except Exception:
        steps.shot("failure", full_page=True)
        print("\n".join(steps.console[-30:]), calls)
        raise
    finally:
        context.close()
    assert not Order.objects.filter(email=email).exists()
