"""setShippingMethodsOnCart and setPaymentMethodOnCart."""

from decimal import Decimal

from django.test import override_settings

from .conftest import ADDRESS_DE, money

SHIPPING_METHODS = """
mutation($cartId: String!, $methods: [ShippingMethodInput]!) {
  setShippingMethodsOnCart(input: {cart_id: $cartId, shipping_methods: $methods}) {
    cart {
      shipping_addresses {
        selected_shipping_method { carrier_code method_code carrier_title method_title amount { currency value }
                                   price_excl_tax { value } price_incl_tax { value } }
      }
      prices { grand_total { value } }
      available_payment_methods { code title }
    }
  }
}"""

PAYMENT = """
mutation($cartId: String!, $code: String!) {
  setPaymentMethodOnCart(input: {cart_id: $cartId, payment_method: {code: $code}}) {
    cart { selected_payment_method { code title } }
  }
}"""

CHECKMO = {"code": "checkmo", "title": "Check / Money order"}
FREE = {"code": "free", "title": "No Payment Information Required"}


def set_methods(gql, cart_id, *pairs):
    return gql.post(
        SHIPPING_METHODS,
        {"cartId": cart_id, "methods": [{"carrier_code": c, "method_code": m} for c, m in pairs]},
    )


def cart_ready_to_ship(carts, sku="24-MB01", quantity=1, address=ADDRESS_DE):
    cart_id = carts.create()
    carts.add(cart_id, sku, quantity)
    carts.ship_to(cart_id, address)
    return cart_id


def only_error(result):
    assert len(result.get("errors", [])) == 1, result
    return result["errors"][0]


# --- shipping methods -----------------------------------------------------------------------------


