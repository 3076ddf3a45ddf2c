"""Reliability fixtures: carts with N lines ready for Klarna, and a shop-only SQL counter."""

import threading
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection

from klarna_emulator import payments as emulator
from payments_klarna.models import KlarnaSession
from shop.models import Product
from tests.checkout_fixtures import ADDRESS, CREATE_SESSION, SET_KLARNA, klarna_billing

SETUP = """
mutation Setup($cart: String!, $items: [CartItemInput!]!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: $items) { user_errors { code message } }
  setGuestEmailOnCart(input: {cart_id: $cart, email: "erika@example.com"}) { cart { email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""


@pytest.fixture
def many_products(db):
    return Product.objects.bulk_create(
        Product(
            sku=f"LINE-{n}",
            name=f"Line {n}",
            url_key=f"line-{n}",
            price=Decimal("1.00") + Decimal(n) / 10,
            stock_qty=100,
            tax_class="reduced" if n % 3 == 0 else "standard",
        )
        for n in range(1, 51)
    )


@pytest.fixture
def lines_cart(gql, new_cart, tax_rates, many_products):
    """A guest cart with ``lines`` lines, addresses and shipping; Klarna authorized unless
    ``klarna=False`` (then checkmo)."""

    def make(lines: int = 1, *, klarna: bool = True, category: str = "pay_later") -> str:
        cart_id = new_cart()
        items = [{"sku": p.sku, "quantity": 1} for p in many_products[:lines]]
        result = gql.data(SETUP, {"cart": cart_id, "items": items, "address": ADDRESS})
        assert result["addProductsToCart"]["user_errors"] == []
        if not klarna:
            gql.data(
                'mutation($c: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "checkmo"}}) { cart { id } } }',
                {"c": cart_id},
            )
            return cart_id
        authorize(gql, cart_id, category)
        return cart_id

    return make


def authorize(gql, cart_id: str, category: str = "pay_later") -> str:
    """Open the Klarna session, authorize in the emulator, set the token on the cart."""
    gql.data(CREATE_SESSION, {"c": cart_id})
    session = KlarnaSession.objects.get(cart__masked_id=cart_id, status="active")
    answer = emulator.authorize(session.session_id, category, klarna_billing())
    assert answer["approved"], answer
    gql.data(SET_KLARNA, {"c": cart_id, "code": f"klarna_{category}", "token": answer["authorization_token"]})
    return answer["authorization_token"]


class ShopQueries:
    """Counts the shop's SQL, leaving out what the in-process Klarna emulator (which stands for
    Klarna's servers) runs on the same connection."""

    def __init__(self):
        self.count = 0
        self.sql: list[str] = []
        self._inside = threading.local()

    def __call__(self, execute, sql, params, many, context):
        if not getattr(self._inside, "emulator", False):
            self.count += 1
            self.sql.append(sql)
        return execute(sql, params, many, context)


@pytest.fixture
def shop_queries(monkeypatch):
    from klarna_emulator.transport import EmulatorAdapter

    counter = ShopQueries()
    original = EmulatorAdapter.send

    def send(adapter, *args, **kwargs):
        counter._inside.emulator = True
        try:
            return original(adapter, *args, **kwargs)
        finally:
            counter._inside.emulator = False

    monkeypatch.setattr(EmulatorAdapter, "send", send)

    @contextmanager
    def capture():
        counter.count, counter.sql = 0, []
        with connection.execute_wrapper(counter):
            yield counter

    return capture
