"""A shopper picks a T-shirt's colour and size in a real browser and buys that variant."""

import pytest

from cart.models import CartItem

pytestmark = pytest.mark.browser

TEE = "demo-tee-01"  # the demo T-shirt: Blue/Red × S/M/L, Red L sold out


def test_pick_colour_and_size_see_its_stock_and_add_it(shop):
    page = shop.page
    page.goto(shop.url(f"/products/{TEE}/"))
    assert "24,90\xa0€ – 26,90\xa0€" in page.inner_text("[data-price]")
    shop.shot("product")

    # Without a choice the browser asks for one (required selects) and nothing is added.
    page.click("button:has-text('Add to cart')")
    assert page.eval_on_selector("#option-color", "el => el.validity.valueMissing")
    assert not CartItem.objects.exists()

    page.select_option("#option-color", label="Red")
    page.select_option("#option-size", label="L")
    assert page.inner_text("[data-stock]") == "Out of stock"
    page.select_option("#option-size", label="M")
    assert page.inner_text("[data-stock]") == "6 in stock"
    assert page.inner_text("[data-sku-display]") == "DEMO-TEE-01-RED-M"
    assert "24,90\xa0€" in page.inner_text("[data-price-amount]")
    assert page.get_attribute("[data-product-image]", "src").endswith("/tshirt-red.svg")
    shop.shot("red-m-chosen")

    page.fill("#quantity", "2")
    page.click("button:has-text('Add to cart')")
    page.wait_for_selector("#messages .message--success")
    shop.shot("added")
    assert page.inner_text("[data-cart-count]") == "2"
    [item] = CartItem.objects.select_related("product")
    assert (item.product.sku, item.quantity) == ("DEMO-TEE-01-RED-M", 2)

    page.goto(shop.url("/cart/"))
    # The cart page's line shows the product chosen (Magento's ``product`` of a configurable
    # line is the parent) at the variant's price: 2 × 24.90.
    page.wait_for_selector("main >> text=Organic Cotton T-shirt")
    assert "49,80\xa0€" in page.inner_text("main")
    shop.shot("cart")
