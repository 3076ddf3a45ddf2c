"""addProductsToCart, addSimpleProductsToCart, updateCartItems and removeItemFromCart."""

import pytest

from cart.models import CartItem
from shop.graphql.ids import encode_uid

from .conftest import ADD

ADD_SIMPLE = """
mutation($cartId: String!, $items: [SimpleProductCartItemInput]!) {
  addSimpleProductsToCart(input: {cart_id: $cartId, cart_items: $items}) {
    cart { items { quantity product { sku } } }
  }
}"""

UPDATE = """
mutation($cartId: String!, $items: [CartItemUpdateInput]!) {
  updateCartItems(input: {cart_id: $cartId, cart_items: $items}) {
    cart { total_quantity items { uid quantity product { sku } } }
    errors { __typename code message }
  }
}"""

REMOVE = """
mutation($cartId: String!, $id: Int, $uid: ID) {
  removeItemFromCart(input: {cart_id: $cartId, cart_item_id: $id, cart_item_uid: $uid}) {
    cart { total_quantity items { uid quantity } }
  }
}"""


def add(gql, cart_id, *items):
    return gql.data(ADD, {"cartId": cart_id, "items": [{"sku": s, "quantity": q} for s, q in items]})[
        "addProductsToCart"
    ]


# --- addProductsToCart ------------------------------------------------------------------------------


def test_add_products_creates_a_line(gql, carts, product):
    cart_id = carts.create()

    result = add(gql, cart_id, ("24-MB01", 2))

    assert result["user_errors"] == []
    [line] = result["cart"]["items"]
    assert line["quantity"] == 2.0
    assert line["product"] == {"sku": "24-MB01"}
    assert line["uid"] == encode_uid(CartItem.objects.get().pk)


def test_add_same_product_twice_merges_into_one_line(gql, carts, product):
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 2))

    result = add(gql, cart_id, ("24-MB01", 3), ("24-MB01", 1))

    assert result["user_errors"] == []
    assert [(i["product"]["sku"], i["quantity"]) for i in result["cart"]["items"]] == [("24-MB01", 6.0)]
    assert CartItem.objects.count() == 1


def test_add_unknown_sku_is_product_not_found_user_error(gql, carts, product):
    cart_id = carts.create()

    result = add(gql, cart_id, ("NOPE", 1))

    assert result["cart"]["items"] == []
    assert result["user_errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "PRODUCT_NOT_FOUND",
            "message": 'Could not find a product with SKU "NOPE"',
        }
    ]


def test_add_out_of_stock_product_is_not_salable(gql, carts, make_product):
    make_product(sku="EMPTY", stock=0)
    make_product(sku="OFF", stock=5, is_active=False)
    cart_id = carts.create()

    result = add(gql, cart_id, ("EMPTY", 1), ("OFF", 1))

    message = "Product that you are trying to add is not available."
    assert result["user_errors"] == [
        {"__typename": "CartUserInputError", "code": "NOT_SALABLE", "message": message},
        {"__typename": "CartUserInputError", "code": "NOT_SALABLE", "message": message},
    ]
    assert result["cart"]["items"] == []


def test_add_more_than_stock_is_insufficient_stock_with_quantity(gql, carts, product):
    cart_id = carts.create()

    result = add(gql, cart_id, ("24-MB01", 11))

    assert result["user_errors"] == [
        {
            "__typename": "InsufficientStockError",
            "code": "INSUFFICIENT_STOCK",
            "message": "The requested qty is not available",
            "quantity": 10.0,
        }
    ]
    assert result["cart"]["items"] == []


def test_add_counts_the_quantity_already_in_the_cart_against_stock(gql, carts, product):
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 8))

    result = add(gql, cart_id, ("24-MB01", 3))

    assert result["user_errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert result["cart"]["items"][0]["quantity"] == 8.0


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "The product quantity should be greater than 0"),
        (-2, "The product quantity should be greater than 0"),
        (1.5, "You cannot use decimal quantity for this product."),
    ],
)
def test_add_invalid_quantity_is_invalid_parameter_value(gql, carts, product, quantity, message):
    cart_id = carts.create()

    result = add(gql, cart_id, ("24-MB01", quantity))

    assert result["user_errors"] == [
        {"__typename": "CartUserInputError", "code": "INVALID_PARAMETER_VALUE", "message": message}
    ]
    assert result["cart"]["items"] == []


