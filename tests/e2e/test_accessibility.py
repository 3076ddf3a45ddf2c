"""Accessibility (issue 18 part 4) in Chromium.

- axe-core (the copy the ``axe-playwright-python`` test dependency ships) audits every page a
  shopper meets — catalog, product, cart, sign-in, checkout (with the Klarna widget shown),
  confirmation, My orders and an order — at desktop (1280) and phone (390) width, and finds no
  serious or critical violation. axe is injected as a script, which the shop's CSP rightly
  forbids, so the audit runs in its own browser context with ``bypass_csp``; every other browser
  test keeps the CSP (the ``shop`` fixture fails on a violation).
- A shopper checks out with the keyboard alone: Tab to move, typing, Enter/Space to press, the
  arrow keys inside the payment radio group (how a radio group is operated), and sees where the
  focus is at every step.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from checkout.models import Order
from shop import customers
from tests.browser_fixtures import wait_until

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"  # 32.00 EUR incl. VAT
PASSWORD = "Correct-Horse-42"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}


def audit(page, name: str, found: dict) -> None:
    """axe at both widths; serious/critical violations are collected under ``name``."""
    axe = Axe()
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        results = axe.run(page).response
        assert results["testEngine"]["name"] == "axe-core" and results["passes"], "axe did not run"
        for violation in results["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"][:5]]
                found.setdefault(f"{name} ({label})", []).append(
                    f"{violation['id']} [{violation['impact']}]: {violation['help']} {targets}"
                )
        if label == "phone":  # and nothing scrolls sideways on a phone
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wide > 0:
                found.setdefault(f"{name} ({label})", []).append(f"scrolls sideways by {wide} px")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def kim(demo_store):
    return customers.create_customer(
        email="kim@example.com", firstname="Kim", lastname="Lee", password=PASSWORD
    )


def test_axe_finds_no_serious_violation_on_any_shopper_page(chromium, live_server, kim):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    url = live_server.url
    found: dict[str, list[str]] = {}
    try:
        page.goto(url + "/")
        audit(page, "catalog", found)
        page.goto(url + f"/products/{BOOK}/")
        audit(page, "product", found)
        page.fill("#quantity", "2")
        page.click("button:has-text('Add to cart')")
        page.wait_for_selector("#messages .message--success")
        page.goto(url + "/cart/")
        page.wait_for_selector("input[name=quantity]")
        audit(page, "cart", found)

        page.goto(url + "/account/sign-in/?next=/checkout/")
        audit(page, "sign-in", found)
        page.fill("#id_email", "kim@example.com")
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url("**/checkout/")
        page.wait_for_selector("[data-summary-lines] li")
        page.fill("#shipping-firstname", "Kim")
        page.fill("#shipping-lastname", "Lee")
        page.fill("#shipping-street1", "Hauptstraße 1")
        page.fill("#shipping-postcode", "10115")
        page.fill("#shipping-city", "Berlin")
        page.fill("#shipping-telephone", "+49 30 1234567")
        page.click("[data-save-address]")
        page.wait_for_selector("[data-payment-methods]:not([hidden])")
        wait_until(page, "!document.querySelector('[data-place-order]').disabled")
        page.wait_for_selector("[data-testid=klarna-emulator-widget]")
        audit(page, "checkout with the Klarna widget", found)

        page.check("#payment-checkmo")
        wait_until(page, "!document.querySelector('[data-place-order]').disabled")
        page.click("[data-place-order]")
        page.wait_for_url("**/checkout/success/**")
        audit(page, "confirmation", found)
        number = page.inner_text("[data-order-number]")

        page.goto(url + "/account/orders/")
        page.wait_for_selector(f"[data-order='{number}']")
        audit(page, "My orders", found)
        page.goto(url + f"/account/orders/{number}/")
        audit(page, "an order in My orders", found)
    finally:
        context.close()
    assert found == {}, "axe found serious or critical violations:\n" + "\n".join(
        f"{page_name}: {line}" for page_name, lines in found.items() for line in lines
    )


# --- keyboard only ------------------------------------------------------------------------------

FOCUSED = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    id: el.id, tag: el.tagName, type: el.type || "", text: (el.innerText || el.value || "").trim().slice(0, 40),
    checked: !!el.checked, value: el.value || "",
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shown: rect.width > 0 && rect.height > 0,
  };
})()"""


