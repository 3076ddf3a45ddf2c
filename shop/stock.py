"""Stock moves, atomic in the database."""

from django.db.models import Case, F, Value, When

from shop.errors import DomainError

from .models import Product


def decrement_stock(quantities: dict[int, int]) -> None:
    """Take ``{product_id: quantity}`` off stock, all or nothing (call inside a transaction).

    Products are updated in id order, so two orders sharing products lock them in the same
    order and cannot deadlock. Fails with Magento's out-of-stock message when any product
    has too few units left; the caller's transaction then rolls back every decrement.
    """
    if not quantities:
        return
    # Two statements whatever the number of lines: lock the rows in id order, check, update.
    ids = sorted(quantities)
    available = dict(
        Product.objects.select_for_update()
        .filter(pk__in=ids, is_active=True)
        .order_by("pk")
        .values_list("pk", "stock_qty")
    )
    if any(available.get(pk, -1) < quantities[pk] for pk in ids):
        raise DomainError("place_out_of_stock")
    Product.objects.filter(pk__in=ids).update(
        stock_qty=F("stock_qty") - Case(*(When(pk=pk, then=Value(quantities[pk])) for pk in ids))
    )
