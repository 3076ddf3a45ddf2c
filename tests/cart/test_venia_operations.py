"""The Venia (PWA Studio) checkout operations of reference §5, sent as Venia sends them, answered
with real data. The cart: 2 × "Joust Duffle Bag" at 19.99 (VAT 19 % included) shipped to Berlin
with flat rate 5.00.

    row 39.98: VAT 39.98 × 19/119 = 6.3834 -> 6.38, net 33.60; unit net 19.99 - 3.19 = 16.80
    shipping 5.00: VAT 0.7983 -> 0.80, net 4.20
    grand total 44.98, taxes 7.18, grand total excluding tax 37.80
"""

from shop.graphql.ids import encode_uid

from .conftest import ADDRESS_DE, money

SET_GUEST_SHIPPING = """
mutation SetGuestShipping($cartId: String!, $email: String!, $address: CartAddressInput!) {
  setGuestEmailOnCart(input: {cart_id: $cartId, email: $email}) {
    cart { id }
  }
  setShippingAddressesOnCart(input: {cart_id: $cartId, shipping_addresses: [{address: $address}]}) {
    cart {
      id
      ...ShippingInformationFragment
      ...ShippingMethodsCheckoutFragment
      ...PriceSummaryFragment
      ...AvailablePaymentMethodsFragment
    }
  }
}
fragment ShippingInformationFragment on Cart {
  id email
  shipping_addresses { city country { code label } firstname lastname postcode region { code label region_id } street telephone }
}
fragment ShippingMethodsCheckoutFragment on Cart {
  id
  shipping_addresses {
    available_shipping_methods { amount { currency value } available carrier_code carrier_title method_code method_title }
    selected_shipping_method { amount { currency value } carrier_code method_code method_title }
    street
  }
}
fragment PriceSummaryFragment on Cart {
  id
  items { id quantity }
  shipping_addresses { selected_shipping_method { amount { currency value } } street }
  prices {
    applied_taxes { amount { currency value } }
    discounts { amount { currency value } label }
    grand_total { currency value }
    subtotal_excluding_tax { currency value }
  }
  ...GiftCardSummaryFragment
}
fragment GiftCardSummaryFragment on Cart { id __typename }
fragment AvailablePaymentMethodsFragment on Cart { id available_payment_methods { code title } }
"""

GET_SHIPPING_METHODS = """
query getSelectedAndAvailableShippingMethods($cartId: String!) {
  cart(cart_id: $cartId) {
    id
    ...AvailableShippingMethodsCheckoutFragment
    ...SelectedShippingMethodCheckoutFragment
  }
}
fragment AvailableShippingMethodsCheckoutFragment on Cart {
  id
  shipping_addresses {
    available_shipping_methods { amount { currency value } available carrier_code carrier_title method_code method_title }
    street
  }
}
fragment SelectedShippingMethodCheckoutFragment on Cart {
  id
  shipping_addresses { selected_shipping_method { amount { currency value } carrier_code method_code method_title } street }
}
"""

SET_SHIPPING_METHOD = """
mutation SetShippingMethod($cartId: String!, $shippingMethod: ShippingMethodInput!) {
  setShippingMethodsOnCart(input: {cart_id: $cartId, shipping_methods: [$shippingMethod]}) {
    cart {
      id
      available_payment_methods { code title }
      shipping_addresses { selected_shipping_method { carrier_code method_code } }
      prices { grand_total { currency value } }
    }
  }
}
"""

PRICE_SUMMARY = """
query getPriceSummary($cartId: String!) { cart(cart_id: $cartId) { id ...PriceSummaryFragment } }
fragment PriceSummaryFragment on Cart {
  id
  items { id quantity }
  shipping_addresses { selected_shipping_method { amount { currency value } } street }
  prices {
    applied_taxes { amount { currency value } }
    discounts { amount { currency value } label }
    grand_total { currency value }
    subtotal_excluding_tax { currency value }
  }
}
"""

