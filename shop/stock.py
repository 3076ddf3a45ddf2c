"""Stock moves, atomic in the database."""

from django.db import connection
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
    # Two statements whatever the number of lines: lock the rows in id order and check, then
    # update. Written out because this runs in every placeOrder: building the same two
    # QuerySets (a CASE per line) cost more CPU than running them.
    ids = sorted(quantities)
    meta = Product._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    stock, active = quote(meta.get_field("stock_qty").column), quote(meta.get_field("is_active").column)
    marks = ", ".join(["%s"] * len(ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {stock} FROM {table} WHERE {active} AND {pk} IN ({marks}) ORDER BY {pk}{lock}",
            ids,
        )
        available = dict(cursor.fetchall())
        if any(available.get(product, -1) < quantities[product] for product in ids):
            raise DomainError("place_out_of_stock")
        cases = " ".join(["WHEN %s THEN %s"] * len(ids))
        cursor.execute(
            f"UPDATE {table} SET {stock} = {stock} - (CASE {pk} {cases} END) WHERE {pk} IN ({marks})",
            [value for product in ids for value in (product, quantities[product])] + ids,
        )


def return_stock(quantities: dict[int, int]) -> None:
    """Put ``{product_id: quantity}`` back on stock (a cancelled order's items), in product-id
    order like ``decrement_stock``; call inside the caller's transaction."""
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock_qty=F("stock_qty") + quantities[product_id])
