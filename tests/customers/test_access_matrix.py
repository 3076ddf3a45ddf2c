"""Who may do what on /graphql: every cart operation, customerCart and customer, for every
kind of caller, on a customer's cart and on a guest cart. Refusals give Magento's exact
message, return no data and change nothing.

Callers: a guest (no header), the cart's owner (Anna's token), another customer (Ben's token),
Anna's expired token, Anna's revoked token, and a staff user signed in to the admin (session
cookie only: no customer power on /graphql, which reads nothing but the bearer token).
"""

import pytest
from django.contrib.auth.models import User

from cart.models import Cart, CartItem, Coupon
from tests.checkout_fixtures import ADDRESS

from .conftest import bearer

PERSONAS = ["guest", "owner", "other_customer", "expired_token", "revoked_token", "staff_session"]
TARGETS = ["customer_cart", "guest_cart"]

NOT_AUTHORIZED = ("The current customer isn't authorized.", "graphql-authorization")
CUSTOMER_REQUIRED = ("The request is allowed for logged in customer", "graphql-authorization")
NOT_FOR_CUSTOMERS = ("The request is not allowed for logged in customers", "graphql-input")
NOT_OWNED = "The current user cannot perform operations on cart"

CART_OPS = {
    "cart": "query($c: String!) { cart(cart_id: $c) { id email items { uid quantity } } }",
    "addProductsToCart": """mutation($c: String!, $sku: String!) {
        addProductsToCart(cartId: $c, cartItems: [{sku: $sku, quantity: 1}]) { cart { id } user_errors { code } } }""",
    "updateCartItems": """mutation($c: String!, $item: Int!) {
        updateCartItems(input: {cart_id: $c, cart_items: [{cart_item_id: $item, quantity: 3}]}) { cart { id } } }""",
    "removeItemFromCart": """mutation($c: String!, $item: Int!) {
        removeItemFromCart(input: {cart_id: $c, cart_item_id: $item}) { cart { id } } }""",
    "applyCouponToCart": """mutation($c: String!) {
        applyCouponToCart(input: {cart_id: $c, coupon_code: "WELCOME10"}) { cart { id } } }""",
    "removeCouponFromCart": "mutation($c: String!) { removeCouponFromCart(input: {cart_id: $c}) { cart { id } } }",
    "setGuestEmailOnCart": """mutation($c: String!) {
        setGuestEmailOnCart(input: {cart_id: $c, email: "mallory@example.com"}) { cart { id } } }""",
    "setShippingAddressesOnCart": """mutation($c: String!, $a: CartAddressInput!) {
        setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) { cart { id } } }""",
    "setBillingAddressOnCart": """mutation($c: String!, $a: CartAddressInput!) {
        setBillingAddressOnCart(input: {cart_id: $c, billing_address: {address: $a}}) { cart { id } } }""",
    "setShippingMethodsOnCart": """mutation($c: String!) {
        setShippingMethodsOnCart(input: {cart_id: $c, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) {
        cart { id } } }""",
    "setPaymentMethodOnCart": """mutation($c: String!) {
        setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "checkmo"}}) { cart { id } } }""",
    "createKlarnaPaymentsSession": """mutation($c: String!) {
        createKlarnaPaymentsSession(input: {cart_id: $c}) { client_token } }""",
    "placeOrder": """mutation($c: String!) {
        placeOrder(input: {cart_id: $c}) { orderV2 { number email } errors { code message } } }""",
    "mergeCarts": """mutation($c: String!, $source: String!) {
        mergeCarts(source_cart_id: $source, destination_cart_id: $c) { id items { quantity } } }""",
    "assignCustomerToGuestCart": "mutation($c: String!) { assignCustomerToGuestCart(cart_id: $c) { id email } }",
}
ACCOUNT_OPS = {
    "customerCart": "{ customerCart { id email } }",
    "customer": "{ customer { firstname lastname email orders { total_count } } }",
}


def expected_for(op: str, persona: str, target: str | None):
    """ "ok" or (message, category) for ``op`` called by ``persona`` on ``target``."""
    if persona in ("expired_token", "revoked_token"):
        return "refused_request"
    customer = persona in ("owner", "other_customer")
    if op == "customerCart":
        return "ok" if customer else CUSTOMER_REQUIRED
    if op == "customer":
        return "ok" if customer else NOT_AUTHORIZED
    if op in ("mergeCarts", "assignCustomerToGuestCart") and not customer:
        return NOT_AUTHORIZED
    if op == "setGuestEmailOnCart" and customer:
        return NOT_FOR_CUSTOMERS
    if op == "assignCustomerToGuestCart":
        return "ok" if target == "guest_cart" else "not_owned"
    if op == "mergeCarts":
        return "ok" if (target, persona) == ("customer_cart", "owner") else "not_owned"
    if target == "customer_cart":
        return "ok" if persona == "owner" else "not_owned"
    return "not_owned" if customer else "ok"


