"""Stock moves, atomic in the database."""

from django.db.models import Case, F, Value, When

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
    # One UPDATE whatever the number of lines: the quantity of each row picked by a CASE.
    taken = Case(*(When(pk=product, then=Value(quantities[product])) for product in ids))
    Product.objects.filter(pk__in=ids).update(stock_qty=F("stock_qty") - taken)


def return_stock(quantities: dict[int, int]) -> None:
    """Put ``{product_id: quantity}`` back on stock (a cancelled order's items), in product-id
    order like ``decrement_stock``; call inside the caller's transaction."""
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock_qty=F("stock_qty") + quantities[product_id])