def test_add_reports_bad_items_and_still_adds_good_ones(gql, carts, product, make_product):
    make_product(sku="OTHER", price="5.00")
    cart_id = carts.create()

    result = add(gql, cart_id, ("NOPE", 1), ("24-MB01", 2), ("24-MB01", 0), ("OTHER", 1))

    assert [(i["product"]["sku"], i["quantity"]) for i in result["cart"]["items"]] == [
        ("24-MB01", 2.0),
        ("OTHER", 1.0),
    ]
    assert [e["code"] for e in result["user_errors"]] == ["PRODUCT_NOT_FOUND", "INVALID_PARAMETER_VALUE"]


def test_add_products_float_quantity_whole_number_is_accepted(gql, carts, product):
    cart_id = carts.create()

    result = add(gql, cart_id, ("24-MB01", 2.0))

    assert result["user_errors"] == []
    assert result["cart"]["items"][0]["quantity"] == 2.0


# --- addSimpleProductsToCart (legacy) -------------------------------------------------------------


def test_add_simple_products_adds_lines(gql, carts, product):
    cart_id = carts.create()

    data = gql.data(ADD_SIMPLE, {"cartId": cart_id, "items": [{"data": {"sku": "24-MB01", "quantity": 2}}]})

    assert data["addSimpleProductsToCart"]["cart"]["items"] == [
        {"quantity": 2.0, "product": {"sku": "24-MB01"}}
    ]


def test_add_simple_products_over_stock_is_a_top_level_error(gql, carts, product):
    cart_id = carts.create()

    result = gql.post(
        ADD_SIMPLE, {"cartId": cart_id, "items": [{"data": {"sku": "24-MB01", "quantity": 99}}]}
    )

    assert result["data"] == {"addSimpleProductsToCart": None}
    [error] = result["errors"]
    # Magento's AddSimpleProductToCartTest::testAddOutOfStockSimpleProductToCart: the legacy
    # mutation names the product it could not add.
    assert error["message"] == (
        "Could not add the product with SKU 24-MB01 to the shopping cart: The requested qty is not available"
    )
    assert error["extensions"] == {"category": "graphql-input"}


def test_add_simple_products_failure_adds_nothing(gql, carts, product, make_product):
    """Bug fixed: the valid items used to be committed before the legacy mutation failed."""
    make_product(sku="OTHER")
    cart_id = carts.create()

    gql.error(
        ADD_SIMPLE,
        {
            "cartId": cart_id,
            "items": [
                {"data": {"sku": "OTHER", "quantity": 1}},
                {"data": {"sku": "24-MB01", "quantity": 99}},
            ],
        },
    )

    assert not CartItem.objects.exists()


# --- updateCartItems ------------------------------------------------------------------------------


def test_update_cart_items_by_id_sets_quantity(gql, carts, product):
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 1))
    item = CartItem.objects.get()

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_id": item.pk, "quantity": 4}]})[
        "updateCartItems"
    ]

    assert result["errors"] == []
    assert result["cart"]["items"] == [
        {"uid": encode_uid(item.pk), "quantity": 4.0, "product": {"sku": "24-MB01"}}
    ]
    assert result["cart"]["total_quantity"] == 4.0


def test_update_cart_items_by_uid_sets_quantity(gql, carts, product):
    cart_id = carts.create()
    uid = add(gql, cart_id, ("24-MB01", 1))["cart"]["items"][0]["uid"]

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_uid": uid, "quantity": 3}]})[
        "updateCartItems"
    ]

    assert result["cart"]["items"][0]["quantity"] == 3.0


def test_update_cart_items_quantity_zero_removes_the_line(gql, carts, product, make_product):
    make_product(sku="OTHER")
    cart_id = carts.create()
    items = add(gql, cart_id, ("24-MB01", 1), ("OTHER", 2))["cart"]["items"]

    result = gql.data(
        UPDATE, {"cartId": cart_id, "items": [{"cart_item_uid": items[0]["uid"], "quantity": 0}]}
    )

    assert result["updateCartItems"]["cart"]["items"] == [
        {"uid": items[1]["uid"], "quantity": 2.0, "product": {"sku": "OTHER"}}
    ]
    assert result["updateCartItems"]["errors"] == []


def test_update_cart_items_unknown_id_is_reported_in_errors(gql, carts, product):
    """Magento 2.4.7 (UpdateCartItemsTest::testUpdateNonExistentItem): in ``errors``, not a
    GraphQL error, and with a full stop."""
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 1))

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_id": 999999, "quantity": 1}]})

    assert result["updateCartItems"]["errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "COULD_NOT_FIND_CART_ITEM",
            "message": "Could not find cart item with id: 999999.",
        }
    ]


