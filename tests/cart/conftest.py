"""Cart fixtures: guest carts made through the API, addresses, coupons, and the cart selection
Venia (PWA Studio) asks for."""

from decimal import Decimal

import pytest

from cart.models import Coupon

# Every Cart field Venia selects (reference §5), with items, itemsV2, prices, addresses,
# methods and coupons: the selection the query budgets are measured with.
CART_FIELDS = """
    id email is_virtual total_quantity
    items {
        __typename uid id quantity
        product { __typename uid sku name url_key stock_status only_x_left_in_stock thumbnail { url }
                  price_range { minimum_price { final_price { currency value } } } }
        prices {
            price { currency value } price_including_tax { currency value }
            row_total { currency value } row_total_including_tax { currency value }
            total_item_discount { currency value }
            discounts { amount { currency value } label }
        }
    }
    itemsV2 {
        total_count page_info { current_page page_size total_pages }
        items { uid quantity product { uid sku name }
                prices { price { currency value } row_total { currency value }
                         discounts { amount { currency value } label applied_to } } }
    }
    prices {
        grand_total { currency value } grand_total_excluding_tax { currency value }
        subtotal_including_tax { currency value } subtotal_excluding_tax { currency value }
        subtotal_with_discount_excluding_tax { currency value }
        applied_taxes { amount { currency value } label }
        discounts { amount { currency value } label applied_to coupon { code } }
    }
    shipping_addresses {
        uid firstname lastname company street city postcode telephone
        region { code label region_id } country { code label }
        available_shipping_methods { amount { currency value } available carrier_code carrier_title
                                     method_code method_title price_excl_tax { value }
                                     price_incl_tax { value } }
        selected_shipping_method { amount { currency value } carrier_code carrier_title method_code
                                   method_title }
    }
    billing_address { firstname lastname street city postcode telephone
                      region { code label region_id } country { code label } }
    available_payment_methods { code title is_deferred }
    selected_payment_method { code title }
    applied_coupons { code }
"""


def cart_query(fields: str) -> str:
    return "query($cartId: String!) { cart(cart_id: $cartId) { " + fields + " } }"


CART_QUERY = cart_query(CART_FIELDS)

ADDRESS_DE = {
    "firstname": "Erika",
    "lastname": "Mustermann",
    "street": ["Hauptstraße 1"],
    "city": "Berlin",
    "postcode": "10115",
    "country_code": "DE",
    "telephone": "+49301234567",
}

ADDRESS_US_CA = {
    "firstname": "Jane",
    "lastname": "Doe",
    "street": ["1 Market St", "Suite 2"],
    "city": "San Francisco",
    "region": "CA",
    "postcode": "94105",
    "country_code": "US",
    "telephone": "4155550100",
}

CREATE_CART = "mutation { createGuestCart { cart { id } } }"

ADD = """
mutation($cartId: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $cartId, cartItems: $items) {
    cart { items { uid quantity product { sku } } }
    user_errors { __typename code message ... on InsufficientStockError { quantity } }
  }
}"""

SET_SHIPPING_ADDRESS = """
mutation($cartId: String!, $address: CartAddressInput!) {
  setShippingAddressesOnCart(input: {cart_id: $cartId, shipping_addresses: [{address: $address}]}) {
    cart { shipping_addresses { country { code } } }
  }
}"""

SET_SHIPPING_METHOD = """
mutation($cartId: String!, $carrier: String!, $method: String!) {
  setShippingMethodsOnCart(input: {cart_id: $cartId,
                                   shipping_methods: [{carrier_code: $carrier, method_code: $method}]}) {
    cart { shipping_addresses { selected_shipping_method { carrier_code method_code } } }
  }
}"""

APPLY_COUPON = """
mutation($cartId: String!, $code: String!) {
  applyCouponToCart(input: {cart_id: $cartId, coupon_code: $code}) { cart { applied_coupons { code } } }
}"""


class CartDriver:
    """Builds a guest cart through the GraphQL API, as a client would."""

    def __init__(self, gql):
        self.gql = gql

    def create(self) -> str:
        return self.gql.data(CREATE_CART)["createGuestCart"]["cart"]["id"]

    def add(self, cart_id: str, sku: str, quantity: float = 1) -> dict:
        return self.gql.data(ADD, {"cartId": cart_id, "items": [{"sku": sku, "quantity": quantity}]})[
            "addProductsToCart"
        ]

    def ship_to(self, cart_id: str, address: dict = ADDRESS_DE) -> None:
        self.gql.data(SET_SHIPPING_ADDRESS, {"cartId": cart_id, "address": address})

    def ship_with(self, cart_id: str, carrier: str = "flatrate", method: str = "flatrate") -> None:
        self.gql.data(SET_SHIPPING_METHOD, {"cartId": cart_id, "carrier": carrier, "method": method})

    def apply_coupon(self, cart_id: str, code: str) -> None:
        self.gql.data(APPLY_COUPON, {"cartId": cart_id, "code": code})

    def cart(self, cart_id: str, fields: str = CART_FIELDS) -> dict:
        return self.gql.data(cart_query(fields), {"cartId": cart_id})["cart"]


@pytest.fixture
def carts(gql, db) -> CartDriver:
    return CartDriver(gql)


@pytest.fixture
def make_coupon(db):
    def make(code="SAVE10", discount_type="percent", value="10", **extra):
        return Coupon.objects.create(code=code, discount_type=discount_type, value=Decimal(value), **extra)

    return make


def money(value, currency="EUR"):
    return {"currency": currency, "value": value}
