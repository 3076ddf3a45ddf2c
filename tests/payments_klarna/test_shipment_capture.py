"""Klarna order lines of shipments (``payments_klarna.shipment_capture``): however a line is
split into shipments, the parts add up to the whole line Klarna holds, to the cent, and each
part still satisfies Klarna's line rules."""

from decimal import Decimal
from itertools import product as splits_of
from types import SimpleNamespace

import pytest

from cart.payment_methods import ShipmentPart
from payments_klarna.order_lines import klarna_line_tax, validate_payload
from payments_klarna.shipment_capture import shipment_lines


class Items(list):
    def all(self):
        return self


def make_order(*, inclusive=True, quantity=3):
    # 3 × 19.99 at 19 % with 3.00 off (line tax 9.09), 5.00 shipping incl. 0.80 tax
    item = SimpleNamespace(
        pk=7,
        sku="24-MB01",
        name="Joust Duffle Bag",
        quantity=quantity,
        tax_rate=Decimal("19.0000") if inclusive else Decimal("7.2500"),
        price_incl_tax=Decimal("19.9900"),
        price_excl_tax=Decimal("16.8000") if inclusive else Decimal("19.9900"),
        discount=Decimal("3.0000"),
        tax_amount=Decimal("9.0900") if inclusive else Decimal("4.1300"),
    )
    return SimpleNamespace(
        currency="EUR" if inclusive else "USD",
        prices_include_tax=inclusive,
        items=Items([item]),
        shipping_incl_tax=Decimal("5.0000") if inclusive else Decimal("5.3600"),
        shipping_excl_tax=Decimal("4.2000") if inclusive else Decimal("5.0000"),
        shipping_carrier_code="flatrate",
        shipping_method_code="flatrate",
        shipping_title="Flat Rate - Fixed",
        tax_total=Decimal("9.8900") if inclusive else Decimal("4.4900"),
    ), item


def ship_in(order, item, quantities):
    shipped, captures = 0, []
    for index, quantity in enumerate(quantities):
        parts = [ShipmentPart(order_item=item, quantity=quantity, shipped_before=shipped)]
        captures.append(shipment_lines(order, parts, include_shipping_fee=index == 0, sent_lines=[]))
        shipped += quantity
    return captures


SPLITS = [[3], [1, 2], [2, 1], [1, 1, 1]]


@pytest.mark.parametrize("split", SPLITS)
def test_parts_of_a_tax_inclusive_line_add_up_to_the_whole_line(split):
    order, item = make_order()
    whole = ship_in(order, item, [3])[0]
    captures = ship_in(order, item, split)

    for key in ("total_amount", "total_discount_amount", "total_tax_amount", "quantity"):
        assert sum(line[key] for lines in captures for line in lines if line["type"] == "physical") == sum(
            line[key] for line in whole if line["type"] == "physical"
        )
    assert sum(line["total_amount"] for lines in captures for line in lines) == 5997 - 300 + 500
    for lines in captures:
        for line in lines:
            assert (
                line["total_amount"] == line["quantity"] * line["unit_price"] - line["total_discount_amount"]
            )
            assert (
                abs(line["total_tax_amount"] - klarna_line_tax(line["total_amount"], line["tax_rate"])) <= 1.5
            )
    # the shipping fee goes with the first shipment only
    assert [sum(1 for line in lines if line["type"] == "shipping_fee") for lines in captures] == [1] + [0] * (
        len(split) - 1
    )


@pytest.mark.parametrize("split", SPLITS)
def test_tax_exclusive_shipments_carry_their_share_of_sales_tax_and_all_of_it_at_the_end(split):
    order, item = make_order(inclusive=False)
    captures = ship_in(order, item, split)

    sales_tax = [
        sum(line["total_amount"] for line in lines if line["type"] == "sales_tax") for lines in captures
    ]
    assert sum(sales_tax) == 449  # the order's whole tax, to the cent
    total = sum(line["total_amount"] for lines in captures for line in lines)
    assert total == 5997 - 300 + 500 + 449
    for lines in captures:
        assert all(line["tax_rate"] == 0 and line["total_tax_amount"] == 0 for line in lines)


def test_a_whole_shipment_is_a_valid_klarna_payload():
    order, item = make_order()
    [lines] = ship_in(order, item, [3])
    validate_payload(
        {
            "order_amount": sum(line["total_amount"] for line in lines),
            "order_tax_amount": sum(line["total_tax_amount"] for line in lines),
            "order_lines": lines,
        }
    )


def test_every_split_of_a_larger_line_adds_up():
    order, item = make_order(quantity=4)
    whole = sum(line["total_amount"] for line in ship_in(order, item, [4])[0])
    for split in splits_of(range(0, 5), repeat=3):
        if sum(split) != 4 or 0 in split:
            continue
        assert (
            sum(line["total_amount"] for lines in ship_in(order, item, list(split)) for line in lines)
            == whole
        )