def test_update_cart_items_cannot_touch_another_carts_item(gql, carts, product):
    other = carts.create()
    add(gql, other, ("24-MB01", 1))
    foreign = CartItem.objects.get()
    cart_id = carts.create()

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_id": foreign.pk, "quantity": 5}]})

    assert (
        result["updateCartItems"]["errors"][0]["message"]
        == f"Could not find cart item with id: {foreign.pk}."
    )
    assert CartItem.objects.get().quantity == 1


def test_update_cart_items_over_stock_is_reported_in_errors(gql, carts, product):
    """Bug fixed: a stock error carrying a quantity broke the ``errors`` list with a GraphQL error."""
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 1))
    item = CartItem.objects.get()

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_id": item.pk, "quantity": 50}]})

    assert result["updateCartItems"]["errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "INSUFFICIENT_STOCK",
            "message": "The requested qty is not available",
        }
    ]
    assert result["updateCartItems"]["cart"]["items"][0]["quantity"] == 1.0


def test_update_cart_items_negative_quantity_is_reported_in_errors(gql, carts, product):
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 2))
    item = CartItem.objects.get()

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_id": item.pk, "quantity": -1}]})

    assert result["updateCartItems"]["errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "INVALID_PARAMETER_VALUE",
            "message": "The product quantity should be greater than 0",
        }
    ]
    assert result["updateCartItems"]["cart"]["items"][0]["quantity"] == 2.0


def test_update_cart_items_without_quantity_is_missing_parameter(gql, carts, product):
    cart_id = carts.create()
    add(gql, cart_id, ("24-MB01", 2))
    item = CartItem.objects.get()

    result = gql.data(UPDATE, {"cartId": cart_id, "items": [{"cart_item_id": item.pk}]})

    # Magento 2.4.7 UpdateCartItemsTest::testUpdateWithMissedItemRequiredParameters: in ``errors``.
    assert result["updateCartItems"]["errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "REQUIRED_PARAMETER_MISSING",
            "message": 'Required parameter "quantity" for "cart_items" is missing.',
        }
    ]
    assert result["updateCartItems"]["cart"]["items"][0]["quantity"] == 2.0


def test_update_cart_items_with_empty_list_is_missing_parameter(gql, carts):
    cart_id = carts.create()

    error = gql.error(UPDATE, {"cartId": cart_id, "items": []})

    assert error["message"] == 'Required parameter "cart_items" is missing.'


# --- removeItemFromCart ---------------------------------------------------------------------------


def test_remove_item_by_id_and_by_uid(gql, carts, product, make_product):
    make_product(sku="OTHER")
    cart_id = carts.create()
    items = add(gql, cart_id, ("24-MB01", 1), ("OTHER", 2))["cart"]["items"]
    first = CartItem.objects.get(product__sku="24-MB01")

    after_id = gql.data(REMOVE, {"cartId": cart_id, "id": first.pk})["removeItemFromCart"]["cart"]
    after_uid = gql.data(REMOVE, {"cartId": cart_id, "uid": items[1]["uid"]})["removeItemFromCart"]["cart"]

    assert after_id == {"total_quantity": 2.0, "items": [{"uid": items[1]["uid"], "quantity": 2.0}]}
    assert after_uid == {"total_quantity": 0.0, "items": []}


def test_remove_unknown_item_fails(gql, carts, product):
    cart_id = carts.create()

    error = gql.error(REMOVE, {"cartId": cart_id, "id": 4242})

    assert error["message"] == "Cart doesn't contain the 4242 item."
    assert error["extensions"] == {"category": "graphql-no-such-entity"}


def test_remove_item_without_id_is_missing_parameter(gql, carts):
    cart_id = carts.create()

    error = gql.error(REMOVE, {"cartId": cart_id})

    assert error["message"] == 'Required parameter "cart_item_id" is missing.'
    assert error["extensions"] == {"category": "graphql-input"}


def test_add_checks_quantity_before_the_product_like_magento(gql, carts, db):
    cart_id = carts.create()

    result = add(gql, cart_id, ("NOPE", 0))

    assert result["user_errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "INVALID_PARAMETER_VALUE",
            "message": "The product quantity should be greater than 0",
        }
    ]


def test_add_products_with_empty_cart_id_or_items_names_magentos_arguments(gql, carts):
    cart_id = carts.create()

    no_id = gql.error(ADD, {"cartId": "", "items": [{"sku": "A", "quantity": 1}]})
    no_items = gql.error(ADD, {"cartId": cart_id, "items": []})

    assert no_id["message"] == 'Required parameter "cartId" is missing'
    assert no_items["message"] == 'Required parameter "cartItems" is missing'
    assert no_id["extensions"] == no_items["extensions"] == {"category": "graphql-input"}
