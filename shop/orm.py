"""Small ORM helpers for hot paths."""

from django.db.models import Model, QuerySet


def one_or_none(queryset: QuerySet) -> Model | None:
    """The row of a lookup that matches at most one row (a unique key), or None.

    Unlike ``.first()`` it adds no ORDER BY (``.first()`` orders by ``Meta.ordering`` or the
    primary key): compiling the ORDER BY is a measurable share of a small query's CPU, and a
    unique lookup has nothing to order. Use only where a unique constraint guarantees one row.
    """
    for row in queryset.order_by()[:1]:
        return row
    return None
