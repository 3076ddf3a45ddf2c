"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/CreateEmptyCartTest.php
(one test per Magento test method, Magento's documents and expected messages)."""

from cart.models import Cart

QUERY = "mutation { createEmptyCart }"
PREDEFINED = "572cda51902b5b517c0e1a2b2fd004b4"


def predefined_query(cart_id):
    return 'mutation { createEmptyCart (input: {cart_id: "%s"}) }' % cart_id


def test_create_empty_cart(gql):
    response = gql.data(QUERY)
    assert response["createEmptyCart"]
    guest_cart = Cart.objects.get(masked_id=response["createEmptyCart"])
    assert guest_cart.id is not None
    assert guest_cart.customer_id is None  # customer_is_guest


def test_create_empty_cart_with_not_default_store(gql, second_store):
    response = gql.data(QUERY, HTTP_STORE="fixture_second_store")
    assert response["createEmptyCart"]
    guest_cart = Cart.objects.get(masked_id=response["createEmptyCart"])
    assert guest_cart.id is not None
    assert guest_cart.customer_id is None
    assert guest_cart.store.code == "fixture_second_store"


def test_create_empty_cart_with_predefined_cart_id(gql, customer):
    response = gql.data(predefined_query(PREDEFINED))
    assert response["createEmptyCart"] == PREDEFINED
    guest_cart = Cart.objects.get(masked_id=response["createEmptyCart"])
    assert guest_cart.id is not None
    assert guest_cart.customer_id is None


def test_create_empty_cart_if_predefined_cart_id_already_exists(gql, customer):
    gql.data(predefined_query(PREDEFINED))
    error = gql.error(predefined_query(PREDEFINED))
    assert error["message"] == 'Cart with ID "572cda51902b5b517c0e1a2b2fd004b4" already exists.'


def test_create_empty_cart_with_wrong_predefined_cart_id(gql, customer):
    error = gql.error(predefined_query("572"))
    assert error["message"] == "Cart ID length should to be 32 symbols."
