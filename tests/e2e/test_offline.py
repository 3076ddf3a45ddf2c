"""Emulator mode is offline: a whole Klarna checkout in the browser asks no host but the shop."""

from urllib.parse import urlsplit

import pytest

from checkout.models import Order
from tests.browser_fixtures import wait_until

pytestmark = pytest.mark.browser

BOOK = "demo-book-02"
BADGES_LOADED = """() => {
    const badges = [...document.querySelectorAll('.payment-option__logo')];
    return badges.length > 0 && badges.every((img) => img.complete && img.naturalWidth > 0);
}"""


def test_emulator_checkout_requests_nothing_but_the_shop_and_shows_the_badge(shop):
    requested = []
    shop.context.on("request", lambda request: requested.append(request.url))

    shop.add_to_cart(BOOK)
    shop.fill_address("anna@example.com")
    shop.wait_until_ready()
    wait_until(shop.page, BADGES_LOADED)
    shop.shot("badges")
    badge = shop.page.eval_on_selector(
        ".payment-option__logo", "img => ({src: img.src, width: img.naturalWidth})"
    )
    shop.page.click("[data-place-order]")
    shop.approve_in_klarna()
    number = shop.wait_for_confirmation()

    assert Order.objects.get(number=number).payment_method_code.startswith("klarna_")
    shop_origin = urlsplit(shop.base_url).netloc
    assert urlsplit(badge["src"]).netloc == shop_origin and badge["width"] > 0
    assert "/klarna-emulator/" in badge["src"]
    network = [url for url in requested if urlsplit(url).scheme not in ("data", "blob", "about")]
    assert any("/klarna-emulator/kp/lib/v1/api.js" in url for url in network)
    elsewhere = [url for url in network if urlsplit(url).netloc != shop_origin]
    assert elsewhere == [], elsewhere
