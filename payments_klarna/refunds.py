"""Credit memos of Klarna orders: the provider side of ``checkout.credit_memos``.

``position`` is what Klarna captured and refunded (as last read from Klarna; ``refresh`` reads
it again first). ``refund`` sends the memo to Order Management as one refund
(``POST /ordermanagement/v1/orders/{id}/refunds``) through ``order_management.refund``: the
memo's operation id becomes the ``KlarnaOperation`` whose idempotency key is stored before
Klarna is called, so a repeat moves money once; a by-lines memo goes with its order lines in
integer minor units (tax-inclusive: each line's tax by Klarna's formula; US style: lines
without tax and one ``sales_tax`` line), and their sum is exactly the refunded amount.
"""

from decimal import ROUND_HALF_UP, Decimal

from cart.payment_methods import RefundPosition, RefundRequest, RefundResult
from shop.money import from_minor_units, to_minor_units

from . import order_management as om
from . import order_state
from .models import KlarnaPayment
from .order_lines import SALES_TAX_NAME, _line, klarna_line_tax, tax_rate_basis_points


def position(order, *, refresh: bool = False) -> RefundPosition | None:
    payment = KlarnaPayment.objects.filter(order_id=order.pk).first()
    if payment is None:
        return None
    if refresh:
        try:
            order_state.refresh_payment(payment)
            payment.refresh_from_db()
        except order_state.KlarnaUnavailable:
            pass  # the amounts last read stand; Klarna still has the last word on the refund
    currency = payment.currency
    return RefundPosition(
        captured=from_minor_units(payment.captured_amount, currency),
        refunded=from_minor_units(payment.refunded_amount, currency),
        open_to_capture=from_minor_units(om.remaining_to_capture(payment), currency),
    )


def klarna_lines(request: RefundRequest) -> list[dict]:
    """The memo's lines as Klarna order lines (minor units); their total_amount sum is
    ``request.amount``. Empty for an amount refund."""
    currency = request.currency

    def minor(amount: Decimal) -> int:
        return to_minor_units(amount, currency)

    lines = []
    sales_tax = 0
    for refund_line in request.lines:
        unit, discount = minor(refund_line.unit_price), minor(refund_line.discount)
        total = refund_line.quantity * unit - discount
        line_type = "shipping_fee" if refund_line.kind == "shipping" else "physical"
        if request.prices_include_tax:
            rate = tax_rate_basis_points(refund_line.tax_rate)
            tax = minor(refund_line.tax_amount)
            expected = klarna_line_tax(total, rate)
            if abs(tax - expected) > 1:  # keep Klarna's own check true
                tax = int(expected.quantize(Decimal(1), ROUND_HALF_UP))
        else:
            rate = tax = 0
            sales_tax += minor(refund_line.tax_amount)
        lines.append(
            _line(
                refund_line.name,
                refund_line.reference,
                line_type,
                refund_line.quantity,
                unit,
                discount,
                rate,
                tax,
            )
        )
    if lines and not request.prices_include_tax and sales_tax:
        lines.append(_line(SALES_TAX_NAME, "sales_tax", "sales_tax", 1, sales_tax, 0, 0, 0))
    return lines


def refund(order, request: RefundRequest) -> RefundResult:
    lines = klarna_lines(request)
    amount = to_minor_units(request.amount, request.currency)
    if lines and sum(line["total_amount"] for line in lines) != amount:  # pragma: no cover - a bug
        return RefundResult(False, "The refund's lines do not add up to its amount; nothing was sent.")
    try:
        result = om.refund(
            order,
            operation_id=request.operation_id,
            user=request.user,
            amount=amount,
            lines=lines,
            description=request.description,
        )
    except om.OperationInvalid as error:
        return RefundResult(False, str(error))
    reference = result.operation.klarna_refund_id if result.operation is not None else ""
    return RefundResult(result.ok, result.message, pending=result.pending, reference=reference)
