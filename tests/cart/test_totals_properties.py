"""Property tests: for any cart, in both tax modes, the totals add up and stay exact.

Carts are built in memory (unsaved model instances in a ``CartInfo``), so no query runs.
"""

import dataclasses
from decimal import Decimal

from django.db import models
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cart.fetch import CartInfo
from cart.models import Cart, CartAddress, CartItem, Coupon
from cart.totals import CartTotals, compute_totals
from shop.models import Product, TaxRate

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CENT = Decimal("0.01")

prices = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("2000.00"), places=2)
rates = st.sampled_from([Decimal(r) for r in ("0", "4", "7", "7.25", "8.875", "10", "19", "20", "25.5")])
tax_classes = st.sampled_from(["standard", "reduced", "zero"])


@st.composite
def coupons(draw):
    kind = draw(st.sampled_from([None, "percent", "fixed"]))
    if kind is None:
        return None
    if kind == "percent":
        value = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2))
    else:
        value = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2))
    minimum = draw(st.one_of(st.none(), prices))
    return Coupon(code="C", discount_type=kind, value=value, min_subtotal=minimum)


@st.composite
def carts(draw):
    lines = draw(st.lists(st.tuples(prices, st.integers(1, 50), tax_classes), max_size=12))
    items = [
        CartItem(
            pk=i + 1, product=Product(sku=f"S{i}", name=f"P{i}", price=price, tax_class=tax_class), quantity=q
        )
        for i, (price, q, tax_class) in enumerate(lines)
    ]
    tax_rates = [
        TaxRate(country="XX", region="", tax_class=tax_class, rate=draw(rates), label="Tax")
        for tax_class in ("standard", "reduced", "zero")
    ]
    shipping = None
    if draw(st.booleans()):
        method = draw(st.sampled_from(["", "flatrate", "freeshipping"]))
        shipping = CartAddress(
            kind="shipping", country_code="XX", shipping_carrier_code=method, shipping_method_code=method
        )
    cart = Cart(coupon=draw(coupons()))
    return CartInfo(
        cart=cart, items=items, shipping_address=shipping, billing_address=None, tax_rates=tax_rates
    )


def exact(amount, places=2) -> bool:
    return isinstance(amount, Decimal) and amount.as_tuple().exponent == -places


def walk(value, path="totals"):
    """Every (path, value) inside the totals: dataclass fields, list items, model field values."""
    yield path, value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")
    elif isinstance(value, models.Model):
        for f in value._meta.concrete_fields:
            yield f"{path}.{f.attname}", getattr(value, f.attname)


def check_totals(info: CartInfo, totals: CartTotals, inclusive: bool) -> None:
    rows = sum((line.row_total for line in totals.lines), Decimal("0.00"))
    shipping = totals.shipping.amount if totals.shipping else Decimal("0.00")
    expected = rows - totals.discount_total + shipping + (Decimal(0) if inclusive else totals.tax_total)
    assert totals.grand_total == expected

    assert totals.discount_total == sum((line.discount for line in totals.lines), Decimal(0))
    assert totals.tax_total == sum((tax.amount for tax in totals.applied_taxes), Decimal(0))
    assert totals.grand_total_excl_tax == totals.grand_total - totals.tax_total
    assert totals.subtotal_with_discount_excl_tax == sum(
        (line.total_excl_tax for line in totals.lines), Decimal(0)
    )
    assert totals.total_quantity == sum(item.quantity for item in info.items)

    for line in totals.lines:
        assert Decimal(0) <= line.discount <= line.row_total
        for amount in (line.total_excl_tax, line.total_incl_tax, line.tax_amount, line.price_excl_tax):
            assert amount >= 0
        assert line.total_incl_tax == line.total_excl_tax + line.tax_amount
    assert totals.grand_total >= 0

    coupon = totals.coupon
    if coupon is not None and coupon.discount_type == "fixed":
        assert totals.discount_total == min(coupon.value, rows)
    if coupon is not None and coupon.discount_type == "percent" and coupon.value == 100:
        assert totals.discount_total == rows

    for path, value in walk(totals):
        assert not isinstance(value, float), f"float at {path}"
        if isinstance(value, Decimal) and not path.endswith((".rate", ".value", ".min_subtotal")):
            assert exact(value), f"{path} = {value!r} is not quantized to 2 places"


@SETTINGS
@given(info=carts())
def test_totals_add_up_with_prices_including_tax(info):
    with override_settings(PRICES_INCLUDE_TAX=True, STORE_CURRENCY="EUR"):
        totals = compute_totals(info)
    check_totals(info, totals, inclusive=True)


@SETTINGS
@given(info=carts())
def test_totals_add_up_with_prices_excluding_tax(info):
    with override_settings(PRICES_INCLUDE_TAX=False, STORE_CURRENCY="USD"):
        totals = compute_totals(info)
    check_totals(info, totals, inclusive=False)


@SETTINGS
@given(
    rows=st.lists(
        st.decimals(min_value=CENT, max_value=Decimal("500.00"), places=2), min_size=1, max_size=30
    ),
    value=st.decimals(min_value=CENT, max_value=Decimal("3000.00"), places=2),
)
def test_fixed_coupon_parts_add_up_to_the_coupon_or_the_subtotal(rows, value):
    from cart.totals import allocate_discount

    parts = allocate_discount(Coupon(code="F", discount_type="fixed", value=value), rows, "EUR")

    assert sum(parts, Decimal(0)) == min(value, sum(rows, Decimal(0)))
    assert all(Decimal(0) <= part <= row and exact(part) for part, row in zip(parts, rows, strict=True))
