"""``CompiledQuery``: the per-request reads of a cart (the cart by masked id, locked or not,
its items and addresses, the destination's tax rates), compiled to SQL once per connection.

It reaches into Django internals (the SQL compiler's ``klass_info``/``select``/converters and
``get_related_populators``), so it lives alone here, is used only for those reads, and
``tests/shop/test_compiled_query.py`` fails on a Django outside ``DJANGO_VERSIONS`` until
someone re-checks it against the new release. Kept because the in-process bench shows it pays
(README, "Performance and reliability"); everything else uses plain QuerySets.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

# The Django releases this was written and tested against (major, minor).
DJANGO_VERSIONS = ((5, 2),)

# Placeholder values a query is compiled with; each must come out of Django's value preparation
# unchanged so it can be found in the compiled parameters and swapped for the real value.
_SENTINEL_BASE = -(2**62)


def _sentinel(kind: type, index: int, name: str):
    if kind is int:
        return _SENTINEL_BASE + index
    if kind is str:
        return f"\x1eparam:{index}:{name}\x1e"
    raise TypeError(f"CompiledQuery parameters are int or str, not {kind!r}")


class CompiledQuery:
    """A fixed read whose SQL is compiled once per database connection, then only executed.

    Building a QuerySet and compiling it to SQL costs about twice as much CPU as running the
    query on a warm connection (measured: 0.23 of 0.49 ms for a one-row lookup); the hot reads
    of a checkout (the cart, its items, addresses, tax rates) have the same shape every time.
    ``build`` returns the QuerySet for placeholder values of ``params`` (name -> int or str); it
    is compiled by Django's own compiler on first use, and later calls substitute the real
    values and reuse the compiler's column list and converters, so rows come back as the same
    model instances (``select_related`` included) the QuerySet would give.

    Only plain equality parameters: every placeholder must appear in the compiled parameters
    exactly as given (checked at compile time). ``select_for_update`` queries keep Django's rule
    that they run inside a transaction.
    """

    def __init__(self, build: Callable[..., QuerySet], **params: type):
        self.build = build
        self.params = params
        self.sentinels = {name: _sentinel(kind, i, name) for i, (name, kind) in enumerate(params.items())}
        self.key = f"_compiled_query_{id(self)}"

    def _compiled(self, connection):
        cached = connection.__dict__.get(self.key)
        if cached is not None:
            return cached
        queryset = self.build(**self.sentinels)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = {}
        for name, sentinel in self.sentinels.items():
            positions = [
                i for i, value in enumerate(params) if type(value) is type(sentinel) and value == sentinel
            ]
            if not positions:
                raise ValueError(f"CompiledQuery parameter {name!r} did not reach the SQL unchanged")
            slots[name] = positions
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        cached = {
            "sql": sql,
            "params": params,
            "slots": slots,
            "compiler": compiler,
            "model": klass_info["model"],
            "start": start,
            "end": end,
            "init_list": [f[0].target.attname for f in select[start:end]],
            "populators": get_related_populators(klass_info, select, queryset.db),
            "for_update": queryset.query.select_for_update,
            "converters": compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
        }
        connection.__dict__[self.key] = cached
        return cached

    def all(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[Model]:
        connection = connections[using]
        compiled = self._compiled(connection)
        if compiled["for_update"] and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = compiled["params"][:]
        for name, positions in compiled["slots"].items():
            for position in positions:
                params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        model, start, end, init_list = (
            compiled["model"],
            compiled["start"],
            compiled["end"],
            compiled["init_list"],
        )
        populators = compiled["populators"]
        objects = []
        converters = compiled["converters"]
        if converters:
            rows = compiled["compiler"].apply_converters(rows, converters)
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def one(self, using: str = DEFAULT_DB_ALIAS, **values) -> Model | None:
        """The first row or None (build the QuerySet as a unique lookup, or slice it)."""
        rows = self.all(using, **values)
        return rows[0] if rows else None
