"""A customer's orders (GraphQL ``customer.orders`` and the storefront's "my orders" pages)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Prefetch

from shop.errors import DomainError
from shop.models import VariantValue

from .models import CreditMemo, CreditMemoItem, Order, OrderItem, Shipment, ShipmentItem

# Items with their products and, for a configurable product's variant, its parent (whose url key
# a PWA looks the product up by) in the one items query, and the variants' values (the item's
# ``selected_options``) in one more.
_ITEMS = Prefetch(
    "items",
    queryset=OrderItem.objects.select_related("product__parent").prefetch_related(
        Prefetch(
            "product__variant_values",
            queryset=VariantValue.objects.select_related("attribute", "value").order_by(
                "attribute__position", "attribute_id"
            ),
        )
    ),
)
# Shipped shipments with their items (two queries for a page of orders).
_SHIPMENTS = Prefetch(
    "shipments",
    queryset=Shipment.objects.filter(state=Shipment.State.SHIPPED).prefetch_related(
        Prefetch("items", queryset=ShipmentItem.objects.select_related("order_item"))
    ),
    to_attr="shipped_shipments",
)
# Credit memos with their items and those items' order items (two more queries).
_CREDIT_MEMOS = Prefetch(
    "credit_memos",
    queryset=CreditMemo.objects.prefetch_related(
        Prefetch("items", queryset=CreditMemoItem.objects.select_related("order_item"))
    ),
)


def shipped_shipments(order: Order) -> list[Shipment]:
    """The order's shipments that left (Magento's ``CustomerOrder.shipments``), oldest first;
    prefetched by ``customer_orders``/``customer_order``, else read here."""
    found = getattr(order, "shipped_shipments", None)
    if found is not None:
        return found
    return list(
        order.shipments.filter(state=Shipment.State.SHIPPED).prefetch_related(
            Prefetch("items", queryset=ShipmentItem.objects.select_related("order_item"))
        )
    )


@dataclass(frozen=True)
class OrderPage:
    items: list
    total_count: int
    current_page: int
    page_size: int

    @property
    def total_pages(self) -> int:
        return (self.total_count + self.page_size - 1) // self.page_size if self.page_size else 0


def customer_orders(
    user: User, *, current_page: int = 1, page_size: int = 20, numbers=None, number_match=None
):
    """One page of the customer's orders, newest first, with items (and their products) and
    addresses and credit memos prefetched (six queries plus the count). ``numbers`` keeps only those order numbers,
    ``number_match`` those containing the text."""
    if current_page < 1:
        raise DomainError("products_current_page")
    if page_size < 1:
        raise DomainError("products_page_size")
    orders = Order.objects.filter(customer=user)
    if numbers is not None:
        orders = orders.filter(number__in=list(numbers))
    if number_match:
        orders = orders.filter(number__icontains=number_match)
    total = orders.count()
    start = (current_page - 1) * page_size
    page = (
        list(
            orders.prefetch_related(_ITEMS, "addresses", _SHIPMENTS, _CREDIT_MEMOS)[start : start + page_size]
        )
        if total
        else []
    )
    return OrderPage(items=page, total_count=total, current_page=current_page, page_size=page_size)


def customer_order(user: User, number: str):
    """The customer's order ``number`` or None (someone else's order is None too)."""
    return (
        Order.objects.filter(customer=user, number=number)
        .prefetch_related(_ITEMS, "addresses", _SHIPMENTS, _CREDIT_MEMOS)
        .first()
    )
