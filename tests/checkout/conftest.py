import pytest

ADDRESS = {
    "firstname": "Erika",
    "lastname": "Mustermann",
    "street": ["Heidestraße 17"],
    "city": "Köln",
    "postcode": "51147",
    "country_code": "DE",
    "telephone": "+49 221 1234567",
}

READY_CART = """
mutation Ready($cart: String!, $sku: String!, $qty: Float!, $address: CartAddressInput!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: $sku, quantity: $qty}]) { user_errors { code message } }
  setGuestEmailOnCart(input: {cart_id: $cart, email: "erika@example.com"}) { cart { email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) { cart { id } }
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) { cart { id } }
  setShippingMethodsOnCart(input: {cart_id: $cart, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
}
"""

PLACE_ORDER = """
mutation Place($cart: String!) {
  placeOrder(input: {cart_id: $cart}) {
    order { order_number }
    orderV2 { number token status email total { grand_total { value currency } total_tax { value } } items { product_sku quantity_ordered } }
    errors { code message }
  }
}
"""


@pytest.fixture
def new_cart(gql):
    def make():
        return gql.data("mutation { createGuestCart { cart { id } } }")["createGuestCart"]["cart"]["id"]

    return make


@pytest.fixture
def ready_cart(gql, new_cart, tax_rates, product):
    """A guest cart with 2 × product, email, addresses and flat-rate shipping; pays by checkmo."""

    def make(payment="checkmo", qty=2):
        cart_id = new_cart()
        result = gql.data(READY_CART, {"cart": cart_id, "sku": product.sku, "qty": qty, "address": ADDRESS})
        assert result["addProductsToCart"]["user_errors"] == []
        if payment:
            gql.data(
                "mutation($c: String!, $code: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: $code}}) { cart { id } } }",
                {"c": cart_id, "code": payment},
            )
        return cart_id

    return make
