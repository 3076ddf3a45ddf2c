"""Stock moves, atomic in the database."""

from django.db.models import F

from shop.errors import DomainError

from .models import Product


def decrement_stock(quantities: dict[int, int]) -> None:
    """Take ``{product_id: quantity}`` off stock, all or nothing (call inside a transaction).

    Products are locked in id order, so two orders sharing products lock them in the same
    order and cannot deadlock. Fails with Magento's out-of-stock message when any product
    has too few units left; the caller's transaction then rolls back every decrement.
    """
    if not quantities:
        return
    ids = sorted(quantities)
    locked = Product.objects.select_for_update().filter(is_active=True, pk__in=ids).order_by("id")
    available = dict(locked.values_list("id", "stock_qty"))
    if any(available.get(product, -1) < quantities[product] for product in ids):
        raise DomainError("place_out_of_stock")
    # One UPDATE per distinct quantity (most carts: one, as most lines are quantity 1), not
    # one per line; cheaper to build than a single UPDATE with a CASE per line.
    by_quantity: dict[int, list[int]] = {}
    for product in ids:
        by_quantity.setdefault(quantities[product], []).append(product)
    for quantity, products in sorted(by_quantity.items()):
        Product.objects.filter(pk__in=products).update(stock_qty=F("stock_qty") - quantity)


def return_stock(quantities: dict[int, int]) -> None:
    """Put ``{product_id: quantity}`` back on stock (a cancelled order's items), in product-id
    order like ``decrement_stock``; call inside the caller's transaction."""
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock_qty=F("stock_qty") + quantities[product_id])