ORDER_DETAILS = """
query getOrderDetails($cartId: String!) {
  cart(cart_id: $cartId) { id ...OrderConfirmationPageFragment }
}
fragment OrderConfirmationPageFragment on Cart {
  id email total_quantity
  shipping_addresses {
    firstname lastname street city region { label } postcode country { label }
    selected_shipping_method { carrier_title method_title }
  }
  ...ItemsReviewFragment
}
fragment ItemsReviewFragment on Cart {
  total_quantity
  items {
    uid
    product { uid sku name thumbnail { url } }
    prices { price { currency value } row_total { value } total_item_discount { value } }
    quantity
    ... on ConfigurableCartItem { configurable_options { id option_label value_id value_label } }
  }
}
"""

SET_BILLING = """
mutation setBillingAddress($cartId: String!, $firstname: String!, $lastname: String!, $street1: String!,
    $street2: String, $city: String!, $region: String!, $postcode: String!, $country: String!, $phoneNumber: String!) {
  setBillingAddressOnCart(input: {cart_id: $cartId, billing_address: {address: {
      firstname: $firstname, lastname: $lastname, street: [$street1, $street2], city: $city, region: $region,
      postcode: $postcode, country_code: $country, telephone: $phoneNumber, save_in_address_book: false}}}) {
    cart { id billing_address { firstname lastname country { code } street city region { code label region_id } postcode telephone } }
  }
}
"""

SET_CHECKMO = """
mutation setPaymentMethodOnCart($cartId: String!) {
  setPaymentMethodOnCart(input: {cart_id: $cartId, payment_method: {code: "checkmo"}}) {
    cart { id selected_payment_method { code title } }
  }
}
"""

ADD_PRODUCT = """
mutation AddProductToCart($cartId: String!, $product: CartItemInput!) {
  addProductsToCart(cartId: $cartId, cartItems: [$product]) {
    cart { id total_quantity items { uid quantity } }
    user_errors { code message }
  }
}
"""

FLAT = {
    "amount": money(5.0),
    "available": True,
    "carrier_code": "flatrate",
    "carrier_title": "Flat Rate",
    "method_code": "flatrate",
    "method_title": "Fixed",
}


def venia_cart(gql, carts):
    cart_id = gql.data("mutation createCart { cartId: createEmptyCart }")["cartId"]
    data = gql.data(ADD_PRODUCT, {"cartId": cart_id, "product": {"sku": "24-MB01", "quantity": 2}})
    assert data["addProductsToCart"]["user_errors"] == []
    return cart_id


def test_set_guest_shipping_runs_both_root_fields(gql, carts, product, tax_rates):
    cart_id = venia_cart(gql, carts)

    data = gql.data(
        SET_GUEST_SHIPPING, {"cartId": cart_id, "email": "erika@example.com", "address": ADDRESS_DE}
    )

    assert data["setGuestEmailOnCart"] == {"cart": {"id": cart_id}}
    item_id = data["setShippingAddressesOnCart"]["cart"]["items"][0]["id"]
    assert data["setShippingAddressesOnCart"]["cart"] == {
        "id": cart_id,
        "email": "erika@example.com",
        "shipping_addresses": [
            {
                "city": "Berlin",
                "country": {"code": "DE", "label": "Germany"},
                "firstname": "Erika",
                "lastname": "Mustermann",
                "postcode": "10115",
                "region": {"code": None, "label": None, "region_id": None},
                "street": ["Hauptstraße 1"],
                "telephone": "+49301234567",
                "available_shipping_methods": [FLAT],
                "selected_shipping_method": None,
            }
        ],
        "items": [{"id": item_id, "quantity": 2.0}],
        "prices": {
            "applied_taxes": [{"amount": money(6.38)}],
            "discounts": [],
            "grand_total": money(39.98),
            "subtotal_excluding_tax": money(33.6),
        },
        "__typename": "Cart",
        "available_payment_methods": [{"code": "checkmo", "title": "Check / Money order"}],
    }


