"""The one totals engine.

``compute_totals(info)`` turns a cart state into every amount the shop shows or charges:
line prices with and without tax, coupon discounts, shipping, taxes and the grand total.
GraphQL, the pages, Klarna's order lines and orders all read its result; nothing else
computes money.

Rules
- Catalog prices (and shipping prices) are gross when ``PRICES_INCLUDE_TAX`` (EU style: the
  gross price stays the same, tax is extracted at the destination's rate) and net otherwise
  (US style: tax is added on top).
- Everything is ``Decimal`` and rounded half-up per line in the currency's precision:
  a line's tax is computed on its discounted total, never per unit.
- grand_total = Σ row totals − discounts + shipping (+ tax when prices exclude tax).
"""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.conf import settings

from shop.money import ZERO, precision, quantize

from .fetch import CartInfo
from .models import Coupon
from .shipping import ShippingRate, free_shipping_remaining, shipping_rates

HUNDRED = Decimal(100)


def quantum(currency: str) -> Decimal:
    """The smallest unit of ``currency`` (EUR: 0.01, JPY: 1)."""
    return Decimal(1).scaleb(-precision(currency))


def zero(currency: str) -> Decimal:
    """Zero in the currency's precision (EUR: 0.00), so even an empty cart's amounts are exact."""
    return quantum(currency) * 0


@dataclass(frozen=True)
class TaxRateInfo:
    rate: Decimal  # percent, e.g. Decimal("19")
    label: str

    @property
    def title(self) -> str:
        return f"{self.label} {self.rate.normalize():f}%"


NO_TAX = TaxRateInfo(rate=ZERO, label="Tax")


@dataclass(frozen=True)
class LineTotals:
    item_id: int
    sku: str
    name: str
    quantity: int
    tax: TaxRateInfo
    catalog_price: Decimal  # as stored: gross when prices include tax, else net
    price_excl_tax: Decimal
    price_incl_tax: Decimal
    row_total_excl_tax: Decimal  # before discount
    row_total_incl_tax: Decimal  # before discount
    discount: Decimal  # in catalog terms (gross when prices include tax)
    total_excl_tax: Decimal  # after discount
    tax_amount: Decimal  # after discount
    total_incl_tax: Decimal  # after discount: what the shopper pays for this line

    @property
    def row_total(self) -> Decimal:
        """Row total in catalog terms, before discount."""
        return self.catalog_price * self.quantity


@dataclass(frozen=True)
class ShippingTotals:
    carrier_code: str
    method_code: str
    carrier_title: str
    method_title: str
    tax: TaxRateInfo
    amount: Decimal  # catalog terms
    excl_tax: Decimal
    incl_tax: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class AppliedTax:
    title: str
    amount: Decimal


@dataclass(frozen=True)
class CartTotals:
    currency: str
    prices_include_tax: bool
    lines: list[LineTotals]
    coupon: Coupon | None  # the coupon actually discounting, None when none applies
    discount_label: str
    discount_total: Decimal
    subtotal_excl_tax: Decimal
    subtotal_incl_tax: Decimal
    subtotal_with_discount_excl_tax: Decimal
    shipping: ShippingTotals | None
    available_shipping: list[ShippingRate] = field(default_factory=list)
    tax_total: Decimal = ZERO
    applied_taxes: list[AppliedTax] = field(default_factory=list)
    grand_total: Decimal = ZERO
    total_quantity: int = 0
    # How much more the items (after discount) must come to for free shipping; None once
    # they qualify.
    free_shipping_remaining: Decimal | None = None

    @property
    def grand_total_excl_tax(self) -> Decimal:
        return self.grand_total - self.tax_total

    @property
    def items_subtotal(self) -> Decimal:
        """Σ row totals in catalog terms, before discount (what coupon minimums compare to)."""
        return sum((line.row_total for line in self.lines), zero(self.currency))

    def line(self, item_id: int) -> LineTotals:
        for line in self.lines:
            if line.item_id == item_id:
                return line
        raise KeyError(item_id)


