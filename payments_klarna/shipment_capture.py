"""Klarna order lines for a shipment: what a shipment of some order lines captures.

Derived from the order's own lines (``checkout.models.OrderItem``), the same amounts the Klarna
order was created from (``order_lines.order_lines``), in integer minor units:

- an item line ships in parts; each part is the difference of a *cumulative* share
  (``_cumulative``: discount ``D·n // Q``, total ``n·U − discount``, tax by Klarna's formula,
  and the line's full discount and tax once ``n = Q``). So the parts of a line always add up
  to exactly the line Klarna holds, however it was split, and the last shipment leaves
  nothing uncaptured and captures nothing twice.
- the shipping fee line goes with the first shipment (Klarna's advice: capture the fee with
  the first goods).
- tax-exclusive (US) orders carry tax on one ``sales_tax`` line: its part is again a
  cumulative share of the order's tax (the order's whole tax once everything has shipped).

Pure: reads the order's rows only, never calls Klarna.
"""

from decimal import ROUND_HALF_UP, Decimal

from shop.money import to_minor_units

from .order_lines import SALES_TAX_NAME, klarna_line_tax, tax_rate_basis_points


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def _cumulative(n: int, full: dict) -> tuple[int, int, int]:
    """(discount, total, tax) of the first ``n`` of a line's ``full`` quantity."""
    quantity = full["quantity"]
    if n >= quantity:
        return full["total_discount_amount"], full["total_amount"], full["total_tax_amount"]
    discount = full["total_discount_amount"] * n // quantity
    total = n * full["unit_price"] - discount
    tax = _round(klarna_line_tax(total, full["tax_rate"])) if full["tax_rate"] else 0
    return discount, total, tax


def item_line(item, inclusive: bool, currency: str) -> dict:
    """The whole Klarna order line of an order item (as ``order_lines.order_lines`` made it)."""

    def minor(amount: Decimal) -> int:
        return to_minor_units(amount, currency)

    unit_price = minor(item.price_incl_tax if inclusive else item.price_excl_tax)
    discount = minor(item.discount)
    return {
        "type": "physical",
        "reference": item.sku[:255],
        "name": (item.name or item.sku)[:255],
        "quantity": item.quantity,
        "quantity_unit": "pcs",
        "unit_price": unit_price,
        "tax_rate": tax_rate_basis_points(item.tax_rate) if inclusive else 0,
        "total_amount": item.quantity * unit_price - discount,
        "total_discount_amount": discount,
        "total_tax_amount": minor(item.tax_amount) if inclusive else 0,
    }


def part_line(full: dict, quantity: int, shipped_before: int) -> dict:
    """``quantity`` units of ``full`` after ``shipped_before`` units were captured already."""
    before = _cumulative(shipped_before, full)
    after = _cumulative(shipped_before + quantity, full)
    return {
        **full,
        "quantity": quantity,
        "total_discount_amount": after[0] - before[0],
        "total_amount": after[1] - before[1],
        "total_tax_amount": after[2] - before[2],
    }


def shipping_fee_line(order, currency: str, sent_lines: list[dict]) -> dict | None:
    """The order's shipping fee line: as sent to Klarna when the session's payload has it
    (its exact tax rate), else from the order's amounts."""
    if not order.shipping_incl_tax:
        return None
    for line in sent_lines:
        if line.get("type") == "shipping_fee":
            return dict(line)
    inclusive = order.prices_include_tax
    amount = to_minor_units(order.shipping_incl_tax if inclusive else order.shipping_excl_tax, currency)
    tax = to_minor_units(order.shipping_incl_tax - order.shipping_excl_tax, currency) if inclusive else 0
    rate = 0
    if inclusive and amount > tax:
        rate = _round(Decimal(tax) * 10000 / Decimal(amount - tax))
    return {
        "type": "shipping_fee",
        "reference": f"{order.shipping_carrier_code}_{order.shipping_method_code}",
        "name": order.shipping_title or "Shipping",
        "quantity": 1,
        "unit_price": amount,
        "tax_rate": rate,
        "total_amount": amount,
        "total_discount_amount": 0,
        "total_tax_amount": tax,
    }


def _sales_tax_so_far(order, items, shipped: dict[int, int], fee_shipped: bool, currency: str) -> int:
    """The order's tax captured once ``shipped`` (order item pk → units) have shipped."""
    if all(shipped.get(item.pk, 0) >= item.quantity for item in items) and (
        fee_shipped or not order.shipping_incl_tax
    ):
        return to_minor_units(order.tax_total, currency)
    total = sum(
        to_minor_units(item.tax_amount, currency)
        * min(shipped.get(item.pk, 0), item.quantity)
        // item.quantity
        for item in items
    )
    if fee_shipped:
        total += to_minor_units(order.shipping_incl_tax - order.shipping_excl_tax, currency)
    return total


def shipment_lines(order, parts, *, include_shipping_fee: bool, sent_lines: list[dict]) -> list[dict]:
    """The Klarna order lines that shipping ``parts`` (``cart.payment_methods.ShipmentPart``)
    captures, the shipping fee line too when ``include_shipping_fee``."""
    currency, inclusive = order.currency, order.prices_include_tax
    lines = [
        part_line(item_line(part.order_item, inclusive, currency), part.quantity, part.shipped_before)
        for part in parts
        if part.quantity
    ]
    if include_shipping_fee:
        fee = shipping_fee_line(order, currency, sent_lines)
        if fee is not None:
            lines.append(fee)
    if not inclusive:
        items = list(order.items.all())
        before = {part.order_item.pk: part.shipped_before for part in parts}
        # Lines not in this shipment keep what they had shipped before: the caller passes
        # every line it knows of (quantity 0 for those not shipped now).
        after = {part.order_item.pk: part.shipped_before + part.quantity for part in parts}
        # The fee goes with the first shipment: not in this one means it went before.
        fee_before = not include_shipping_fee
        tax = _sales_tax_so_far(order, items, after, True, currency)
        tax -= _sales_tax_so_far(order, items, before, fee_before, currency)
        if tax:
            lines.append(
                {
                    "type": "sales_tax",
                    "reference": "sales_tax",
                    "name": SALES_TAX_NAME,
                    "quantity": 1,
                    "unit_price": tax,
                    "tax_rate": 0,
                    "total_amount": tax,
                    "total_discount_amount": 0,
                    "total_tax_amount": 0,
                }
            )
    return lines
