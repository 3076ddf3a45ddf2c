"""shop.tax_rates: rates kept per process, cleared by ORM saves, expiring after the TTL."""

from decimal import Decimal

import pytest

from shop import tax_rates
from shop.models import TaxRate

pytestmark = pytest.mark.django_db


def _rate(country="DE", tax_class="standard", rate="19.00"):
    return TaxRate.objects.create(
        country=country, region="", tax_class=tax_class, rate=Decimal(rate), label="VAT"
    )


def test_second_read_of_a_country_needs_no_query(django_assert_num_queries):
    _rate()
    with django_assert_num_queries(1):
        first = tax_rates.rates_for("DE")
        second = tax_rates.rates_for("DE")
    assert [r.rate for r in first] == [r.rate for r in second] == [Decimal("19.00")]


def test_saving_or_deleting_a_rate_through_the_orm_clears_the_copy_at_once():
    rate = _rate()
    assert [r.rate for r in tax_rates.rates_for("DE")] == [Decimal("19.00")]
    rate.rate = Decimal("16.00")
    rate.save()
    assert [r.rate for r in tax_rates.rates_for("DE")] == [Decimal("16.00")]
    rate.delete()
    assert tax_rates.rates_for("DE") == []
    _rate(country="DE", tax_class="reduced", rate="7.00")
    assert [r.rate for r in tax_rates.rates_for("DE")] == [Decimal("7.00")]


def test_a_bulk_change_is_seen_after_the_ttl(monkeypatch):
    _rate()
    tax_rates.rates_for("DE")
    TaxRate.objects.filter(country="DE").update(rate=Decimal("5.00"))  # no signal
    assert [r.rate for r in tax_rates.rates_for("DE")] == [Decimal("19.00")]
    clock = [tax_rates.time.monotonic() + 61]
    monkeypatch.setattr(tax_rates.time, "monotonic", lambda: clock[0])
    assert [r.rate for r in tax_rates.rates_for("DE")] == [Decimal("5.00")]


def test_ttl_zero_reads_every_time(settings, django_assert_num_queries):
    settings.TAX_RATES_CACHE_SECONDS = 0
    _rate()
    with django_assert_num_queries(2):
        tax_rates.rates_for("DE")
        tax_rates.rates_for("DE")


def test_callers_cannot_change_the_cached_list():
    _rate()
    tax_rates.rates_for("DE").clear()
    assert len(tax_rates.rates_for("DE")) == 1


def test_a_read_overlapping_a_clear_is_not_kept(monkeypatch, django_assert_num_queries):
    """gthread: another thread saves a rate while this one's query runs; the copy this read
    got may predate the save, so it must not be stored after the clear."""
    _rate()
    query = tax_rates._BY_COUNTRY.all

    def query_then_a_save_elsewhere(**values):
        rates = query(**values)
        tax_rates.clear()  # what the post_save signal does in the other thread
        return rates

    monkeypatch.setattr(tax_rates._BY_COUNTRY, "all", query_then_a_save_elsewhere)
    tax_rates.rates_for("DE")
    monkeypatch.setattr(tax_rates._BY_COUNTRY, "all", query)
    with django_assert_num_queries(1):
        tax_rates.rates_for("DE")  # read again, not served from a stale copy
        tax_rates.rates_for("DE")  # and kept this time
