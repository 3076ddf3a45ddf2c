"""Markets through GraphQL (issue 17): the `Store` header picks the store; carts belong to it;
prices, tax mode, shipping and the order follow its currency."""

from decimal import Decimal

import pytest

from checkout.models import Order
from shop.models import Product, ProductPrice, Store, TaxRate

pytestmark = pytest.mark.django_db

SE_ADDRESS = {
    "firstname": "Sven",
    "lastname": "Svensson",
    "street": ["Drottninggatan 1"],
    "city": "Stockholm",
    "postcode": "111 51",
    "country_code": "SE",
    "telephone": "+46 8 123456",
}
US_ADDRESS = {
    "firstname": "Jane",
    "lastname": "Doe",
    "street": ["1 Market St"],
    "city": "San Francisco",
    "region": "CA",
    "postcode": "94105",
    "country_code": "US",
    "telephone": "+1 415 555 0100",
}

READY = """
mutation Ready($cart: String!, $sku: String!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: $sku, quantity: 2}]) { user_errors { code message } }
  setGuestEmailOnCart(input: {cart_id: $cart, email: "shopper@example.com"}) { cart { email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
  setPaymentMethodOnCart(input: {cart_id: $cart, payment_method: {code: "checkmo"}}) { cart { id } }
}
"""
TOTALS = """
query($cart: String!) { cart(cart_id: $cart) {
  items { product { sku price_range { minimum_price { final_price { value currency } } } }
          prices { price { value currency } } }
  shipping_addresses { available_shipping_methods { carrier_code amount { value currency } } }
  prices { grand_total { value currency } subtotal_excluding_tax { value }
           applied_taxes { label amount { value currency } } }
} }
"""
PLACE = "mutation($cart: String!) { placeOrder(input: {cart_id: $cart}) { orderV2 { number total { grand_total { value currency } } } errors { code } } }"
PRODUCTS = '{ products(search: "") { total_count items { sku price_range { minimum_price { final_price { value currency } } } } } }'


@pytest.fixture
def markets(db, tax_rates):
    se = Store.objects.create(
        code="se",
        name="Sverige",
        countries="SE",
        currency="SEK",
        locales="sv_SE,en_SE",
        prices_include_tax=True,
        flatrate_price=Decimal("59"),
        free_shipping_threshold=Decimal("1000"),
    )
    us = Store.objects.create(
        code="us",
        name="United States",
        countries="US",
        currency="USD",
        locales="en_US",
        prices_include_tax=False,
        flatrate_price=Decimal("6"),
        free_shipping_threshold=Decimal("100"),
        klarna_account="US",
    )
    TaxRate.objects.create(country="SE", tax_class="standard", rate=Decimal("25"), label="Moms")
    mug = Product.objects.create(sku="MUG", name="Mug", url_key="mug", price=Decimal("14.90"), stock_qty=50)
    lamp = Product.objects.create(
        sku="LAMP", name="Lamp", url_key="lamp", price=Decimal("89.00"), stock_qty=5
    )
    ProductPrice.objects.create(product=mug, currency="SEK", price=Decimal("179.00"))
    ProductPrice.objects.create(product=mug, currency="USD", price=Decimal("13.99"))
    ProductPrice.objects.create(product=lamp, currency="SEK", price=Decimal("999.00"))
    return {"se": se, "us": us, "mug": mug, "lamp": lamp}


def new_cart(gql, store=None) -> str:
    headers = {"HTTP_STORE": store} if store else {}
    return gql.data("mutation { createGuestCart { cart { id } } }", **headers)["createGuestCart"]["cart"][
        "id"
    ]


def test_catalog_lists_only_products_priced_in_the_store_currency(gql, markets):
    default = gql.data(PRODUCTS)["products"]
    assert default["total_count"] == 2
    us = gql.data(PRODUCTS, HTTP_STORE="us")["products"]
    assert [(p["sku"], p["price_range"]["minimum_price"]["final_price"]) for p in us["items"]] == [
        ("MUG", {"value": 13.99, "currency": "USD"})
    ]
    se = gql.data(PRODUCTS, HTTP_STORE="se")["products"]
    assert {p["sku"]: p["price_range"]["minimum_price"]["final_price"]["value"] for p in se["items"]} == {
        "MUG": 179.0,
        "LAMP": 999.0,
    }


def test_a_product_without_a_price_in_the_store_is_not_found_by_sku(gql, markets):
    cart = new_cart(gql, "us")
    result = gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "LAMP", quantity: 1}]) '
        "{ cart { items { uid } } user_errors { code message } } }",
        {"c": cart},
        HTTP_STORE="us",
    )["addProductsToCart"]
    assert result["user_errors"] == [
        {"code": "PRODUCT_NOT_FOUND", "message": 'Could not find a product with SKU "LAMP"'}
    ]
    assert result["cart"]["items"] == []


