"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/SetShippingMethodsOnCartTest.php.

Magento's ``enable_offline_shipping_methods.php`` turns free shipping on; ours offers it from a
subtotal threshold, so "enabled" is a threshold of 0 and "disabled" one the cart never reaches.
Where 2.4's SDL made an input field required (``cart_id``, ``shipping_methods``,
``method_code``), the answer is the schema's, in webonyx's words, as Magento 2.4 gives."""

from decimal import Decimal

import pytest

from tests.magento.conftest import add_simple_product, set_flatrate, set_shipping_address


def query(masked_quote_id, method_code, carrier_code):
    return """
mutation {
  setShippingMethodsOnCart(input:
    {
      cart_id: "%s",
      shipping_methods: [{
        carrier_code: "%s"
        method_code: "%s"
      }]
    }) {
    cart {
      shipping_addresses {
        selected_shipping_method {
          carrier_code
          method_code
        }
      }
    }
  }
}""" % (masked_quote_id, carrier_code, method_code)


@pytest.fixture
def free_shipping_disabled(settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("1000000")


@pytest.fixture
def enable_offline_shipping_methods(settings):
    settings.SHIPPING_FREESHIPPING_THRESHOLD = Decimal("0")


@pytest.fixture
def cart_with_address(gql, simple_product, guest_cart):
    add_simple_product(gql, guest_cart)
    set_shipping_address(gql, guest_cart)
    return guest_cart


def test_set_shipping_method_on_cart_with_simple_product(gql, cart_with_address):
    response = gql.data(query(cart_with_address, "flatrate", "flatrate"))
    addresses = response["setShippingMethodsOnCart"]["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert addresses[0]["selected_shipping_method"]["carrier_code"] == "flatrate"
    assert addresses[0]["selected_shipping_method"]["method_code"] == "flatrate"


def test_set_shipping_method_on_cart_with_simple_product_and_without_address(gql, simple_product, guest_cart):
    # Magento adds a virtual product too; a simple product alone needs the address the same way.
    add_simple_product(gql, guest_cart)
    error = gql.error(query(guest_cart, "flatrate", "flatrate"))
    assert error["message"] == "The shipping address is missing. Set the address and try again."


def test_re_set_shipping_method(gql, enable_offline_shipping_methods, cart_with_address):
    set_flatrate(gql, cart_with_address)
    response = gql.data(query(cart_with_address, "freeshipping", "freeshipping"))
    addresses = response["setShippingMethodsOnCart"]["cart"]["shipping_addresses"]
    assert len(addresses) == 1
    assert addresses[0]["selected_shipping_method"]["carrier_code"] == "freeshipping"
    assert addresses[0]["selected_shipping_method"]["method_code"] == "freeshipping"


@pytest.mark.parametrize(
    "input, message",
    [
        (
            'shipping_methods: [{carrier_code: "flatrate" method_code: "flatrate"}]',
            "Field SetShippingMethodsOnCartInput.cart_id of required type String! was not provided.",
        ),
        (
            'cart_id: "cart_id_value"',
            "Field SetShippingMethodsOnCartInput.shipping_methods of required type [ShippingMethodInput]! "
            "was not provided.",
        ),
        ('cart_id: "cart_id_value" shipping_methods: []', 'Required parameter "shipping_methods" is missing'),
        (
            'cart_id: "cart_id_value", shipping_methods: [{method_code: "flatrate"}]',
            "Field ShippingMethodInput.carrier_code of required type String! was not provided.",
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "" method_code: "flatrate"}]',
            'Required parameter "carrier_code" is missing.',
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "wrong-carrier-code" method_code: "flatrate"}]',
            "Carrier with such method not found: wrong-carrier-code, flatrate",
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "flatrate"}]',
            "Field ShippingMethodInput.method_code of required type String! was not provided.",
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "flatrate" method_code: ""}]',
            'Required parameter "method_code" is missing.',
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "flatrate" method_code: "wrong-carrier-code"}]',
            "Carrier with such method not found: flatrate, wrong-carrier-code",
        ),
        (
            'cart_id: "non_existent_masked_id", shipping_methods: [{carrier_code: "flatrate" method_code: "flatrate"}]',
            'Could not find a cart with ID "non_existent_masked_id"',
        ),
        (
            'cart_id: "cart_id_value", shipping_methods: [{carrier_code: "freeshipping" method_code: "freeshipping"}]',
            "Carrier with such method not found: freeshipping, freeshipping",
        ),
    ],
    ids=[
        "missed_cart_id",
        "missed_shipping_methods",
        "shipping_methods_are_empty",
        "missed_carrier_code",
        "empty_carrier_code",
        "non_existent_carrier_code",
        "missed_method_code",
        "empty_method_code",
        "non_existent_method_code",
        "non_existent_shopping_cart",
        "disabled_shipping_method",
    ],
)
def test_set_shipping_method_with_wrong_parameters(
    gql, free_shipping_disabled, cart_with_address, input, message
):
    input = input.replace("cart_id_value", cart_with_address)
    error = gql.error(
        """
mutation {
  setShippingMethodsOnCart(input:  {
   %s
  }) {
    cart {
      shipping_addresses {
        selected_shipping_method {
          carrier_code
        }
      }
    }
  }
}"""
        % input
    )
    assert error["message"] == message


def test_set_multiple_shipping_methods(gql, enable_offline_shipping_methods, cart_with_address):
    error = gql.error(
        """
mutation {
  setShippingMethodsOnCart(input:  {
   cart_id: "%s",
   shipping_methods: [
        {
            carrier_code: "flatrate"
            method_code: "flatrate"
        }
        {
            carrier_code: "flatrate"
            method_code: "flatrate"
        }
   ]
  }) {
    cart {
      shipping_addresses {
        selected_shipping_method {
          carrier_code
        }
      }
    }
  }
}"""
        % cart_with_address
    )
    assert error["message"] == "You cannot specify multiple shipping methods."


def test_set_shipping_method_to_customer_cart(gql, simple_product, customer_cart, customer_auth):
    add_simple_product(gql, customer_cart, **customer_auth)
    set_shipping_address(gql, customer_cart, **customer_auth)
    error = gql.error(query(customer_cart, "flatrate", "flatrate"))
    assert error["message"] == f'The current user cannot perform operations on cart "{customer_cart}"'


def test_set_shipping_method_on_an_empty_cart(gql, guest_cart):
    set_shipping_address(gql, guest_cart)
    error = gql.error(query(guest_cart, "flatrate", "flatrate"))
    assert (
        error["message"]
        == "The shipping method can't be set for an empty cart. Add an item to cart and try again."
    )
