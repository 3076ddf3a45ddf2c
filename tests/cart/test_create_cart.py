"""createGuestCart, createEmptyCart and cart(cart_id): masked ids and the cart-lookup errors."""

import re

from cart.models import Cart

CREATE_GUEST = (
    "mutation($uid: ID) { createGuestCart(input: {cart_uid: $uid}) { cart { id total_quantity } } }"
)
CREATE_EMPTY = "mutation($id: String) { createEmptyCart(input: {cart_id: $id}) }"
CART = "query($id: String!) { cart(cart_id: $id) { id email total_quantity items { uid } } }"

UID = "a" * 16 + "B" * 8 + "0123456_"


def test_create_guest_cart_returns_random_32_character_ids(gql, db):
    ids = {
        gql.data("mutation { createGuestCart { cart { id } } }")["createGuestCart"]["cart"]["id"]
        for _ in range(5)
    }

    assert len(ids) == 5
    for cart_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", cart_id)
    assert Cart.objects.count() == 5


def test_create_guest_cart_returns_an_empty_cart(gql, db):
    data = gql.data("mutation { createGuestCart { cart { id email total_quantity items { uid } } } }")

    cart = data["createGuestCart"]["cart"]
    assert cart["email"] is None
    assert cart["total_quantity"] == 0
    assert cart["items"] == []


def test_create_guest_cart_with_client_uid_uses_it(gql, db):
    data = gql.data(CREATE_GUEST, {"uid": UID})

    assert data["createGuestCart"]["cart"] == {"id": UID, "total_quantity": 0}
    assert Cart.objects.get().masked_id == UID


def test_create_guest_cart_rejects_uid_of_wrong_length(gql, db):
    error = gql.error(CREATE_GUEST, {"uid": "short"})

    assert error["message"] == "Cart ID length should to be 32 symbols."
    assert error["extensions"] == {"category": "graphql-input"}
    assert error["path"] == ["createGuestCart"]
    assert not Cart.objects.exists()


def test_create_guest_cart_rejects_33_characters(gql, db):
    error = gql.error(CREATE_GUEST, {"uid": UID + "x"})

    assert error["message"] == "Cart ID length should to be 32 symbols."


def test_create_guest_cart_rejects_duplicate_uid(gql, db):
    gql.data(CREATE_GUEST, {"uid": UID})

    error = gql.error(CREATE_GUEST, {"uid": UID})

    assert error["message"] == f'Cart with ID "{UID}" already exists.'
    assert error["extensions"] == {"category": "graphql-already-exists"}
    assert Cart.objects.count() == 1


def test_create_empty_cart_without_input_returns_new_masked_id(gql, db):
    data = gql.data("mutation { cartId: createEmptyCart }")

    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", data["cartId"])
    assert Cart.objects.get().masked_id == data["cartId"]


def test_create_empty_cart_with_cart_id_uses_it(gql, db):
    data = gql.data(CREATE_EMPTY, {"id": UID})

    assert data == {"createEmptyCart": UID}


def test_create_empty_cart_rejects_wrong_length_and_duplicates(gql, db):
    assert gql.error(CREATE_EMPTY, {"id": "x" * 31})["message"] == "Cart ID length should to be 32 symbols."
    gql.data(CREATE_EMPTY, {"id": UID})

    error = gql.error(CREATE_EMPTY, {"id": UID})

    assert error["message"] == f'Cart with ID "{UID}" already exists.'
    assert error["extensions"]["category"] == "graphql-already-exists"


def test_create_empty_cart_is_deprecated_in_the_schema(gql, db):
    data = gql.data(
        '{ __type(name: "Mutation") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }'
    )

    fields = {f["name"]: f for f in data["__type"]["fields"]}
    assert fields["createEmptyCart"]["isDeprecated"] is True
    assert (
        fields["createEmptyCart"]["deprecationReason"]
        == "Use `Mutation.createGuestCart` or `Query.customerCart` for logged in customer"
    )
    assert fields["createGuestCart"]["isDeprecated"] is False