def test_a_cart_belongs_to_the_store_it_was_created_in(gql, markets):
    se_cart = new_cart(gql, "se")
    default_cart = new_cart(gql)
    assert Order.objects.count() == 0
    from cart.models import Cart

    assert Cart.objects.get(masked_id=se_cart).store_id == markets["se"].pk
    assert Cart.objects.get(masked_id=default_cart).store_id is None
    query = "query($c: String!) { cart(cart_id: $c) { id } }"
    for cart, header in (
        (se_cart, {}),
        (se_cart, {"HTTP_STORE": "us"}),
        (default_cart, {"HTTP_STORE": "se"}),
    ):
        error = gql.error(query, {"c": cart}, **header)
        assert error["message"] == f'Wrong store code specified for cart "{cart}"'
        assert error["extensions"]["category"] == "graphql-no-such-entity"
    # A mutation is refused the same way, and writes nothing.
    error = gql.error(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "MUG", quantity: 1}]) { cart { id } } }',
        {"c": se_cart},
        HTTP_STORE="us",
    )
    assert error["message"] == f'Wrong store code specified for cart "{se_cart}"'
    assert not Cart.objects.get(masked_id=se_cart).items.exists()
    assert gql.data(query, {"c": se_cart}, HTTP_STORE="se")["cart"]["id"] == se_cart


def test_checkout_in_sweden_in_sek_with_tax_included(gql, markets):
    cart = new_cart(gql, "se")
    result = gql.data(READY, {"cart": cart, "sku": "MUG", "address": SE_ADDRESS}, HTTP_STORE="se")
    assert result["addProductsToCart"]["user_errors"] == []
    data = gql.data(TOTALS, {"cart": cart}, HTTP_STORE="se")["cart"]
    # Magento's item price excludes tax: 179 SEK gross at 25 %
    assert data["items"][0]["prices"]["price"] == {"value": 143.2, "currency": "SEK"}
    assert data["items"][0]["product"]["price_range"]["minimum_price"]["final_price"] == {
        "value": 179.0,
        "currency": "SEK",
    }
    methods = data["shipping_addresses"][0]["available_shipping_methods"]
    assert [(m["carrier_code"], m["amount"]) for m in methods] == [
        ("flatrate", {"value": 59.0, "currency": "SEK"})
    ]
    prices = data["prices"]
    assert prices["grand_total"] == {"value": 417.0, "currency": "SEK"}  # 2 x 179 + 59, tax included
    # 25 % Swedish VAT extracted: 358 * 25/125 = 71.60 and 59 * 25/125 = 11.80
    assert prices["applied_taxes"] == [{"label": "Moms 25%", "amount": {"value": 83.4, "currency": "SEK"}}]
    placed = gql.data(PLACE, {"cart": cart}, HTTP_STORE="se")["placeOrder"]
    assert placed["errors"] == []
    assert placed["orderV2"]["total"]["grand_total"] == {"value": 417.0, "currency": "SEK"}
    order = Order.objects.get(number=placed["orderV2"]["number"])
    assert (order.store_id, order.currency, order.prices_include_tax, order.grand_total) == (
        markets["se"].pk,
        "SEK",
        True,
        Decimal("417"),
    )


def test_checkout_in_the_us_adds_sales_tax(gql, markets):
    cart = new_cart(gql, "us")
    gql.data(READY, {"cart": cart, "sku": "MUG", "address": US_ADDRESS}, HTTP_STORE="us")
    prices = gql.data(TOTALS, {"cart": cart}, HTTP_STORE="us")["cart"]["prices"]
    assert prices["subtotal_excluding_tax"]["value"] == 27.98
    # CA 7.25 % on 27.98 (2.03) and on the 6.00 flat rate (0.44), added on top
    assert prices["applied_taxes"] == [
        {"label": "Sales Tax 7.25%", "amount": {"value": 2.47, "currency": "USD"}}
    ]
    assert prices["grand_total"] == {"value": 36.45, "currency": "USD"}
    placed = gql.data(PLACE, {"cart": cart}, HTTP_STORE="us")["placeOrder"]
    assert placed["errors"] == []
    order = Order.objects.get(number=placed["orderV2"]["number"])
    assert (order.store_id, order.currency, order.prices_include_tax, order.grand_total) == (
        markets["us"].pk,
        "USD",
        False,
        Decimal("36.45"),
    )


