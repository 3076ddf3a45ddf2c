"""The totals engine on hand-computed carts, through the API, in both tax modes.

Tax-inclusive (EU, default): DE, 3 × A at 19.99 (standard 19 %) + 2 × B at 5.49 (reduced 7 %),
coupon 10 %, flat rate 5.00:
    A: row 59.97, discount 6.00, pays 53.97, VAT 53.97·19/119 = 8.6171 -> 8.62, net 45.35;
       before discount VAT 9.5751 -> 9.58, net 50.39; unit VAT 3.1917 -> 3.19, unit net 16.80
    B: row 10.98, discount 1.10, pays 9.88, VAT 9.88·7/107 = 0.6464 -> 0.65, net 9.23;
       before discount VAT 0.7183 -> 0.72, net 10.26; unit VAT 0.3592 -> 0.36, unit net 5.13
    shipping 5.00: VAT 0.80, net 4.20
    grand 53.97 + 9.88 + 5.00 = 68.85; VAT 19 % 9.42, VAT 7 % 0.65; excluding tax 58.78

Tax-exclusive (US), California 7.25 % on everything, coupon fixed 10.00, flat rate 5.00:
    rows 59.97 and 10.98 (70.95); shares 8.4524 / 1.5476 -> 8.45 / 1.54, the cent left to the
    larger remainder -> 8.45 / 1.55
    A: net 51.52, tax 3.7352 -> 3.74, pays 55.26; before discount tax 4.3478 -> 4.35 -> 64.32;
       unit 19.99 + 1.45 = 21.44
    B: net 9.43, tax 0.6837 -> 0.68, pays 10.11; before discount 0.7961 -> 0.80 -> 11.78;
       unit 5.49 + 0.40 = 5.89
    shipping 5.00 + 0.3625 -> 0.36 = 5.36
    grand 55.26 + 10.11 + 5.36 = 70.73 = 70.95 - 10 + 5 + 4.78
"""

from decimal import Decimal

from django.test import override_settings

from cart.fetch import CartInfo
from cart.models import Cart, CartAddress, CartItem, Coupon
from cart.totals import compute_totals
from shop.models import Product

from .conftest import ADDRESS_DE, ADDRESS_US_CA

PRICES = """
  items {
    product { sku }
    prices { price { value } price_including_tax { value } row_total { value } row_total_including_tax { value }
             total_item_discount { value } }
  }
  prices {
    grand_total { currency value } grand_total_excluding_tax { value }
    subtotal_including_tax { value } subtotal_excluding_tax { value } subtotal_with_discount_excluding_tax { value }
    applied_taxes { label amount { value } }
    discounts { label amount { value } }
  }
  shipping_addresses { selected_shipping_method { amount { value } price_excl_tax { value } price_incl_tax { value } } }
"""


def build_cart(carts, make_product, make_coupon, address, coupon):
    make_product(sku="A", price="19.99", tax_class="standard")
    make_product(sku="B", price="5.49", tax_class="reduced")
    make_coupon(*coupon)
    cart_id = carts.create()
    carts.add(cart_id, "A", 3)
    carts.add(cart_id, "B", 2)
    carts.ship_to(cart_id, address)
    carts.ship_with(cart_id)
    carts.apply_coupon(cart_id, coupon[0])
    return carts.cart(cart_id, PRICES)


def line(sku, price, price_incl, row, row_incl, discount):
    return {
        "product": {"sku": sku},
        "prices": {
            "price": {"value": price},
            "price_including_tax": {"value": price_incl},
            "row_total": {"value": row},
            "row_total_including_tax": {"value": row_incl},
            "total_item_discount": {"value": discount},
        },
    }