def rate_for(info: CartInfo, tax_class: str) -> TaxRateInfo:
    """Tax rate of ``tax_class`` at the cart's destination; a region's own rate wins."""
    country_rate = None
    for tax_rate in info.tax_rates:
        if tax_rate.tax_class != tax_class or tax_rate.country != info.tax_country:
            continue
        if tax_rate.region and tax_rate.region == info.tax_region:
            return TaxRateInfo(rate=tax_rate.rate, label=tax_rate.label)
        if not tax_rate.region:
            country_rate = TaxRateInfo(rate=tax_rate.rate, label=tax_rate.label)
    return country_rate or NO_TAX


def _tax_of_gross(gross: Decimal, rate: Decimal, currency: str) -> Decimal:
    return quantize(gross * rate / (HUNDRED + rate), currency)


def _tax_of_net(net: Decimal, rate: Decimal, currency: str) -> Decimal:
    return quantize(net * rate / HUNDRED, currency)


def coupon_applies(coupon: Coupon | None, items_subtotal: Decimal) -> bool:
    if coupon is None or not coupon.is_usable_now():
        return False
    return coupon.min_subtotal is None or items_subtotal >= coupon.min_subtotal


def allocate_discount(coupon: Coupon, rows: list[Decimal], currency: str) -> list[Decimal]:
    """Coupon discount per row (catalog terms), each part between 0 and its row.

    A fixed amount (at most the items subtotal) is spread over the rows in proportion to
    their totals by the largest-remainder method: every row gets its share rounded down to
    the currency's precision, and the units left over go one each to the rows with the
    largest remainders (ties: larger row, then earlier row). The parts add up exactly.
    """
    if coupon.discount_type == Coupon.Type.PERCENT:
        return [quantize(row * coupon.value / HUNDRED, currency) for row in rows]
    total = sum(rows, ZERO)
    amount = min(quantize(coupon.value, currency), total)
    if total <= 0 or amount <= 0:
        return [zero(currency) for _ in rows]
    unit = quantum(currency)
    shares = [amount * row / total for row in rows]
    parts = [share.quantize(unit, rounding=ROUND_FLOOR) for share in shares]
    left = int((amount - sum(parts, ZERO)) / unit)
    by_remainder = sorted(range(len(rows)), key=lambda i: (-(shares[i] - parts[i]), -rows[i], i))
    for i in by_remainder[:left]:
        parts[i] += unit
    return parts


