"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Quote/Guest/CreateGuestCartTest.php."""

from cart.models import Cart

QUERY = "mutation {\n  createGuestCart {\n    cart {\n      id\n    }\n  }\n}"


def query_with_cart_id(predefined_cart_id):
    return (
        'mutation {\n  createGuestCart (input: {cart_uid: "%s"}) {\n    cart {\n      id\n    }\n  }\n}'
        % predefined_cart_id
    )


def test_successful_create_guest_cart(gql):
    response = gql.data(QUERY)
    cart_id = response["createGuestCart"]["cart"]["id"]
    assert cart_id
    guest_cart = Cart.objects.get(masked_id=cart_id)
    assert guest_cart.customer_id is None  # customer_is_guest
    assert guest_cart.store_id is None  # the default store


def test_successful_with_not_default_store(gql, second_store):
    response = gql.data(QUERY, HTTP_STORE=second_store.code)
    cart_id = response["createGuestCart"]["cart"]["id"]
    assert cart_id
    guest_cart = Cart.objects.get(masked_id=cart_id)
    assert guest_cart.customer_id is None
    assert guest_cart.store.code == "fixture_second_store"


def test_successful_with_predefined_cart_id(gql):
    predefined = "572cda51902b5b517c0e1a2b2fd004b4"
    response = gql.data(query_with_cart_id(predefined))
    assert response["createGuestCart"]["cart"]["id"] == predefined


def test_fail_if_predefined_cart_id_already_exists(gql):
    predefined = "572cda51902b5b517c0e1a2b2fd004b4"
    gql.data(query_with_cart_id(predefined))
    error = gql.error(query_with_cart_id(predefined))
    assert error["message"] == 'Cart with ID "572cda51902b5b517c0e1a2b2fd004b4" already exists.'


def test_fail_with_wrong_predefined_cart_id(gql):
    error = gql.error(query_with_cart_id("1234567890"))
    assert error["message"] == "Cart ID length should to be 32 symbols."
    assert not Cart.objects.exists()