def test_free_shipping_follows_the_store_threshold(gql, markets):
    cart = new_cart(gql, "se")
    gql.data(
        'mutation($c: String!, $a: CartAddressInput!) { addProductsToCart(cartId: $c, cartItems: [{sku: "LAMP", quantity: 1}]) { cart { id } }'
        " setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) { cart { id } } }",
        {"c": cart, "a": SE_ADDRESS},
        HTTP_STORE="se",
    )
    data = gql.data(TOTALS, {"cart": cart}, HTTP_STORE="se")["cart"]
    codes = [m["carrier_code"] for m in data["shipping_addresses"][0]["available_shipping_methods"]]
    assert codes == ["flatrate"]  # 999 SEK < 1000 SEK; 999 EUR-worth would have qualified at 100
    uid = gql.data("query($c: String!) { cart(cart_id: $c) { items { uid } } }", {"c": cart}, HTTP_STORE="se")
    gql.data(
        "mutation($c: String!, $uid: ID!) { updateCartItems(input: {cart_id: $c,"
        " cart_items: [{cart_item_uid: $uid, quantity: 2}]}) { cart { id } } }",
        {"c": cart, "uid": uid["cart"]["items"][0]["uid"]},
        HTTP_STORE="se",
    )
    data = gql.data(TOTALS, {"cart": cart}, HTTP_STORE="se")["cart"]
    codes = [m["carrier_code"] for m in data["shipping_addresses"][0]["available_shipping_methods"]]
    assert codes == ["flatrate", "freeshipping"]


def test_a_customer_has_one_cart_per_store(gql, markets):
    from shop.customers import create_customer, issue_token

    customer = create_customer(
        email="kund@example.com", password="correct horse 9", firstname="K", lastname="L"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(customer).token}"}
    query = "{ customerCart { id } }"
    default_cart = gql.data(query, **auth)["customerCart"]["id"]
    se_cart = gql.data(query, HTTP_STORE="se", **auth)["customerCart"]["id"]
    assert se_cart != default_cart
    assert gql.data(query, HTTP_STORE="se", **auth)["customerCart"]["id"] == se_cart
    assert gql.data(query, **auth)["customerCart"]["id"] == default_cart
    error = gql.error("query($c: String!) { cart(cart_id: $c) { id } }", {"c": se_cart}, **auth)
    assert error["message"] == f'Wrong store code specified for cart "{se_cart}"'


def test_a_market_cart_stays_within_the_cart_query_budget(gql, markets, django_assert_max_num_queries):
    """The store is resolved once per request from the per-process cache; a market's cart pays
    one query more than a default-store cart (its prices), within the cart query's budget."""
    from tests.cart.test_query_budgets import CART_QUERY_BUDGET

    cart = new_cart(gql, "se")
    gql.data(READY, {"cart": cart, "sku": "MUG", "address": SE_ADDRESS}, HTTP_STORE="se")
    gql.data(TOTALS, {"cart": cart}, HTTP_STORE="se")  # warm: stores cached, documents compiled
    with django_assert_max_num_queries(CART_QUERY_BUDGET):
        data = gql.data(TOTALS, {"cart": cart}, HTTP_STORE="se")
    assert data["cart"]["prices"]["grand_total"]["currency"] == "SEK"


def test_staff_filter_orders_and_carts_by_store(gql, markets, admin_client):
    se_cart = new_cart(gql, "se")
    gql.data(READY, {"cart": se_cart, "sku": "MUG", "address": SE_ADDRESS}, HTTP_STORE="se")
    se_order = gql.data(PLACE, {"cart": se_cart}, HTTP_STORE="se")["placeOrder"]["orderV2"]["number"]
    us_cart = new_cart(gql, "us")
    gql.data(READY, {"cart": us_cart, "sku": "MUG", "address": US_ADDRESS}, HTTP_STORE="us")
    us_order = gql.data(PLACE, {"cart": us_cart}, HTTP_STORE="us")["placeOrder"]["orderV2"]["number"]
    default_cart = new_cart(gql)

    def listed(url, code, needles):
        page = admin_client.get(url, {"store": code}).content.decode()
        return {needle for needle in needles if needle in page}

    orders = {se_order, us_order}
    assert listed("/admin/checkout/order/", "se", orders) == {se_order}
    assert listed("/admin/checkout/order/", "us", orders) == {us_order}
    assert listed("/admin/checkout/order/", "default", orders) == set()
    page = admin_client.get("/admin/checkout/order/", {"store": "us"}).content.decode()
    assert "USD" in page and "SEK" not in page.split("changelist-filter")[0]  # amounts with currency
    carts = {c[:8] for c in (se_cart, us_cart, default_cart)}
    assert listed("/admin/cart/cart/", "default", carts) == {default_cart[:8]}
    assert listed("/admin/cart/cart/", "se", carts) == {se_cart[:8]}
