"""Stock moves, atomic in the database."""

from django.db.models import F

from shop.errors import DomainError

from .models import Product


def decrement_stock(quantities: dict[int, int]) -> None:
    """Take ``{product_id: quantity}`` off stock, all or nothing (call inside a transaction).

    Products are updated in id order, so two orders sharing products lock them in the same
    order and cannot deadlock. Fails with Magento's out-of-stock message when any product
    has too few units left; the caller's transaction then rolls back every decrement.
    """
    for product_id in sorted(quantities):
        quantity = quantities[product_id]
        updated = Product.objects.filter(pk=product_id, is_active=True, stock_qty__gte=quantity).update(
            stock_qty=F("stock_qty") - quantity
        )
        if not updated:
            raise DomainError("place_out_of_stock")
