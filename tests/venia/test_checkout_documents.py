"""Venia's checkout documents, taken from the extracted fixture rather than copied by hand,
answered with exact data. The cart: 2 × "Joust Duffle Bag" at 19.99 (VAT 19 % included) to
Köln, flat rate 5.00, check / money order.

    row 39.98: VAT 6.38, net 33.60; unit net 16.80; grand total 44.98
"""

from shop.graphql.ids import encode_uid

from .conftest import venia


def _money(value, currency="EUR"):
    return {"currency": currency, "value": value, "__typename": "Money"}


def test_order_confirmation_details_with_venias_get_order_details(gql, ready_to_place_cart, product):
    cart_id = ready_to_place_cart()

    cart = gql.data(venia("getOrderDetails"), {"cartId": cart_id})["cart"]

    item_uid = cart["items"][0]["uid"]
    assert cart == {
        "id": cart_id,
        "email": "erika@example.com",
        "total_quantity": 2.0,
        "shipping_addresses": [
            {
                "firstname": "Erika",
                "lastname": "Mustermann",
                "street": ["Heidestraße 17"],
                "city": "Köln",
                "region": {"label": None, "__typename": "CartAddressRegion"},
                "postcode": "51147",
                "country": {"label": "Germany", "__typename": "CartAddressCountry"},
                "selected_shipping_method": {
                    "amount": {"value": 5.0, "currency": "EUR", "__typename": "Money"},
                    "carrier_title": "Flat Rate",
                    "method_title": "Fixed",
                    "__typename": "SelectedShippingMethod",
                },
                "__typename": "ShippingCartAddress",
            }
        ],
        "selected_payment_method": {
            "purchase_order_number": None,
            "title": "Check / Money order",
            "__typename": "SelectedPaymentMethod",
        },
        "prices": {
            "grand_total": {"value": 44.98, "currency": "EUR", "__typename": "Money"},
            "discounts": [],
            "__typename": "CartPrices",
        },
        "items": [
            {
                "uid": item_uid,
                "product": {
                    "uid": encode_uid(product.pk),
                    "sku": "24-MB01",
                    "name": "Joust Duffle Bag",
                    "thumbnail": {"url": None, "__typename": "ProductImage"},
                    "__typename": "SimpleProduct",
                },
                "prices": {
                    "price": _money(16.8),
                    "row_total": {"value": 33.6, "__typename": "Money"},
                    "total_item_discount": {"value": 0.0, "__typename": "Money"},
                    "__typename": "CartItemPrices",
                },
                "quantity": 2.0,
                "__typename": "SimpleCartItem",
            }
        ],
        "__typename": "Cart",
    }


def test_place_order_and_next_cart_with_venias_documents(gql, ready_to_place_cart):
    cart_id = ready_to_place_cart()

    placed = gql.data(venia("placeOrder"), {"cartId": cart_id})
    next_cart = gql.data(venia("createCart", "CheckoutPage/checkoutPage.gql.js"))

    assert placed["placeOrder"]["order"]["order_number"].isdigit()
    assert len(next_cart["cartId"]) == 32 and next_cart["cartId"] != cart_id