def test_set_flatrate_shipping_method(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    result = set_methods(gql, cart_id, ("flatrate", "flatrate"))

    cart = result["data"]["setShippingMethodsOnCart"]["cart"]
    assert cart["shipping_addresses"] == [
        {
            "selected_shipping_method": {
                "carrier_code": "flatrate",
                "method_code": "flatrate",
                "carrier_title": "Flat Rate",
                "method_title": "Fixed",
                "amount": money(5.0),
                "price_excl_tax": {"value": 4.2},  # 5.00 - 5.00 * 19/119 (0.80)
                "price_incl_tax": {"value": 5.0},
            }
        }
    ]
    assert cart["prices"]["grand_total"] == {"value": 24.99}
    assert cart["available_payment_methods"] == [CHECKMO]


def test_free_shipping_is_refused_below_the_threshold(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    error = only_error(set_methods(gql, cart_id, ("freeshipping", "freeshipping")))

    assert error["message"] == "Carrier with such method not found: freeshipping, freeshipping"
    assert error["extensions"] == {"category": "graphql-input"}


def test_free_shipping_at_the_threshold(gql, carts, make_product, tax_rates):
    make_product(sku="HALF", price="50.00")
    cart_id = cart_ready_to_ship(carts, "HALF", 2)

    result = set_methods(gql, cart_id, ("freeshipping", "freeshipping"))

    cart = result["data"]["setShippingMethodsOnCart"]["cart"]
    assert cart["shipping_addresses"][0]["selected_shipping_method"]["amount"] == money(0.0)
    assert cart["prices"]["grand_total"] == {"value": 100.0}


@override_settings(SHIPPING_FREESHIPPING_THRESHOLD=Decimal("30.00"))
def test_free_shipping_threshold_is_configurable(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts, quantity=2)

    result = set_methods(gql, cart_id, ("freeshipping", "freeshipping"))

    assert "errors" not in result


def test_free_shipping_lapses_when_subtotal_falls_below_threshold(gql, carts, make_product, tax_rates):
    make_product(sku="HALF", price="50.00")
    cart_id = cart_ready_to_ship(carts, "HALF", 2)
    set_methods(gql, cart_id, ("freeshipping", "freeshipping"))
    uid = carts.cart(cart_id, "items { uid }")["items"][0]["uid"]

    data = gql.data(
        """mutation($c: String!, $u: ID) { updateCartItems(input: {cart_id: $c, cart_items: [{cart_item_uid: $u, quantity: 1}]})
           { cart { shipping_addresses { selected_shipping_method { carrier_code } available_shipping_methods { carrier_code } }
                    prices { grand_total { value } } } } }""",
        {"c": cart_id, "u": uid},
    )

    cart = data["updateCartItems"]["cart"]
    assert cart["shipping_addresses"] == [
        {"selected_shipping_method": None, "available_shipping_methods": [{"carrier_code": "flatrate"}]}
    ]
    assert cart["prices"]["grand_total"] == {"value": 50.0}


def test_shipping_method_on_empty_cart_is_refused(gql, carts, tax_rates):
    cart_id = carts.create()
    carts.ship_to(cart_id)

    error = only_error(set_methods(gql, cart_id, ("flatrate", "flatrate")))

    assert (
        error["message"]
        == "The shipping method can't be set for an empty cart. Add an item to cart and try again."
    )
    assert error["extensions"] == {"category": "graphql-input"}


def test_shipping_method_without_address_is_refused(gql, carts, product):
    cart_id = carts.create()
    carts.add(cart_id, "24-MB01")

    error = only_error(set_methods(gql, cart_id, ("flatrate", "flatrate")))

    assert error["message"] == "The shipping address is missing. Set the address and try again."


def test_unknown_carrier_is_refused(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    error = only_error(set_methods(gql, cart_id, ("x", "y")))

    assert error["message"] == "Carrier with such method not found: x, y"
    assert error["extensions"] == {"category": "graphql-input"}


def test_missing_carrier_or_method_code_is_refused(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    carrier = only_error(set_methods(gql, cart_id, ("", "flatrate")))
    method = only_error(set_methods(gql, cart_id, ("flatrate", "")))
    none = only_error(set_methods(gql, cart_id))

    assert carrier["message"] == 'Required parameter "carrier_code" is missing.'
    assert method["message"] == 'Required parameter "method_code" is missing.'
    assert none["message"] == 'Required parameter "shipping_methods" is missing'
    assert {carrier["extensions"]["category"], method["extensions"]["category"]} == {"graphql-input"}


def test_multiple_shipping_methods_are_refused(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    error = only_error(set_methods(gql, cart_id, ("flatrate", "flatrate"), ("flatrate", "flatrate")))

    assert error["message"] == "You cannot specify multiple shipping methods."


def test_shipping_method_survives_a_new_address(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)
    set_methods(gql, cart_id, ("flatrate", "flatrate"))

    carts.ship_to(cart_id, {**ADDRESS_DE, "city": "Köln", "postcode": "50667"})

    selected = carts.cart(cart_id, "shipping_addresses { selected_shipping_method { carrier_code } }")
    assert selected["shipping_addresses"] == [{"selected_shipping_method": {"carrier_code": "flatrate"}}]


# --- payment methods ------------------------------------------------------------------------------


def test_set_checkmo_payment_method(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    data = gql.data(PAYMENT, {"cartId": cart_id, "code": "checkmo"})

    assert data == {"setPaymentMethodOnCart": {"cart": {"selected_payment_method": CHECKMO}}}


def test_no_payment_method_selected_is_empty_code(gql, carts, product):
    cart_id = carts.create()

    assert carts.cart(cart_id, "selected_payment_method { code title }") == {
        "selected_payment_method": {"code": "", "title": ""}
    }


def test_free_payment_is_refused_for_a_non_zero_total(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    error = gql.error(PAYMENT, {"cartId": cart_id, "code": "free"})

    assert error["message"] == "The requested Payment Method is not available."
    assert error["extensions"] == {"category": "graphql-input"}


@override_settings(SHIPPING_FREESHIPPING_THRESHOLD=Decimal("0.00"))
def test_free_is_the_only_method_for_a_zero_total(gql, carts, make_product, make_coupon, tax_rates):
    make_product(sku="GIFT", price="100.00")
    make_coupon("ALL", "percent", "100")
    cart_id = cart_ready_to_ship(carts, "GIFT", 1)
    carts.apply_coupon(cart_id, "ALL")
    carts.ship_with(cart_id, "freeshipping", "freeshipping")

    assert carts.cart(
        cart_id, "prices { grand_total { value } } available_payment_methods { code title }"
    ) == {
        "prices": {"grand_total": {"value": 0.0}},
        "available_payment_methods": [FREE],
    }
    assert gql.error(PAYMENT, {"cartId": cart_id, "code": "checkmo"})["message"] == (
        "The requested Payment Method is not available."
    )
    assert gql.data(PAYMENT, {"cartId": cart_id, "code": "free"})["setPaymentMethodOnCart"]["cart"] == {
        "selected_payment_method": FREE
    }


def test_unknown_payment_method_is_not_available(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    error = gql.error(PAYMENT, {"cartId": cart_id, "code": "braintree"})

    assert error["message"] == "The requested Payment Method is not available."


def test_empty_payment_code_is_missing_parameter(gql, carts, product, tax_rates):
    cart_id = cart_ready_to_ship(carts)

    error = gql.error(PAYMENT, {"cartId": cart_id, "code": ""})

    assert error["message"] == 'Required parameter "code" for "payment_method" is missing.'
    assert error["extensions"] == {"category": "graphql-input"}


def test_payment_method_without_cart_id_has_trailing_period(gql, db):
    error = gql.error(PAYMENT, {"cartId": "", "code": "checkmo"})

    assert error["message"] == 'Required parameter "cart_id" is missing.'


def test_payment_method_without_shipping_address_is_refused(gql, carts, product):
    cart_id = carts.create()
    carts.add(cart_id, "24-MB01")

    error = gql.error(PAYMENT, {"cartId": cart_id, "code": "checkmo"})

    assert error["message"] == "The shipping address is missing. Set the address and try again."
    assert error["extensions"] == {"category": "graphql-input"}