def test_cart_query_returns_the_cart(gql, carts):
    cart_id = carts.create()

    data = gql.data(CART, {"id": cart_id})

    assert data == {"cart": {"id": cart_id, "email": None, "total_quantity": 0.0, "items": []}}


def test_cart_query_with_unknown_id_is_no_such_entity(gql, db):
    error = gql.error(CART, {"id": "nope"})

    assert error["message"] == 'Could not find a cart with ID "nope"'
    assert error["extensions"] == {"category": "graphql-no-such-entity"}
    assert error["path"] == ["cart"]


def test_cart_query_with_inactive_cart_is_no_such_entity(gql, carts):
    cart_id = carts.create()
    Cart.objects.filter(masked_id=cart_id).update(is_active=False)

    error = gql.error(CART, {"id": cart_id})

    assert error["message"] == "The cart isn't active."
    assert error["extensions"] == {"category": "graphql-no-such-entity"}


def test_cart_query_with_empty_id_is_missing_parameter(gql, db):
    error = gql.error(CART, {"id": ""})

    assert error["message"] == 'Required parameter "cart_id" is missing'
    assert error["extensions"] == {"category": "graphql-input"}


def test_guest_cannot_use_a_customer_cart(gql, carts, django_user_model):
    cart_id = carts.create()
    owner = django_user_model.objects.create_user("owner", "owner@example.com", "pw")
    Cart.objects.filter(masked_id=cart_id).update(customer=owner)

    error = gql.error(CART, {"id": cart_id})

    assert error["message"] == f'The current user cannot perform operations on cart "{cart_id}"'
    assert error["extensions"] == {"category": "graphql-authorization"}


def test_every_cart_mutation_reports_an_unknown_cart(gql, db):
    documents = [
        'mutation { addProductsToCart(cartId: "x", cartItems: [{sku: "a", quantity: 1}]) { cart { id } } }',
        'mutation { addSimpleProductsToCart(input: {cart_id: "x", cart_items: [{data: {sku: "a", quantity: 1}}]})'
        " { cart { id } } }",
        'mutation { updateCartItems(input: {cart_id: "x", cart_items: [{cart_item_id: 1, quantity: 1}]})'
        " { cart { id } } }",
        'mutation { removeItemFromCart(input: {cart_id: "x", cart_item_id: 1}) { cart { id } } }',
        'mutation { applyCouponToCart(input: {cart_id: "x", coupon_code: "A"}) { cart { id } } }',
        'mutation { removeCouponFromCart(input: {cart_id: "x"}) { cart { id } } }',
        'mutation { setGuestEmailOnCart(input: {cart_id: "x", email: "a@example.com"}) { cart { id } } }',
        'mutation { setShippingAddressesOnCart(input: {cart_id: "x", shipping_addresses: [{address: {firstname: "a",'
        ' lastname: "b", street: ["c"], city: "d", country_code: "DE", telephone: "1"}}]}) { cart { id } } }',
        'mutation { setBillingAddressOnCart(input: {cart_id: "x", billing_address: {same_as_shipping: true}})'
        " { cart { id } } }",
        'mutation { setShippingMethodsOnCart(input: {cart_id: "x", shipping_methods: [{carrier_code: "flatrate",'
        ' method_code: "flatrate"}]}) { cart { id } } }',
        'mutation { setPaymentMethodOnCart(input: {cart_id: "x", payment_method: {code: "checkmo"}})'
        " { cart { id } } }",
    ]
    for document in documents:
        error = gql.error(document)
        assert error["message"] == 'Could not find a cart with ID "x"', document
        assert error["extensions"] == {"category": "graphql-no-such-entity"}, document


def test_inactive_customer_cart_reads_as_inactive_before_ownership(gql, carts, django_user_model):
    """Magento checks "active" before "yours": an ordered cart is gone for everyone."""
    cart_id = carts.create()
    owner = django_user_model.objects.create_user("owner", "owner@example.com", "pw")
    Cart.objects.filter(masked_id=cart_id).update(customer=owner, is_active=False)

    error = gql.error(CART, {"id": cart_id})

    assert error["message"] == "The cart isn't active."
    assert error["extensions"] == {"category": "graphql-no-such-entity"}