def test_tax_inclusive_cart_with_percent_coupon(carts, make_product, make_coupon, tax_rates):
    cart = build_cart(carts, make_product, make_coupon, ADDRESS_DE, ("TEN", "percent", "10"))

    assert cart["items"] == [
        line("A", 16.8, 19.99, 50.39, 59.97, 6.0),
        line("B", 5.13, 5.49, 10.26, 10.98, 1.1),
    ]
    assert cart["prices"] == {
        "grand_total": {"currency": "EUR", "value": 68.85},
        "grand_total_excluding_tax": {"value": 58.78},
        "subtotal_including_tax": {"value": 70.95},
        "subtotal_excluding_tax": {"value": 60.65},
        "subtotal_with_discount_excluding_tax": {"value": 54.58},
        "applied_taxes": [
            {"label": "VAT 19%", "amount": {"value": 9.42}},
            {"label": "VAT 7%", "amount": {"value": 0.65}},
        ],
        "discounts": [{"label": "TEN", "amount": {"value": 7.1}}],
    }
    assert cart["shipping_addresses"][0]["selected_shipping_method"] == {
        "amount": {"value": 5.0},
        "price_excl_tax": {"value": 4.2},
        "price_incl_tax": {"value": 5.0},
    }


@override_settings(PRICES_INCLUDE_TAX=False, STORE_CURRENCY="USD", STORE_COUNTRY="US")
def test_tax_exclusive_cart_with_fixed_coupon(carts, make_product, make_coupon, tax_rates):
    cart = build_cart(carts, make_product, make_coupon, ADDRESS_US_CA, ("TENOFF", "fixed", "10"))

    assert cart["items"] == [
        line("A", 19.99, 21.44, 59.97, 64.32, 8.45),
        line("B", 5.49, 5.89, 10.98, 11.78, 1.55),
    ]
    assert cart["prices"] == {
        "grand_total": {"currency": "USD", "value": 70.73},
        "grand_total_excluding_tax": {"value": 65.95},
        "subtotal_including_tax": {"value": 76.1},
        "subtotal_excluding_tax": {"value": 70.95},
        "subtotal_with_discount_excluding_tax": {"value": 60.95},
        "applied_taxes": [{"label": "Sales Tax 7.25%", "amount": {"value": 4.78}}],
        "discounts": [{"label": "TENOFF", "amount": {"value": 10.0}}],
    }
    assert cart["shipping_addresses"][0]["selected_shipping_method"] == {
        "amount": {"value": 5.0},
        "price_excl_tax": {"value": 5.0},
        "price_incl_tax": {"value": 5.36},
    }


@override_settings(PRICES_INCLUDE_TAX=False, STORE_CURRENCY="USD", STORE_COUNTRY="US")
def test_tax_exclusive_state_without_reduced_rate_falls_back_to_no_tax(carts, make_product, tax_rates):
    """New York: standard 4 %; no reduced rate for NY nor for the US as a whole, so B is untaxed.
    A: 59.97 · 4 % = 2.3988 -> 2.40; shipping 5.00 · 4 % = 0.20; grand 59.97 + 10.98 + 5 + 2.60."""
    make_product(sku="A", price="19.99", tax_class="standard")
    make_product(sku="B", price="5.49", tax_class="reduced")
    cart_id = carts.create()
    carts.add(cart_id, "A", 3)
    carts.add(cart_id, "B", 2)
    carts.ship_to(cart_id, {**ADDRESS_US_CA, "region": "NY", "city": "New York", "postcode": "10001"})
    carts.ship_with(cart_id)

    prices = carts.cart(cart_id, PRICES)["prices"]

    assert prices["applied_taxes"] == [{"label": "Sales Tax 4%", "amount": {"value": 2.6}}]
    assert prices["grand_total"] == {"currency": "USD", "value": 78.55}
    assert prices["grand_total_excluding_tax"] == {"value": 75.95}


@override_settings(PRICES_INCLUDE_TAX=False, STORE_CURRENCY="USD", STORE_COUNTRY="US")
def test_tax_exclusive_state_without_rate_uses_country_rate(carts, make_product, tax_rates):
    make_product(sku="A", price="10.00")
    cart_id = carts.create()
    carts.add(cart_id, "A", 1)
    carts.ship_to(cart_id, {**ADDRESS_US_CA, "region": "TX", "city": "Austin", "postcode": "73301"})

    prices = carts.cart(cart_id, PRICES)["prices"]

    assert prices["applied_taxes"] == []
    assert prices["grand_total"]["value"] == 10.0


