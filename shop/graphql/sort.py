"""``ProductAttributeSortInput`` -> the catalog's sort, for ``products`` and a category's products."""

from shop import catalog


def product_sort(value) -> dict[catalog.SortField, str] | None:
    if not value:
        return None
    sort = {
        catalog.SortField(key): enum_value(direction)
        for key, direction in value.items()
        if direction is not None
    }
    return sort or None


def enum_value(member) -> str:
    return getattr(member, "value", member)
