"""What the storefront shows of a cart: its lines (thumbnail, name, chosen options, SKU, price,
quantity, row total, stock problem), coupon, totals and the free-shipping notice, ready for a
template. Every amount comes from the one totals engine (``cart.totals``) and is formatted by
``shop.money.format_money``; nothing here adds money.

``cart_summary(cart)`` reads a fixed number of queries whatever the number of lines: the cart's
info (``cart.fetch``) and, when a line is a variant, its parent and chosen values.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shop import configurable
from shop.money import format_money

from .fetch import load_cart_info
from .models import Cart
from .shipping import storefront_name
from .totals import CartTotals, compute_totals


def stock_message(available) -> str:
    """The storefront's words for "not that many" (Magento's message names no number)."""
    left = max(0, int(available))
    return f"Only {left} left in stock." if left else "This item is out of stock."


@dataclass(frozen=True)
class Option:
    label: str  # "Colour"
    value: str  # "Red"


@dataclass(frozen=True)
class Line:
    item_id: int
    name: str  # the product the shopper chose (a variant's parent)
    url_key: str
    thumbnail: str  # image URL or ""
    sku: str  # what was bought (a variant's own SKU)
    options: list[Option]
    unit_price: str
    quantity: int
    row_total: str  # before discount, as the store displays prices
    discount: str  # "" when none
    problem: str  # "" when the line can be bought as it is
    max_qty: int


@dataclass(frozen=True)
class TotalRow:
    label: str
    amount: str
    kind: str = ""  # "discount", "tax", "muted" or "grand": the row's CSS modifier


@dataclass(frozen=True)
class FreeShipping:
    qualifies: bool
    text: str


@dataclass(frozen=True)
class CartSummary:
    lines: list[Line]
    totals: list[TotalRow]
    grand_total: str
    total_quantity: int
    coupon_code: str  # the coupon discounting the cart ("" for none), as GraphQL's applied_coupons
    free_shipping: FreeShipping | None
    raw: CartTotals = field(repr=False)

    @property
    def is_empty(self) -> bool:
        return not self.lines


def free_shipping_notice(totals: CartTotals) -> FreeShipping | None:
    """What the cart says about free shipping (None: no items)."""
    if not totals.lines:
        return None
    remaining = totals.free_shipping_remaining
    if remaining is None:
        return FreeShipping(True, _("Your order ships free."))
    return FreeShipping(
        False,
        _("Add %(amount)s more for free shipping.") % {"amount": format_money(remaining, totals.currency)},
    )


def _line(item, line_totals, totals: CartTotals) -> Line:
    product = item.product
    shown = product.parent if product.parent_id is not None else product
    options = (
        [
            Option(chosen.attribute.label, chosen.value.label)
            for chosen in configurable.selected_options(product)
        ]
        if product.parent_id is not None
        else []
    )
    currency = totals.currency
    if totals.prices_include_tax:
        unit, row = line_totals.price_incl_tax, line_totals.row_total_incl_tax
    else:
        unit, row = line_totals.price_excl_tax, line_totals.row_total_excl_tax
    problem = ""
    if not product.is_active or item.quantity > product.stock_qty:
        problem = stock_message(product.stock_qty if product.is_active else 0)
    return Line(
        item_id=item.pk,
        name=shown.name,
        url_key=shown.url_key,
        thumbnail=product.image_url or shown.image_url,
        sku=product.sku,
        options=options,
        unit_price=format_money(unit, currency),
        quantity=item.quantity,
        row_total=format_money(row, currency),
        discount=format_money(line_totals.discount, currency) if line_totals.discount else "",
        problem=problem,
        max_qty=max(0, product.stock_qty),
    )


def _total_rows(totals: CartTotals) -> list[TotalRow]:
    currency = totals.currency
    inclusive = totals.prices_include_tax
    subtotal = totals.subtotal_incl_tax if inclusive else totals.subtotal_excl_tax
    rows = [TotalRow(_("Subtotal"), format_money(subtotal, currency))]
    if totals.discount_total:
        rows.append(
            TotalRow(
                _("Discount (%(label)s)") % {"label": totals.discount_label},
                f"−{format_money(totals.discount_total, currency)}",
                "discount",
            )
        )
    shipping = totals.shipping
    if shipping:
        name = storefront_name(shipping.carrier_code, shipping.method_code, shipping.carrier_title)
        amount = shipping.incl_tax if inclusive else shipping.excl_tax
        rows.append(TotalRow(_("Shipping (%(name)s)") % {"name": name}, format_money(amount, currency)))
    else:
        rows.append(TotalRow(_("Shipping"), _("At checkout"), "muted"))
    for tax in totals.applied_taxes:
        rows.append(
            TotalRow(
                _("Included %(tax)s") % {"tax": tax.title} if inclusive else tax.title,
                format_money(tax.amount, currency),
                "tax",
            )
        )
    rows.append(TotalRow(_("Total"), format_money(totals.grand_total, currency), "grand"))
    return rows


def cart_summary(cart: Cart) -> CartSummary:
    """Everything the cart page and the checkout's order summary show of ``cart``."""
    info = load_cart_info(cart)
    configurable.load_variant_options([item.product for item in info.items])
    totals = compute_totals(info)
    lines = [_line(item, totals.line(item.pk), totals) for item in info.items]
    return CartSummary(
        lines=lines,
        totals=_total_rows(totals),
        grand_total=format_money(totals.grand_total, totals.currency),
        total_quantity=totals.total_quantity,
        coupon_code=totals.coupon.code if totals.coupon else "",
        free_shipping=free_shipping_notice(totals),
        raw=totals,
    )
