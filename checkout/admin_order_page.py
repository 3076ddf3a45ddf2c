"""The order page staff read in the admin: what was ordered, by whom, to where, for how much.

``order_page`` gathers it for ``admin/checkout/order_page.html`` (the change form's field sets):
a summary (status, totals in the currency's precision with ``shop.money.format_money``, customer,
payment and shipping method), the billing and shipping addresses as they go on an envelope
(``emails.address_lines``, the lines the shopper's emails print), and the items with their
image, the variant's options (colour, size ... of a configurable product), prices and how many
were shipped and refunded. The payment panel (Klarna), the timeline and the actions follow in
the template. Read-only: a fixed number of queries, whatever the number of lines.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Sum

from shop.models import Product, VariantValue
from shop.money import format_money

from .emails import address_lines
from .models import CreditMemo, CreditMemoItem, Order, OrderAddress, Shipment, ShipmentItem

STATUS_TONES = {
    Order.Status.PENDING: "neutral",
    Order.Status.PROCESSING: "active",
    Order.Status.PARTIALLY_SHIPPED: "active",
    Order.Status.PAYMENT_REVIEW: "warning",
    Order.Status.COMPLETE: "done",
    Order.Status.CLOSED: "done",
    Order.Status.CANCELED: "stopped",
}


@dataclass(frozen=True)
class ItemRow:
    name: str
    sku: str
    image_url: str
    options: list[tuple[str, str]]  # (attribute label, value label) of a configurable product's variant
    quantity: int
    shipped: int
    refunded: int
    unit_price: str
    discount: str
    tax: str
    total: str


def _options(product: Product | None) -> list[tuple[str, str]]:
    if product is None or product.parent_id is None:
        return []
    labels = {a.pk: a.label for a in product.parent.configurable_attributes.all()}
    return [(labels.get(v.attribute_id, ""), v.value.label) for v in product.variant_values.all()]


def _image(product: Product | None) -> str:
    """The variant's image, else its parent's; only one the shop serves itself (the admin's
    Content-Security-Policy allows images from the shop's own origin)."""
    if product is None:
        return ""
    url = product.image_url or (product.parent.image_url if product.parent_id else "")
    return url if url.startswith("/") and not url.startswith("//") else ""


def _items(order: Order) -> list[ItemRow]:
    money = lambda amount: format_money(amount, order.currency)  # noqa: E731
    products = Product.objects.select_related("parent").prefetch_related(
        "parent__configurable_attributes",
        Prefetch("variant_values", queryset=VariantValue.objects.select_related("value")),
    )
    items = order.items.prefetch_related(Prefetch("product", queryset=products))
    shipped = dict(
        ShipmentItem.objects.filter(shipment__order=order, shipment__state=Shipment.State.SHIPPED)
        .values("order_item_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_item_id", "total")
    )
    refunded = dict(
        CreditMemoItem.objects.filter(credit_memo__order=order, credit_memo__state=CreditMemo.State.REFUNDED)
        .exclude(order_item=None)
        .values("order_item_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_item_id", "total")
    )
    inclusive = order.prices_include_tax
    return [
        ItemRow(
            name=item.name,
            sku=item.sku,
            image_url=_image(item.product),
            options=_options(item.product),
            quantity=item.quantity,
            shipped=shipped.get(item.pk, 0),
            refunded=refunded.get(item.pk, 0),
            unit_price=money(item.price_incl_tax if inclusive else item.price_excl_tax),
            discount=money(item.discount) if item.discount else "",
            tax=f"{money(item.tax_amount)} ({item.tax_rate.normalize():f} %)",
            total=money(item.total_incl_tax),
        )
        for item in items
    ]


def _totals(order: Order, refunded: Decimal) -> list[tuple[str, str, str]]:
    """(label, amount, css class) in the order of an invoice."""
    money = lambda amount: format_money(amount, order.currency)  # noqa: E731
    inclusive = order.prices_include_tax
    rows = [("Subtotal", money(order.subtotal_incl_tax if inclusive else order.subtotal_excl_tax), "")]
    if order.discount_total:
        label = "Discount" + (f" ({order.discount_label})" if order.discount_label else "")
        if order.coupon_code:
            label += f" · coupon {order.coupon_code}"
        rows.append((label, money(-abs(order.discount_total)), ""))
    shipping = order.shipping_incl_tax if inclusive else order.shipping_excl_tax
    rows.append((f"Shipping ({order.shipping_title})", money(shipping), ""))
    for tax in order.applied_taxes or []:
        prefix = "incl. " if inclusive else ""
        rows.append(
            (f"{prefix}{tax.get('title', 'Tax')}", money(Decimal(str(tax.get("amount") or 0))), "tax")
        )
    if not order.applied_taxes and order.tax_total:
        rows.append(("Tax", money(order.tax_total), "tax"))
    rows.append(("Grand total", money(order.grand_total), "grand"))
    if refunded:
        rows.append(("Refunded", money(-refunded), "refunded"))
    return rows


def order_page(order: Order) -> dict:
    addresses = {a.kind: a for a in order.addresses.all()}
    refunded = CreditMemo.objects.filter(order=order, state=CreditMemo.State.REFUNDED).aggregate(
        total=Sum("grand_total")
    )["total"] or Decimal(0)
    customer = order.customer
    billing = addresses.get(OrderAddress.Kind.BILLING)
    name = (customer.get_full_name() if customer else "") or (
        f"{billing.firstname} {billing.lastname}".strip() if billing else ""
    )
    gift = [
        text
        for text in (
            f"Gift message to {order.gift_message_to} from {order.gift_message_from}: {order.gift_message}"
            if order.gift_message
            else "",
            "Gift receipt included" if order.gift_receipt_included else "",
            "Printed card included" if order.printed_card_included else "",
        )
        if text
    ]
    return {
        "order": order,
        "status": order.get_status_display(),
        "status_tone": STATUS_TONES.get(order.status, "neutral"),
        "customer_name": name,
        "customer": customer,
        "guest": customer is None,
        "grand_total": format_money(order.grand_total, order.currency),
        "totals": _totals(order, refunded),
        "billing": address_lines(addresses.get(OrderAddress.Kind.BILLING)),
        "shipping": address_lines(addresses.get(OrderAddress.Kind.SHIPPING)),
        "telephone": getattr(addresses.get(OrderAddress.Kind.SHIPPING), "telephone", "")
        or getattr(addresses.get(OrderAddress.Kind.BILLING), "telephone", ""),
        "items": _items(order),
        "gift": gift,
    }
