"""Property tests: for any cart, in both tax modes, the Klarna payload obeys Klarna's rules
(reference §2.8) and charges exactly the totals engine's grand total."""

from decimal import Decimal

from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from cart.totals import compute_totals
from payments_klarna.order_lines import KlarnaMarket, build_payload, klarna_line_tax, validate_payload
from shop.money import to_minor_units

from .carts import cart_info

TAX_CLASSES = ["standard", "reduced", "zero"]

money = st.integers(min_value=0, max_value=200_000).map(lambda cents: Decimal(cents).scaleb(-2))
rates = st.integers(min_value=0, max_value=2700).map(lambda basis: Decimal(basis).scaleb(-2))
lines = st.lists(
    st.tuples(money, st.integers(min_value=1, max_value=50), st.sampled_from(TAX_CLASSES)),
    min_size=1,
    max_size=8,
)
coupons = st.one_of(
    st.none(),
    st.tuples(st.just("percent"), st.integers(min_value=1, max_value=100).map(Decimal)),
    st.tuples(
        st.just("fixed"), st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    lines=lines,
    rate_by_class=st.fixed_dictionaries({tax_class: rates for tax_class in TAX_CLASSES}),
    coupon=coupons,
    shipping=st.one_of(st.none(), money.filter(lambda amount: amount <= 100)),
    inclusive=st.booleans(),
)
def test_klarna_payload_obeys_klarnas_rules_for_any_cart(lines, rate_by_class, coupon, shipping, inclusive):
    currency, market = (
        ("EUR", KlarnaMarket("DE", "EUR", "de-DE"))
        if inclusive
        else ("USD", KlarnaMarket("US", "USD", "en-US"))
    )
    overrides = {"PRICES_INCLUDE_TAX": inclusive, "STORE_CURRENCY": currency}
    if shipping is not None:
        overrides["SHIPPING_FLATRATE_PRICE"] = shipping
    with override_settings(**overrides):
        info = cart_info(
            [(str(price), qty, tax_class) for price, qty, tax_class in lines],
            rates={tax_class: str(rate) for tax_class, rate in rate_by_class.items()},
            country=market.country,
            coupon=(coupon[0], str(coupon[1])) if coupon else None,
            shipping=shipping is not None,
        )
        totals = compute_totals(info)
        payload = build_payload(info, totals, market)

        validate_payload(payload)  # the shop's own check of every rule

        order_lines = payload["order_lines"]
        for line in order_lines:
            for key in (
                "quantity",
                "unit_price",
                "total_amount",
                "total_discount_amount",
                "total_tax_amount",
                "tax_rate",
            ):
                assert type(line[key]) is int
            assert (
                line["total_amount"] == line["quantity"] * line["unit_price"] - line["total_discount_amount"]
            )
            assert 0 <= line["total_discount_amount"] <= line["quantity"] * line["unit_price"]
            assert (
                abs(line["total_tax_amount"] - klarna_line_tax(line["total_amount"], line["tax_rate"])) <= 1
            )
        assert payload["order_amount"] == sum(line["total_amount"] for line in order_lines)
        assert payload["order_amount"] == to_minor_units(totals.grand_total, currency)
        if inclusive:
            assert payload["order_tax_amount"] == sum(line["total_tax_amount"] for line in order_lines)
            assert not any(line["type"] == "sales_tax" for line in order_lines)
        else:
            sales_tax = [line for line in order_lines if line["type"] == "sales_tax"]
            assert len(sales_tax) == 1 and sales_tax[0]["name"] == "Sales Tax"
            assert all(line["tax_rate"] == 0 and line["total_tax_amount"] == 0 for line in order_lines)
            assert payload["order_tax_amount"] == sales_tax[0]["total_amount"]
        assert payload["order_tax_amount"] == to_minor_units(totals.tax_total, currency)
        assert [line["type"] for line in order_lines].count("shipping_fee") == (
            1 if shipping is not None else 0
        )
