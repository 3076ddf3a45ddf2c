"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Customer/CreateEmptyCartTest.php
(one test per Magento test method, Magento's documents and expected messages)."""

from cart.models import Cart

QUERY = "mutation {\n  createEmptyCart\n}"
PREDEFINED = "572cda51902b5b517c0e1a2b2fd004b4"


def predefined_query(cart_id):
    return 'mutation {\n  createEmptyCart (input: {cart_id: "%s"})\n}' % cart_id


def test_create_empty_cart(gql, customer, customer_auth):
    response = gql.data(QUERY, **customer_auth)
    assert response["createEmptyCart"]
    cart = Cart.objects.get(masked_id=response["createEmptyCart"])
    assert cart.id is not None
    assert cart.customer_id == customer.pk
    assert cart.store_id is None  # Magento: the cart's store is 'default'


def test_create_empty_multiple_requests_cart(gql, customer_auth):
    response = gql.data(QUERY, **customer_auth)
    assert response["createEmptyCart"]
    masked_cart_id = response["createEmptyCart"]
    response = gql.data(QUERY, **customer_auth)
    assert response["createEmptyCart"]
    assert response["createEmptyCart"] == masked_cart_id


def test_create_empty_cart_with_not_default_store(gql, customer, customer_auth, second_store):
    response = gql.data(QUERY, HTTP_STORE="fixture_second_store", **customer_auth)
    assert response["createEmptyCart"]
    cart = Cart.objects.get(masked_id=response["createEmptyCart"])
    assert cart.id is not None
    assert cart.customer_id == customer.pk
    assert cart.store.code == "fixture_second_store"


def test_create_empty_cart_with_predefined_cart_id(gql, customer, customer_auth):
    response = gql.data(predefined_query(PREDEFINED), **customer_auth)
    assert response["createEmptyCart"] == PREDEFINED
    cart = Cart.objects.get(masked_id=response["createEmptyCart"])
    assert cart.id is not None
    assert cart.customer_id == customer.pk


def test_create_empty_cart_if_predefined_cart_id_already_exists(gql, customer_auth):
    gql.data(predefined_query(PREDEFINED), **customer_auth)
    error = gql.error(predefined_query(PREDEFINED), **customer_auth)
    assert error["message"] == 'Cart with ID "572cda51902b5b517c0e1a2b2fd004b4" already exists.'


def test_create_empty_cart_with_wrong_predefined_cart_id(gql, customer_auth):
    error = gql.error(predefined_query("572"), **customer_auth)
    assert error["message"] == "Cart ID length should to be 32 symbols."


# Not in Magento's file: the shop keeps one id per cart, so a customer who already has an
# active cart cannot give it a second one (Magento adds a second mask to the quote).
def test_predefined_cart_id_when_customer_already_has_a_cart(gql, customer_auth):
    existing = gql.data(QUERY, **customer_auth)["createEmptyCart"]
    error = gql.error(predefined_query(PREDEFINED), **customer_auth)
    assert error["message"] == "The customer already has an active cart: use `Query.customerCart` for its ID."
    assert not Cart.objects.filter(masked_id=PREDEFINED).exists()
    assert gql.data(QUERY, **customer_auth)["createEmptyCart"] == existing
