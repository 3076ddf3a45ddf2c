"""The tax rates of a destination country, kept in each process for a short while.

Every cart read needs the rates of its destination: a handful of rows that change a few times
a year, read on every request of a checkout. Each process keeps them for
``TAX_RATES_CACHE_SECONDS`` (default 60; 0 reads the database every time). A rate saved or
deleted through the ORM (the admin, ``seed_demo``) clears this process's copy at once and
reaches every other worker within that time; bulk SQL changes wait for the expiry. An order
records the totals its payment was authorized for (``checkout.place_order``), so a rate change
in the middle of a checkout never splits one order between two rates.

Threads of a gthread worker share the copy: a read that overlaps a clear (a rate saved in
another thread after this read's query) is returned but not kept, so the clear is never undone
by a stale copy stored after it.
"""

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from .compiled_query import CompiledQuery
from .models import TaxRate

# One rate per (country, region, tax class): the order cannot matter, so no ORDER BY.
_BY_COUNTRY = CompiledQuery(lambda country: TaxRate.objects.filter(country=country).order_by(), country=str)
_MAX_COUNTRIES = 512  # ISO 3166 has 249; anything beyond is junk input and is not kept

_cache: dict[str, tuple[float, tuple[TaxRate, ...]]] = {}
_lock = threading.Lock()  # guards _generation and storing into _cache, never a query
_generation = 0  # bumped by every clear


def rates_for(country: str) -> list[TaxRate]:
    """The rates of ``country`` (every region and tax class). Treat them as read-only."""
    ttl = settings.TAX_RATES_CACHE_SECONDS
    if ttl <= 0:
        return _BY_COUNTRY.all(country=country)
    now = time.monotonic()
    hit = _cache.get(country)
    if hit is not None and hit[0] > now:
        return list(hit[1])
    generation = _generation
    rates = _BY_COUNTRY.all(country=country)
    with _lock:
        if generation == _generation:
            if len(_cache) >= _MAX_COUNTRIES:
                _cache.clear()
            _cache[country] = (now + ttl, tuple(rates))
    return rates


def clear(**kwargs) -> None:
    global _generation
    with _lock:
        _generation += 1
        _cache.clear()


post_save.connect(clear, sender=TaxRate, dispatch_uid="shop.tax_rates.clear.save")
post_delete.connect(clear, sender=TaxRate, dispatch_uid="shop.tax_rates.clear.delete")
