"""Row locks for carts, in one place. Always lock the cart row before its items, so every
writer takes locks in the same order and concurrent changes serialize instead of deadlocking
or losing updates."""

from django.db.models import QuerySet

from .models import Cart


def cart_for_update(pk: int) -> QuerySet[Cart]:
    return Cart.objects.select_for_update(of=("self",)).filter(pk=pk)