def test_get_selected_and_available_shipping_methods(gql, carts, product, tax_rates):
    cart_id = venia_cart(gql, carts)
    carts.ship_to(cart_id)

    before = gql.data(GET_SHIPPING_METHODS, {"cartId": cart_id})
    chosen = gql.data(
        SET_SHIPPING_METHOD,
        {"cartId": cart_id, "shippingMethod": {"carrier_code": "flatrate", "method_code": "flatrate"}},
    )
    after = gql.data(GET_SHIPPING_METHODS, {"cartId": cart_id})

    assert before["cart"] == {
        "id": cart_id,
        "shipping_addresses": [
            {
                "available_shipping_methods": [FLAT],
                "street": ["Hauptstraße 1"],
                "selected_shipping_method": None,
            }
        ],
    }
    assert chosen["setShippingMethodsOnCart"]["cart"] == {
        "id": cart_id,
        "available_payment_methods": [{"code": "checkmo", "title": "Check / Money order"}],
        "shipping_addresses": [
            {"selected_shipping_method": {"carrier_code": "flatrate", "method_code": "flatrate"}}
        ],
        "prices": {"grand_total": money(44.98)},
    }
    assert after["cart"]["shipping_addresses"][0]["selected_shipping_method"] == {
        "amount": money(5.0),
        "carrier_code": "flatrate",
        "method_code": "flatrate",
        "method_title": "Fixed",
    }


def test_price_summary_fragment(gql, carts, product, tax_rates, make_coupon):
    make_coupon("WELCOME10", label="Welcome")
    cart_id = venia_cart(gql, carts)
    carts.ship_to(cart_id)
    carts.ship_with(cart_id)
    carts.apply_coupon(cart_id, "WELCOME10")

    cart = gql.data(PRICE_SUMMARY, {"cartId": cart_id})["cart"]

    # Discount 10 % of 39.98 = 4.00; items 35.98: VAT 5.7448 -> 5.74; shipping VAT 0.80.
    assert cart["prices"] == {
        "applied_taxes": [{"amount": money(6.54)}],
        "discounts": [{"amount": money(4.0), "label": "Welcome"}],
        "grand_total": money(40.98),
        "subtotal_excluding_tax": money(33.6),
    }
    assert cart["shipping_addresses"] == [
        {"selected_shipping_method": {"amount": money(5.0)}, "street": ["Hauptstraße 1"]}
    ]


def test_get_order_details_selection(gql, carts, product, tax_rates):
    cart_id = venia_cart(gql, carts)
    gql.data(SET_GUEST_SHIPPING, {"cartId": cart_id, "email": "erika@example.com", "address": ADDRESS_DE})
    carts.ship_with(cart_id)

    cart = gql.data(ORDER_DETAILS, {"cartId": cart_id})["cart"]

    uid = cart["items"][0]["uid"]
    assert cart == {
        "id": cart_id,
        "email": "erika@example.com",
        "total_quantity": 2.0,
        "shipping_addresses": [
            {
                "firstname": "Erika",
                "lastname": "Mustermann",
                "street": ["Hauptstraße 1"],
                "city": "Berlin",
                "region": {"label": None},
                "postcode": "10115",
                "country": {"label": "Germany"},
                "selected_shipping_method": {"carrier_title": "Flat Rate", "method_title": "Fixed"},
            }
        ],
        "items": [
            {
                "uid": uid,
                "product": {
                    "uid": encode_uid(product.pk),
                    "sku": "24-MB01",
                    "name": "Joust Duffle Bag",
                    "thumbnail": {"url": None},
                },
                "prices": {
                    "price": money(16.8),
                    "row_total": {"value": 33.6},
                    "total_item_discount": {"value": 0.0},
                },
                "quantity": 2.0,
            }
        ],
    }


def test_venia_billing_and_checkmo(gql, carts, product, tax_rates):
    cart_id = venia_cart(gql, carts)
    carts.ship_to(cart_id)
    variables = {
        "cartId": cart_id,
        "firstname": "Erika",
        "lastname": "Mustermann",
        "street1": "Hauptstraße 1",
        "street2": "",
        "city": "Berlin",
        "region": "BE",
        "postcode": "10115",
        "country": "DE",
        "phoneNumber": "+49301234567",
    }

    billing = gql.data(SET_BILLING, variables)["setBillingAddressOnCart"]["cart"]["billing_address"]
    payment = gql.data(SET_CHECKMO, {"cartId": cart_id})["setPaymentMethodOnCart"]["cart"]

    assert billing["street"] == ["Hauptstraße 1"]
    assert billing["region"]["code"] == "BE"
    assert billing["region"]["label"] == "Berlin"
    assert payment == {
        "id": cart_id,
        "selected_payment_method": {"code": "checkmo", "title": "Check / Money order"},
    }
