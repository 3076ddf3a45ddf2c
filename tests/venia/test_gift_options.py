"""Gift options on the cart (Magento Open Source gift message, gift receipt, printed card):
set with ``setGiftOptionsOnCart`` (the variables Venia's cart page sends), read back with
Venia's own ``GetGiftOptions`` document, and copied to the order at placement."""

from checkout.models import Order
from tests.checkout_fixtures import ADDRESS
from tests.customers.conftest import CUSTOMER_READY

from .conftest import venia

# Venia's SetGiftOptionsOnCart with the cart selection cut to its GiftOptionsFragment: Venia's
# full document also spreads the cart page fragment, which needs ConfigurableProduct (issue 19).
SET_GIFT_OPTIONS = """
mutation SetGiftOptionsOnCart($cartId: String!, $giftMessage: GiftMessageInput,
    $giftReceiptIncluded: Boolean!, $printedCardIncluded: Boolean!) {
  setGiftOptionsOnCart(input: {cart_id: $cartId, gift_message: $giftMessage,
      gift_receipt_included: $giftReceiptIncluded, printed_card_included: $printedCardIncluded}) {
    cart { id gift_message { from to message } gift_receipt_included printed_card_included }
  }
}
"""
MESSAGE = {"to": "Erika", "from": "Max", "message": "Happy birthday!"}


def _set(gql, cart_id, message=MESSAGE, receipt=True, card=False):
    variables = {
        "cartId": cart_id,
        "giftMessage": message,
        "giftReceiptIncluded": receipt,
        "printedCardIncluded": card,
    }
    return gql.data(SET_GIFT_OPTIONS, variables)["setGiftOptionsOnCart"]["cart"]


def test_new_cart_has_no_gift_options(gql, db, new_cart):
    cart_id = new_cart()

    cart = gql.data(venia("GetGiftOptions"), {"cartId": cart_id})["cart"]

    assert cart == {
        "id": cart_id,
        "__typename": "Cart",
        "gift_message": None,
        "gift_receipt_included": False,
        "printed_card_included": False,
    }


def test_gift_options_are_stored_and_read_back_with_venias_query(gql, db, new_cart):
    cart_id = new_cart()

    written = _set(gql, cart_id)
    read = gql.data(venia("GetGiftOptions"), {"cartId": cart_id})["cart"]

    assert written == {
        "id": cart_id,
        "gift_message": {"from": "Max", "to": "Erika", "message": "Happy birthday!"},
        "gift_receipt_included": True,
        "printed_card_included": False,
    }
    assert read["gift_message"] == {**written["gift_message"], "__typename": "GiftMessage"}
    assert (read["gift_receipt_included"], read["printed_card_included"]) == (True, False)


def test_a_null_or_empty_message_removes_it(gql, db, new_cart):
    cart_id = new_cart()
    _set(gql, cart_id)

    without = _set(gql, cart_id, message=None, receipt=False, card=True)
    empty = _set(
        gql, cart_id, message={"to": "Erika", "from": "Max", "message": "  "}, receipt=False, card=True
    )

    for cart in (without, empty):
        assert (cart["gift_message"], cart["gift_receipt_included"], cart["printed_card_included"]) == (
            None,
            False,
            True,
        )