def test_cart_without_address_is_taxed_at_the_store_country(carts, product, tax_rates):
    cart_id = carts.create()
    carts.add(cart_id, "24-MB01", 1)

    prices = carts.cart(cart_id, PRICES)["prices"]

    # 19.99 · 19/119 = 3.1917 -> 3.19
    assert prices["applied_taxes"] == [{"label": "VAT 19%", "amount": {"value": 3.19}}]
    assert prices["subtotal_excluding_tax"] == {"value": 16.8}


def test_austrian_address_uses_austrian_vat_on_the_same_gross_price(carts, product, tax_rates):
    cart_id = carts.create()
    carts.add(cart_id, "24-MB01", 1)
    carts.ship_to(cart_id, {**ADDRESS_DE, "country_code": "AT", "city": "Wien", "postcode": "1010"})

    prices = carts.cart(cart_id, PRICES)["prices"]

    # 19.99 · 20/120 = 3.3317 -> 3.33
    assert prices["grand_total"]["value"] == 19.99
    assert prices["applied_taxes"] == [{"label": "VAT 20%", "amount": {"value": 3.33}}]


def test_empty_cart_totals_are_zero_in_currency_precision(db):
    totals = compute_totals(CartInfo(cart=Cart(), items=[], shipping_address=None, billing_address=None))

    for amount in (totals.grand_total, totals.subtotal_excl_tax, totals.tax_total, totals.discount_total):
        assert amount == 0 and amount.as_tuple().exponent == -2


def test_fixed_coupon_over_many_small_lines_adds_up_exactly(db):
    """Bug fixed: rounding each share and putting the difference on one line (capped at that
    line) lost money when many shares rounded to zero: 100 lines of 0.01 with 0.49 off gave 0.01."""
    coupon = Coupon(code="X", discount_type="fixed", value=Decimal("0.49"))
    cart = Cart(coupon=coupon)
    items = [
        CartItem(pk=i, product=Product(sku=f"S{i}", price=Decimal("0.01")), quantity=1) for i in range(100)
    ]
    info = CartInfo(cart=cart, items=items, shipping_address=None, billing_address=None)

    totals = compute_totals(info)

    assert totals.discount_total == Decimal("0.49")
    assert sorted({line.discount for line in totals.lines}) == [Decimal("0.00"), Decimal("0.01")]
    assert totals.grand_total == Decimal("0.51")


def test_selected_method_no_longer_offered_is_not_charged(db):
    address = CartAddress(
        kind="shipping",
        country_code="DE",
        shipping_carrier_code="freeshipping",
        shipping_method_code="freeshipping",
    )
    items = [CartItem(pk=1, product=Product(sku="A", price=Decimal("10.00")), quantity=1)]
    info = CartInfo(cart=Cart(), items=items, shipping_address=address, billing_address=None)

    totals = compute_totals(info)

    assert totals.shipping is None
    assert totals.grand_total == Decimal("10.00")


def test_free_shipping_remaining_is_the_threshold_less_the_discounted_items(db, settings):
    """The cart's "€12.30 more for free shipping" comes from the engine: threshold 100.00,
    items 3 × 32.00 = 96.00, 10 % off -> 86.40 after discount -> 13.60 to go."""
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("100.00")
    coupon = Coupon(code="TEN", discount_type="percent", value=Decimal("10"))
    items = [CartItem(pk=1, product=Product(sku="A", price=Decimal("32.00")), quantity=3)]

    with_coupon = compute_totals(
        CartInfo(cart=Cart(coupon=coupon), items=items, shipping_address=None, billing_address=None)
    )
    without = compute_totals(CartInfo(cart=Cart(), items=items, shipping_address=None, billing_address=None))

    assert with_coupon.free_shipping_remaining == Decimal("13.60")
    assert without.free_shipping_remaining == Decimal("4.00")


def test_free_shipping_remaining_is_none_exactly_when_free_shipping_is_offered(db, settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("64.00")
    address = CartAddress(kind="shipping", country_code="DE")
    items = [CartItem(pk=1, product=Product(sku="A", price=Decimal("32.00")), quantity=2)]

    totals = compute_totals(
        CartInfo(cart=Cart(), items=items, shipping_address=address, billing_address=None)
    )

    assert totals.free_shipping_remaining is None
    assert [rate.carrier_code for rate in totals.available_shipping] == ["flatrate", "freeshipping"]
