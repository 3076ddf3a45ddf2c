"""The guest checkout a PWA client (Venia-like) sends, as GraphQL documents, and one runner.

The runner is transport-agnostic: ``post(operation, query, variables) -> dict`` sends one
document (Django's test client in-process, HTTP under load) and ``authorize(...)`` plays the
shopper's browser approving in Klarna's widget (not a server operation of the shop).
"""

ADDRESS = {
    "firstname": "Erika",
    "lastname": "Mustermann",
    "street": ["Heidestraße 17"],
    "city": "Köln",
    "postcode": "51147",
    "country_code": "DE",
    "telephone": "+49 221 1234567",
}
EMAIL = "erika@example.com"

# What Venia's mini cart and checkout pages ask for after each change.
CART_FIELDS = """
  id email total_quantity
  items { uid quantity product { sku name } prices { price { value currency } row_total { value currency } } }
  prices { grand_total { value currency } subtotal_excluding_tax { value currency }
           applied_taxes { label amount { value currency } } }
"""

CREATE_CART = "mutation CreateCart { createGuestCart { cart { id } } }"
ADD_PRODUCTS = (
    "mutation AddProducts($cart: String!, $items: [CartItemInput!]!) {"
    " addProductsToCart(cartId: $cart, cartItems: $items) { cart { "
    + CART_FIELDS
    + " } user_errors { code message } } }"
)
EMAIL_AND_SHIPPING = """
mutation EmailAndShipping($cart: String!, $email: String!, $address: CartAddressInput!) {
  setGuestEmailOnCart(input: {cart_id: $cart, email: $email}) { cart { id email } }
  setShippingAddressesOnCart(input: {cart_id: $cart, shipping_addresses: [{address: $address}]}) {
    cart { id shipping_addresses { firstname lastname street city postcode country { code }
      available_shipping_methods { carrier_code method_code amount { value currency } } } } }
}
"""
BILLING = """
mutation Billing($cart: String!) {
  setBillingAddressOnCart(input: {cart_id: $cart, billing_address: {same_as_shipping: true}}) {
    cart { id billing_address { firstname lastname city } } }
}
"""
SHIPPING_METHOD = (
    "mutation ShippingMethod($cart: String!) { setShippingMethodsOnCart(input: {cart_id: $cart,"
    ' shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) {'
    " cart { shipping_addresses { selected_shipping_method { carrier_code method_code amount { value } } } "
    + CART_FIELDS
    + " } } }"
)
KLARNA_SESSION = """
mutation KlarnaSession($cart: String!) {
  createKlarnaPaymentsSession(input: {cart_id: $cart}) { client_token payment_method_categories { identifier name } }
}
"""
PAYMENT_METHODS = (
    "query PaymentMethods($cart: String!) { cart(cart_id: $cart) {"
    " available_payment_methods { code title } selected_payment_method { code } " + CART_FIELDS + " } }"
)
SET_PAYMENT = """
mutation SetPayment($cart: String!, $code: String!, $token: String!) {
  setPaymentMethodOnCart(input: {cart_id: $cart, payment_method: {code: $code, klarna: {authorization_token: $token}}}) {
    cart { selected_payment_method { code title } } }
}
"""
PLACE_ORDER = """
mutation PlaceOrder($cart: String!) {
  placeOrder(input: {cart_id: $cart}) {
    orderV2 { number status total { grand_total { value currency } } }
    errors { code message }
  }
}
"""
TRIVIAL = "{ __typename }"

# Operation names, in flow order (the browser's authorize is not among them).
OPERATIONS = (
    "createGuestCart",
    "addProductsToCart",
    "setGuestEmail+ShippingAddress",
    "setBillingAddressOnCart",
    "setShippingMethodsOnCart",
    "createKlarnaPaymentsSession",
    "cart{available_payment_methods}",
    "setPaymentMethodOnCart",
    "placeOrder",
)


class FlowError(Exception):
    pass


def _ok(operation: str, result: dict) -> dict:
    if not isinstance(result, dict) or result.get("errors") or not result.get("data"):
        raise FlowError(f"{operation}: {str(result)[:300]}")
    return result["data"]


def klarna_billing() -> dict:
    return {
        "billing_address": {
            "given_name": ADDRESS["firstname"],
            "family_name": ADDRESS["lastname"],
            "email": EMAIL,
            "street_address": ADDRESS["street"][0],
            "postal_code": ADDRESS["postcode"],
            "city": ADDRESS["city"],
            "country": "DE",
            "phone": ADDRESS["telephone"],
        }
    }


def run_checkout(post, authorize, skus: list[str], category: str = "pay_later") -> str:
    """One complete guest checkout; returns the order number. ``authorize(cart_id,
    client_token, category)`` returns Klarna's authorization token."""
    cart = _ok("createGuestCart", post("createGuestCart", CREATE_CART, {}))["createGuestCart"]["cart"]["id"]
    items = [{"sku": sku, "quantity": 1} for sku in skus]
    added = _ok("addProductsToCart", post("addProductsToCart", ADD_PRODUCTS, {"cart": cart, "items": items}))
    if added["addProductsToCart"]["user_errors"]:
        raise FlowError(f"addProductsToCart: {added['addProductsToCart']['user_errors']}")
    _ok(
        "setGuestEmail+ShippingAddress",
        post(
            "setGuestEmail+ShippingAddress",
            EMAIL_AND_SHIPPING,
            {"cart": cart, "email": EMAIL, "address": ADDRESS},
        ),
    )
    _ok("setBillingAddressOnCart", post("setBillingAddressOnCart", BILLING, {"cart": cart}))
    _ok("setShippingMethodsOnCart", post("setShippingMethodsOnCart", SHIPPING_METHOD, {"cart": cart}))
    session = _ok(
        "createKlarnaPaymentsSession", post("createKlarnaPaymentsSession", KLARNA_SESSION, {"cart": cart})
    )["createKlarnaPaymentsSession"]
    methods = _ok(
        "cart{available_payment_methods}",
        post("cart{available_payment_methods}", PAYMENT_METHODS, {"cart": cart}),
    )["cart"]["available_payment_methods"]
    code = f"klarna_{category}"
    if code not in [m["code"] for m in methods]:
        raise FlowError(f"{code} not offered: {methods}")
    token = authorize(cart, session["client_token"], category)
    _ok(
        "setPaymentMethodOnCart",
        post("setPaymentMethodOnCart", SET_PAYMENT, {"cart": cart, "code": code, "token": token}),
    )
    placed = _ok("placeOrder", post("placeOrder", PLACE_ORDER, {"cart": cart}))["placeOrder"]
    if placed.get("errors"):
        raise FlowError(f"placeOrder: {placed['errors']}")
    return placed["orderV2"]["number"]