def test_gift_options_go_with_the_order(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    _set(gql, cart_id, card=True)

    number = gql.data(venia("placeOrder"), {"cartId": cart_id})["placeOrder"]["order"]["order_number"]

    order = Order.objects.get(number=number)
    assert (
        order.gift_message_to,
        order.gift_message_from,
        order.gift_message,
        order.gift_receipt_included,
        order.printed_card_included,
    ) == ("Erika", "Max", "Happy birthday!", True, True)


def test_customer_sees_the_gift_message_on_the_order(gql, product, tax_rates, anna, anna_auth):
    cart_id = gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]["id"]
    gql.data(CUSTOMER_READY, {"cart": cart_id, "sku": product.sku, "address": ADDRESS}, **anna_auth)
    gql.data(
        SET_GIFT_OPTIONS,
        {
            "cartId": cart_id,
            "giftMessage": MESSAGE,
            "giftReceiptIncluded": False,
            "printedCardIncluded": True,
        },
        **anna_auth,
    )
    gql.data(venia("placeOrder"), {"cartId": cart_id}, **anna_auth)

    orders = gql.data(
        "{ customer { orders { items { gift_message { to from message } gift_receipt_included "
        "printed_card_included } } } }",
        **anna_auth,
    )["customer"]["orders"]["items"]

    assert orders == [
        {
            "gift_message": {"to": "Erika", "from": "Max", "message": "Happy birthday!"},
            "gift_receipt_included": False,
            "printed_card_included": True,
        }
    ]


def test_set_gift_options_refuses_like_magento(gql, db):
    missing = gql.error(
        'mutation { setGiftOptionsOnCart(input: {cart_id: "", gift_receipt_included: false, '
        "printed_card_included: false}) { cart { id } } }"
    )
    unknown = gql.error(
        'mutation { setGiftOptionsOnCart(input: {cart_id: "nope", gift_receipt_included: false, '
        "printed_card_included: false}) { cart { id } } }"
    )

    assert (missing["message"], missing["extensions"]["category"]) == (
        'Required parameter "cart_id" is missing',
        "graphql-input",
    )
    assert (unknown["message"], unknown["extensions"]["category"]) == (
        'Could not find a cart with ID "nope"',
        "graphql-no-such-entity",
    )


def test_confirmation_page_shows_the_gift_options(gql, client, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    _set(gql, cart_id, message={**MESSAGE, "message": "Happy <b>birthday</b>!"}, card=True)
    number = gql.data(venia("placeOrder"), {"cartId": cart_id})["placeOrder"]["order"]["order_number"]
    session = client.session
    session["guest_cart_ids"] = [cart_id]
    session.save()

    page = client.get(f"/checkout/success/{number}/").content.decode()

    assert "<p>To: Erika</p>" in page
    assert "<p>Happy &lt;b&gt;birthday&lt;/b&gt;!</p>" in page
    assert "<p>From: Max</p>" in page
    assert "A gift receipt is included." in page
    assert "A printed card is included." in page


def test_confirmation_page_without_gift_options_has_no_gift_section(gql, client, ready_to_place_cart):
    cart_id = ready_to_place_cart()
    number = gql.data(venia("placeOrder"), {"cartId": cart_id})["placeOrder"]["order"]["order_number"]
    session = client.session
    session["guest_cart_ids"] = [cart_id]
    session.save()

    page = client.get(f"/checkout/success/{number}/").content.decode()

    assert f"data-order-number>{number}<" in page
    assert "data-gift-options" not in page


def test_cart_trigger_counts_with_venias_get_item_count(gql, db, new_cart, product, tax_rates):
    cart_id = new_cart()
    gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 3}]) { cart { id } } }',
        {"c": cart_id},
    )

    cart = gql.data(venia("getItemCount"), {"cartId": cart_id})["cart"]

    assert cart == {
        "id": cart_id,
        "total_quantity": 3.0,
        "total_summary_quantity_including_config": 3.0,
        "__typename": "Cart",
    }


def test_deprecated_product_price_with_venias_get_cart_details_after_checkout(
    gql, db, new_cart, product, tax_rates
):
    cart_id = new_cart()
    gql.data(
        'mutation($c: String!) { addProductsToCart(cartId: $c, cartItems: [{sku: "24-MB01", quantity: 1}]) { cart { id } } }',
        {"c": cart_id},
    )

    item = gql.data(venia("GetCartDetailsAfterCheckout"), {"cartId": cart_id})["cart"]["items"][0]

    assert item["product"]["price"] == {
        "regularPrice": {"amount": {"value": 19.99, "__typename": "Money"}, "__typename": "Price"},
        "__typename": "ProductPrices",
    }