CASES = [(op, persona, target) for op in CART_OPS for target in TARGETS for persona in PERSONAS] + [
    (op, persona, None) for op in ACCOUNT_OPS for persona in PERSONAS
]


def test_matrix_covers_every_operation_caller_and_cart():
    assert len(CASES) == 192  # 15 cart operations x 2 carts x 6 callers + 2 account queries x 6 callers


def _snapshot(masked_id):
    cart = Cart.objects.get(masked_id=masked_id)
    items = sorted(CartItem.objects.filter(cart=cart).values_list("product_id", "quantity"))
    addresses = sorted((a.kind, a.firstname, a.street[0]) for a in cart.addresses.all())
    return (cart.version, cart.is_active, cart.customer_id, cart.email, cart.coupon_id, items, addresses)


@pytest.fixture
def world(
    gql, anna, ben, token_of, ready_customer_cart, ready_to_place_cart, new_cart, product, make_product
):
    Coupon.objects.create(code="WELCOME10", discount_type="percent", value=10)
    anna_auth = bearer(token_of(anna))
    carts = {"customer_cart": ready_customer_cart(anna_auth), "guest_cart": ready_to_place_cart()}
    source = new_cart()
    extra = make_product(price="5.00", sku="EXTRA-1")
    gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "EXTRA-1", quantity: 1}]) { cart { id } } }',
        {"c": source},
    )
    return {"anna": anna, "anna_auth": anna_auth, "carts": carts, "source": source, "extra": extra}


def _headers(persona, world, gql, token_of, ben):
    from django.utils import timezone

    from shop import customers
    from shop.models import CustomerToken

    if persona == "owner":
        return world["anna_auth"]
    if persona == "other_customer":
        return bearer(token_of(ben))
    if persona == "expired_token":
        token = token_of(world["anna"])
        CustomerToken.objects.filter(user=world["anna"]).update(expires_at=timezone.now())
        return bearer(token)
    if persona == "revoked_token":
        token = token_of(world["anna"])
        customers.revoke_token(token)
        return bearer(token)
    if persona == "staff_session":
        staff = User.objects.create_user(
            "admin", "anna@example.com", "Staff-pass-123", is_staff=True, is_superuser=True
        )
        gql.client.force_login(staff)
    return {}


@pytest.mark.parametrize(("op", "persona", "target"), CASES)
def test_access(op, persona, target, gql, world, token_of, ben, product):
    masked_id = world["carts"][target] if target else world["carts"]["customer_cart"]
    headers = _headers(persona, world, gql, token_of, ben)
    document = CART_OPS.get(op) or ACCOUNT_OPS[op]
    item = CartItem.objects.filter(cart__masked_id=masked_id).first()
    variables = {"c": masked_id, "sku": product.sku, "item": item.pk, "a": ADDRESS, "source": world["source"]}
    used = {name: value for name, value in variables.items() if f"${name}" in document}
    watched = [masked_id, world["source"]]
    before = [_snapshot(m) for m in watched]

    response = gql.post(document, used, **headers)
    expected = expected_for(op, persona, target)

    if expected == "ok":
        assert "errors" not in response, response
        _assert_ok(op, persona, response["data"][op], masked_id, world)
        return
    assert [_snapshot(m) for m in watched] == before, "a refused call changed a cart"
    if expected == "refused_request":
        refusal = "User token has been revoked" if persona == "revoked_token" else NOT_AUTHORIZED[0]
        assert response == {
            "errors": [{"message": refusal, "extensions": {"category": "graphql-authorization"}}]
        }
        return
    if expected == "not_owned":
        expected = (f'{NOT_OWNED} "{masked_id}"', "graphql-authorization")
    assert len(response["errors"]) == 1, response
    error = response["errors"][0]
    assert (error["message"], error["extensions"]["category"]) == expected
    assert "error_code" not in error["extensions"]
    assert (response.get("data") or {}).get(op) is None, "a refused call returned data"


def _assert_ok(op, persona, data, masked_id, world):
    anna = world["anna"]
    if op == "customer":
        assert data["email"] == ("anna@example.com" if persona == "owner" else "ben@example.com")
    elif op == "customerCart":
        mine = Cart.objects.get(masked_id=data["id"])
        assert mine.customer.email == data["email"]
        assert (data["id"] == masked_id) == (persona == "owner")
    elif op == "placeOrder":
        assert data["errors"] == []
        assert data["orderV2"]["email"] == ("anna@example.com" if persona == "owner" else "erika@example.com")
    elif op == "createKlarnaPaymentsSession":
        assert data["client_token"]
    elif op == "assignCustomerToGuestCart":
        cart = Cart.objects.get(masked_id=masked_id)
        assert data == {"id": masked_id, "email": cart.customer.email}
        assert cart.customer != anna or persona == "owner"
    elif op == "mergeCarts":
        assert data["id"] == masked_id
        assert not Cart.objects.get(masked_id=world["source"]).is_active
    elif op == "cart":
        assert data["id"] == masked_id
    else:
        assert data["cart"]["id"] == masked_id