class Keyboard:
    """Tabs through a page, recording every element the focus lands on."""

    def __init__(self, page):
        self.page = page
        self.visited: list[dict] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, matches, limit: int = 60) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            now = self.focused()
            if now is not None:
                self.visited.append(now)
                if matches(now):
                    return now
        raise AssertionError(
            f"Tab never reached the element; visited {[v['id'] or v['text'] for v in self.visited[-limit:]]}"
        )

    def tab_to_id(self, element_id: str) -> dict:
        return self.tab_to(lambda f: f["id"] == element_id)

    def type_into(self, element_id: str, text: str) -> None:
        self.tab_to_id(element_id)
        self.page.keyboard.type(text)


def test_keyboard_only_checkout_with_check_money_order(shop):
    page = shop.page
    keys = Keyboard(page)
    page.goto(shop.url(f"/products/{BOOK}/"))
    keys.tab_to(lambda f: f["tag"] == "BUTTON" and f["text"] == "Add to cart")
    page.keyboard.press("Enter")
    page.wait_for_selector("#messages .message--success")

    keys.tab_to(lambda f: f["tag"] == "A" and f["text"].startswith("Cart"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/cart/")
    keys.tab_to(lambda f: f["tag"] == "A" and "checkout" in f["text"].lower())
    page.keyboard.press("Enter")
    page.wait_for_url("**/checkout/")
    page.wait_for_selector("[data-summary-lines] li")

    keys.type_into("email", "keys@example.com")
    keys.type_into("shipping-firstname", "Kai")
    keys.type_into("shipping-lastname", "Tast")
    keys.type_into("shipping-street1", "Hauptstraße 1")
    keys.type_into("shipping-postcode", "10115")
    keys.type_into("shipping-city", "Berlin")
    keys.tab_to_id("shipping-country")  # Germany, the store's country, is preselected
    keys.type_into("shipping-telephone", "+49 30 1234567")
    shop.shot("keyboard-address")
    keys.tab_to(lambda f: f["tag"] == "BUTTON" and f["text"] == "Save and continue")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-payment-methods]:not([hidden])")
    wait_until(page, "!document.querySelector('[data-place-order]').disabled")

    # Shipping: the cheapest method is preselected; Space on it keeps it chosen.
    shipping = keys.tab_to(lambda f: f["type"] == "radio" and f["id"].startswith("shipping-"))
    page.keyboard.press("Space")
    assert page.eval_on_selector(f"#{shipping['id']}", "el => el.checked")

    # Payment: Tab enters the radio group at the chosen method; the arrows move within it.
    keys.tab_to(lambda f: f["type"] == "radio" and f["id"].startswith("payment-"))
    for _ in range(6):
        if keys.focused()["id"] == "payment-checkmo":
            break
        page.keyboard.press("ArrowDown")
        wait_until(page, "!document.querySelector('[data-place-order]').disabled")
    assert keys.focused()["id"] == "payment-checkmo" and keys.focused()["checked"]
    page.keyboard.press("Space")
    shop.shot("keyboard-checkmo")

    keys.tab_to(lambda f: f["tag"] == "BUTTON" and f["text"].startswith("Place order"))
    shop.shot("keyboard-place-order-focused")
    page.keyboard.press("Enter")
    number = shop.wait_for_confirmation()

    order = Order.objects.get(number=number)
    assert (order.email, order.payment_method_code) == ("keys@example.com", "checkmo")
    assert "Thank you for your order" in page.inner_text("h1")
    # Every element the focus landed on was visible and drew the focus ring.
    assert len(keys.visited) > 15
    unseen = [v for v in keys.visited if not (v["ring"] and v["shown"])]
    assert unseen == [], f"focus without a visible ring: {unseen}"
