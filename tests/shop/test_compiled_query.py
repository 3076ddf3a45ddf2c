"""shop.orm.CompiledQuery: compiled once per connection, same rows as the QuerySet."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from cart.models import Cart, CartItem, Coupon
from cart.services import LOCKED_CART
from shop.models import Product
from shop.orm import CompiledQuery, insert, insert_many, update_by_pk

pytestmark = pytest.mark.django_db

ITEMS = CompiledQuery(
    lambda cart_id: CartItem.objects.filter(cart_id=cart_id).select_related("product").order_by("id"),
    cart_id=int,
)
BY_MASKED_ID = CompiledQuery(
    lambda masked_id: Cart.objects.select_related("coupon").filter(masked_id=masked_id).order_by(),
    masked_id=str,
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
        assert LOCKED_CART.one(pk=cart.pk).pk == cart.pk
    with pytest.raises(TransactionManagementError):
        LOCKED_CART.one(pk=cart.pk)


def test_update_by_pk_writes_prepared_values_and_increments_only_that_row():
    coupon = Coupon.objects.create(code="FIVE", value=Decimal("5"))
    cart = Cart.objects.create(masked_id="f" * 32, version=3)
    other = Cart.objects.create(masked_id="g" * 32, version=3)

    rows = update_by_pk(Cart, cart.pk, increment=("version",), email="a@example.com", coupon_id=coupon.pk)

    assert rows == 1
    cart.refresh_from_db()
    other.refresh_from_db()
    assert (cart.version, cart.email, cart.coupon_id) == (4, "a@example.com", coupon.pk)
    assert (other.version, other.email, other.coupon_id) == (3, "", None)
    assert update_by_pk(Cart, 10**9, email="x@example.com") == 0


def test_update_by_pk_prepares_values_like_the_orm():
    from checkout.models import OrderPlacement

    cart = Cart.objects.create(masked_id="h" * 32)
    placement = OrderPlacement.objects.create(cart=cart)
    update_by_pk(OrderPlacement, placement.pk, state=OrderPlacement.State.PAYING, last_error="x" * 10)
    placement.refresh_from_db()
    assert placement.state == "paying" and placement.last_error == "x" * 10


def test_insert_sets_the_primary_key_and_auto_now_add_like_save():
    cart = insert(Cart(masked_id="i" * 32))
    assert cart.pk is not None and not cart._state.adding
    stored = Cart.objects.get(pk=cart.pk)
    assert stored.masked_id == "i" * 32 and stored.created_at == cart.created_at is not None


def test_insert_of_a_model_with_its_own_save_goes_through_save():
    coupon = insert(Coupon(code="  lower ", value=Decimal("1")))
    assert Coupon.objects.get(pk=coupon.pk).code == "LOWER"  # Coupon.save normalizes the code


def test_insert_many_sets_each_primary_key_in_order_in_one_statement():
    cart = insert(Cart(masked_id="m" * 32))
    products = [_product(f"MANY-{i}") for i in range(3)]
    items = [CartItem(cart=cart, product=p, quantity=i + 1) for i, p in enumerate(products)]

    with CaptureQueriesContext(connection) as captured:
        insert_many(items)

    assert len(captured) == 1
    stored = {item.pk: (item.product_id, item.quantity, item.created_at) for item in CartItem.objects.all()}
    assert [stored[item.pk] for item in items] == [
        (p.pk, i + 1, items[i].created_at) for i, p in enumerate(products)
    ]
    assert all(item.created_at is not None and not item._state.adding for item in items)


def test_insert_many_in_batches_when_the_rows_exceed_the_databases_parameter_limit(monkeypatch):
    cart = insert(Cart(masked_id="b" * 32))
    products = [_product(f"BATCH-{i}") for i in range(5)]
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 2)
    items = [CartItem(cart=cart, product=p, quantity=1) for p in products]

    with CaptureQueriesContext(connection) as captured:
        insert_many(items)

    assert len(captured) == 3
    assert sorted(item.pk for item in items) == sorted(CartItem.objects.values_list("pk", flat=True))
    assert len({item.pk for item in items}) == 5


def test_insert_many_of_rows_with_a_primary_key_goes_through_bulk_create():
    cart = insert(Cart(masked_id="k" * 32))
    product = _product("WITH-PK")
    insert_many([CartItem(pk=4242, cart=cart, product=product, quantity=2)])
    assert CartItem.objects.get(pk=4242).quantity == 2