def compute_totals(info: CartInfo) -> CartTotals:
    """Compute every amount of the cart. Pure: no queries beyond what ``info`` holds."""
    store = info.store
    currency = store.currency
    inclusive = store.prices_include_tax
    nothing = zero(currency)
    items = info.items
    rows = [quantize(info.unit_price(item) * item.quantity, currency) for item in items]
    items_subtotal = sum(rows, nothing)
    coupon = info.coupon if coupon_applies(info.coupon, items_subtotal) else None
    discounts = allocate_discount(coupon, rows, currency) if coupon else [nothing for _ in rows]

    lines: list[LineTotals] = []
    for item, row, discount in zip(items, rows, discounts, strict=True):
        tax = rate_for(info, item.product.tax_class)
        price = quantize(info.unit_price(item), currency)
        if inclusive:
            row_incl = row
            row_excl = row - _tax_of_gross(row, tax.rate, currency)
            total_incl = row - discount
            tax_amount = _tax_of_gross(total_incl, tax.rate, currency)
            total_excl = total_incl - tax_amount
            price_incl = price
            price_excl = price - _tax_of_gross(price, tax.rate, currency)
        else:
            row_excl = row
            row_incl = row + _tax_of_net(row, tax.rate, currency)
            total_excl = row - discount
            tax_amount = _tax_of_net(total_excl, tax.rate, currency)
            total_incl = total_excl + tax_amount
            price_excl = price
            price_incl = price + _tax_of_net(price, tax.rate, currency)
        lines.append(
            LineTotals(
                item_id=item.pk,
                sku=item.product.sku,
                name=item.product.name,
                quantity=item.quantity,
                tax=tax,
                catalog_price=price,
                price_excl_tax=price_excl,
                price_incl_tax=price_incl,
                row_total_excl_tax=row_excl,
                row_total_incl_tax=row_incl,
                discount=discount,
                total_excl_tax=total_excl,
                tax_amount=tax_amount,
                total_incl_tax=total_incl,
            )
        )

    discount_total = sum(discounts, nothing)
    subtotal_after_discount = items_subtotal - discount_total
    available = shipping_rates(info, subtotal_after_discount) if items else []
    shipping = _selected_shipping(info, available, currency, inclusive)

    taxes: dict[str, Decimal] = {}
    for line in lines:
        if line.tax.rate:
            taxes[line.tax.title] = taxes.get(line.tax.title, nothing) + line.tax_amount
    if shipping and shipping.tax.rate:
        taxes[shipping.tax.title] = taxes.get(shipping.tax.title, nothing) + shipping.tax_amount
    tax_total = sum(taxes.values(), nothing)

    grand_total = sum((line.total_incl_tax for line in lines), nothing) + (
        shipping.incl_tax if shipping else nothing
    )
    return CartTotals(
        currency=currency,
        prices_include_tax=inclusive,
        lines=lines,
        coupon=coupon,
        discount_label=(coupon.label or coupon.code) if coupon else "",
        discount_total=discount_total,
        subtotal_excl_tax=sum((line.row_total_excl_tax for line in lines), nothing),
        subtotal_incl_tax=sum((line.row_total_incl_tax for line in lines), nothing),
        subtotal_with_discount_excl_tax=sum((line.total_excl_tax for line in lines), nothing),
        shipping=shipping,
        available_shipping=available,
        tax_total=tax_total,
        applied_taxes=[AppliedTax(title=title, amount=amount) for title, amount in taxes.items() if amount],
        grand_total=grand_total,
        total_quantity=sum(item.quantity for item in items),
        free_shipping_remaining=free_shipping_remaining(
            subtotal_after_discount, currency, store.free_shipping_threshold
        ),
    )


def shipping_price(info: CartInfo, amount: Decimal) -> tuple[TaxRateInfo, Decimal, Decimal, Decimal]:
    """(tax, excl, incl, tax amount) of a shipping price given in catalog terms."""
    currency = info.store.currency
    tax = rate_for(info, settings.SHIPPING_TAX_CLASS)
    if info.store.prices_include_tax:
        tax_amount = _tax_of_gross(amount, tax.rate, currency)
        return tax, amount - tax_amount, amount, tax_amount
    tax_amount = _tax_of_net(amount, tax.rate, currency)
    return tax, amount, amount + tax_amount, tax_amount


def _selected_shipping(info: CartInfo, available, currency, inclusive) -> ShippingTotals | None:
    address = info.shipping_address
    if address is None or not address.shipping_carrier_code:
        return None
    for rate in available:
        if (
            rate.carrier_code == address.shipping_carrier_code
            and rate.method_code == address.shipping_method_code
        ):
            tax, excl, incl, tax_amount = shipping_price(info, rate.amount)
            return ShippingTotals(
                carrier_code=rate.carrier_code,
                method_code=rate.method_code,
                carrier_title=rate.carrier_title,
                method_title=rate.method_title,
                tax=tax,
                amount=rate.amount,
                excl_tax=excl,
                incl_tax=incl,
                tax_amount=tax_amount,
            )
    # The selected method is no longer offered (e.g. the subtotal fell below the free
    # shipping threshold): it does not count until the shopper picks a method again.
    return None
