"""shop.compiled_query.CompiledQuery: compiled once per connection, same rows as the QuerySet;
written against Django internals, so pinned to the Django releases it was checked with."""

from decimal import Decimal

import django
import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from cart import locks
from cart.models import Cart, CartItem, Coupon
from shop.compiled_query import DJANGO_VERSIONS, CompiledQuery
from shop.models import Product

pytestmark = pytest.mark.django_db

ITEMS = CompiledQuery(
    lambda cart_id: CartItem.objects.filter(cart_id=cart_id).select_related("product").order_by("id"),
    cart_id=int,
)
BY_MASKED_ID = CompiledQuery(
    lambda masked_id: Cart.objects.select_related("coupon").filter(masked_id=masked_id).order_by(),
    masked_id=str,
)


def test_written_for_this_django_release():
    # CompiledQuery reads the SQL compiler's internals (klass_info, select, converters) and
    # get_related_populators. On a new Django release re-check it (this file, the bench) and
    # only then add the release to DJANGO_VERSIONS; or drop CompiledQuery for plain QuerySets.
    assert django.VERSION[:2] in DJANGO_VERSIONS, (
        f"shop.compiled_query was written for Django {DJANGO_VERSIONS}, this is {django.get_version()}"
    )


def _product(sku, price="9.99"):
    return Product.objects.create(sku=sku, name=sku, url_key=sku.lower(), price=Decimal(price), stock_qty=5)


def test_rows_equal_the_querysets_including_select_related_and_converted_values():
    cart = Cart.objects.create(masked_id="a" * 32)
    for sku, price in (("P-1", "1.10"), ("P-2", "20.05")):
        CartItem.objects.create(cart=cart, product=_product(sku, price), quantity=Decimal("2"))
    expected = list(CartItem.objects.filter(cart=cart).select_related("product").order_by("id"))

    rows = ITEMS.all(cart_id=cart.pk)

    assert [(r.pk, r.quantity, r.product.sku, r.product.price) for r in rows] == [
        (e.pk, e.quantity, e.product.sku, e.product.price) for e in expected
    ]
    assert isinstance(rows[0].product.price, Decimal)  # the backend's converters ran
    assert rows[0].created_at == expected[0].created_at
    with CaptureQueriesContext(connection) as captured:
        assert rows[1].product.name == "P-2"  # select_related filled the cache: no query
    assert len(captured) == 0


def test_each_call_uses_its_own_parameter_values():
    coupon = Coupon.objects.create(code="TEN", value=Decimal("10"))
    Cart.objects.create(masked_id="b" * 32, coupon=coupon)
    Cart.objects.create(masked_id="c" * 32)

    first = BY_MASKED_ID.one(masked_id="b" * 32)
    second = BY_MASKED_ID.one(masked_id="c" * 32)

    assert first.masked_id == "b" * 32 and first.coupon.code == "TEN"
    assert second.masked_id == "c" * 32 and second.coupon is None
    assert BY_MASKED_ID.one(masked_id="missing") is None


def test_second_call_runs_one_query_and_compiles_nothing(django_assert_num_queries, monkeypatch):
    cart = Cart.objects.create(masked_id="d" * 32)
    BY_MASKED_ID.one(masked_id=cart.masked_id)  # compiled here

    from django.db.models.sql import compiler

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", refuse)
    with django_assert_num_queries(1):
        assert BY_MASKED_ID.one(masked_id=cart.masked_id).pk == cart.pk


def test_a_parameter_that_does_not_reach_the_sql_unchanged_is_refused_when_compiled():
    # upper() changes the placeholder: substituting it later would be wrong, so refuse.
    query = CompiledQuery(lambda masked_id: Cart.objects.filter(masked_id=masked_id.upper()), masked_id=str)
    with pytest.raises(ValueError, match="did not reach the SQL unchanged"):
        query.all(masked_id="X")


def test_only_int_and_str_parameters():
    with pytest.raises(TypeError):
        CompiledQuery(lambda when: Cart.objects.filter(created_at=when), when=object)


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_outside_a_transaction_is_refused_like_django_does():
    cart = Cart.objects.create(masked_id="e" * 32)
    with transaction.atomic():
        assert locks.lock_cart(pk=cart.pk).cart.pk == cart.pk
    with pytest.raises(TransactionManagementError):
        locks.lock_cart(pk=cart.pk)
