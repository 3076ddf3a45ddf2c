"""SQL query budgets: the cart with Venia's full selection in at most 10 queries, each cart
mutation returning it in at most 20, the same with 1 line as with 50."""

from decimal import Decimal

import pytest

from cart.models import Cart, CartAddress, CartItem, Coupon
from shop.models import Product

from .conftest import ADDRESS_DE, CART_FIELDS, CART_QUERY

CART_QUERY_BUDGET = 10
MUTATION_BUDGET = 20

MUTATIONS = {
    "addProductsToCart": (
        'mutation($cartId: String!) { addProductsToCart(cartId: $cartId, cartItems: [{sku: "BUDGET-1", quantity: 1},'
        ' {sku: "EXTRA", quantity: 1}]) { cart { %s } user_errors { code message } } }'
    ),
    "updateCartItems": (
        "mutation($cartId: String!, $itemId: Int) { updateCartItems(input: {cart_id: $cartId,"
        " cart_items: [{cart_item_id: $itemId, quantity: 2}]}) { cart { %s } errors { code message } } }"
    ),
    "removeItemFromCart": (
        "mutation($cartId: String!, $itemId: Int) { removeItemFromCart(input: {cart_id: $cartId,"
        " cart_item_id: $itemId}) { cart { %s } } }"
    ),
    "applyCouponToCart": (
        'mutation($cartId: String!) { applyCouponToCart(input: {cart_id: $cartId, coupon_code: "budget2"})'
        " { cart { %s } } }"
    ),
    "removeCouponFromCart": "mutation($cartId: String!) { removeCouponFromCart(input: {cart_id: $cartId}) { cart { %s } } }",
    "setShippingAddressesOnCart": (
        "mutation($cartId: String!, $address: CartAddressInput!) { setShippingAddressesOnCart(input: {cart_id: $cartId,"
        " shipping_addresses: [{address: $address}]}) { cart { %s } } }"
    ),
    "setBillingAddressOnCart": (
        "mutation($cartId: String!, $address: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $cartId,"
        " billing_address: {address: $address}}) { cart { %s } } }"
    ),
    "setShippingMethodsOnCart": (
        "mutation($cartId: String!) { setShippingMethodsOnCart(input: {cart_id: $cartId, shipping_methods:"
        ' [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { %s } } }'
    ),
    "setPaymentMethodOnCart": (
        "mutation($cartId: String!) { setPaymentMethodOnCart(input: {cart_id: $cartId, payment_method:"
        ' {code: "checkmo"}}) { cart { %s } } }'
    ),
    "setGuestEmailOnCart": (
        'mutation($cartId: String!) { setGuestEmailOnCart(input: {cart_id: $cartId, email: "budget@example.com"})'
        " { cart { %s } } }"
    ),
}


@pytest.fixture
def full_cart(db, tax_rates):
    """A cart with ``lines`` lines, both addresses, a shipping method, checkmo and a coupon."""

    def build(lines: int, *, with_coupon: bool = True) -> Cart:
        products = Product.objects.bulk_create(
            Product(
                sku=f"BUDGET-{n}",
                name=f"Budget {n}",
                url_key=f"budget-{n}",
                price=Decimal("12.34") + n,
                stock_qty=1000,
                tax_class="reduced" if n % 3 == 0 else "standard",
            )
            for n in range(1, lines + 1)
        )
        Product.objects.create(sku="EXTRA", name="Extra", url_key="extra", price=Decimal("3.00"), stock_qty=5)
        coupon = Coupon.objects.create(code="BUDGET", discount_type="fixed", value=Decimal("7.00"))
        cart = Cart.objects.create(
            coupon=coupon if with_coupon else None, email="a@example.com", payment_method_code="checkmo"
        )
        CartItem.objects.bulk_create(CartItem(cart=cart, product=p, quantity=2) for p in products)
        fields = {
            "firstname": "Erika",
            "lastname": "Mustermann",
            "street": ["Hauptstraße 1"],
            "city": "Berlin",
            "postcode": "10115",
            "country_code": "DE",
            "telephone": "1",
        }
        CartAddress.objects.create(
            cart=cart,
            kind="shipping",
            shipping_carrier_code="flatrate",
            shipping_method_code="flatrate",
            **fields,
        )
        CartAddress.objects.create(cart=cart, kind="billing", **fields)
        return cart

    return build


@pytest.mark.parametrize("lines", [1, 50])
def test_cart_query_with_venia_selection_stays_within_budget(
    gql, full_cart, django_assert_max_num_queries, lines
):
    cart = full_cart(lines)

    with django_assert_max_num_queries(CART_QUERY_BUDGET):
        data = gql.data(CART_QUERY, {"cartId": cart.masked_id})

    assert len(data["cart"]["items"]) == lines
    assert len(data["cart"]["itemsV2"]["items"]) == min(lines, 20)
    assert data["cart"]["itemsV2"]["total_count"] == lines
    assert data["cart"]["applied_coupons"] == [{"code": "BUDGET"}]
    assert data["cart"]["shipping_addresses"][0]["selected_shipping_method"]["carrier_code"] == "flatrate"
    assert data["cart"]["available_payment_methods"] == [
        {"code": "checkmo", "title": "Check / Money order", "is_deferred": False}
    ]


@pytest.mark.parametrize("lines", [1, 50])
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_cart_mutation_returning_the_cart_stays_within_budget(
    gql, full_cart, django_assert_max_num_queries, mutation, lines
):
    cart = full_cart(lines, with_coupon=mutation != "applyCouponToCart")
    if mutation == "applyCouponToCart":
        Coupon.objects.create(code="BUDGET2", discount_type="percent", value=Decimal("5"))
    document = MUTATIONS[mutation] % CART_FIELDS
    variables = {"cartId": cart.masked_id}
    if "$itemId" in document:
        variables["itemId"] = cart.items.first().pk
    if "$address" in document:
        variables["address"] = {**ADDRESS_DE, "city": "Hamburg", "postcode": "20095"}

    with django_assert_max_num_queries(MUTATION_BUDGET):
        result = gql.post(document, variables)

    assert "errors" not in result, result.get("errors")
    payload = result["data"][mutation]
    assert payload["cart"]["id"] == cart.masked_id
    assert payload.get("user_errors", []) == [] and payload.get("errors", []) == []
