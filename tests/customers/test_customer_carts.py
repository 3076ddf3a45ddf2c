"""customerCart, mergeCarts, assignCustomerToGuestCart, the address book at checkout, the
customer's orders, Klarna for customers and the storefront's sign-in merge."""

from cart.addresses import validate_address
from cart.fetch import load_cart_info
from cart.models import Cart
from cart.totals import compute_totals
from payments_klarna.order_lines import build_payload, market_for
from shop import customers
from shop.models import CustomerAddress
from tests.checkout_fixtures import ADDRESS

from .conftest import PASSWORD, bearer

ADD = """mutation($c: String!, $sku: String!, $q: Float!) {
  addProductsToCart(cartId: $c, cartItems: [{sku: $sku, quantity: $q}]) { cart { id } user_errors { code } } }"""
MERGE = """mutation($s: String!, $d: String) {
  mergeCarts(source_cart_id: $s, destination_cart_id: $d) { id email items { quantity product { sku } } } }"""
ASSIGN = "mutation($c: String!) { assignCustomerToGuestCart(cart_id: $c) { id email items { quantity } } }"
SHIP = """mutation($c: String!, $a: CartAddressInput!) {
  setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) { cart { id } } }"""
SHIP_FROM_BOOK = """mutation($c: String!, $id: Int!) {
  setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{customer_address_id: $id}]}) {
    cart { shipping_addresses { firstname city } } } }"""
BOOK = "{ customer { default_shipping default_billing addresses { id firstname street default_shipping default_billing } } }"


def _error(gql, document, variables=None, **headers):
    error = gql.error(document, variables, **headers)
    return error["message"], error["extensions"]["category"]


def test_customer_cart_is_created_once_and_carries_the_account_email(gql, anna_auth):
    first = gql.data("{ customerCart { id email } }", **anna_auth)["customerCart"]
    again = gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]
    legacy = gql.data("mutation { createEmptyCart }", **anna_auth)["createEmptyCart"]
    assert first["id"] == again["id"] == legacy
    assert first["email"] == "anna@example.com"


def test_merge_carts_sums_quantities_and_retires_the_guest_cart(gql, anna_auth, new_cart, make_product):
    bag, mug = make_product(sku="BAG"), make_product(sku="MUG")
    mine = gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]["id"]
    gql.data(ADD, {"c": mine, "sku": "BAG", "q": 1}, **anna_auth)
    guest = new_cart()
    gql.data(ADD, {"c": guest, "sku": "BAG", "q": 2})
    gql.data(ADD, {"c": guest, "sku": "MUG", "q": 1})

    merged = gql.data(MERGE, {"s": guest, "d": mine}, **anna_auth)["mergeCarts"]

    assert merged["id"] == mine
    assert {i["product"]["sku"]: i["quantity"] for i in merged["items"]} == {"BAG": 3, "MUG": 1}
    assert _error(gql, "query($c: String!) { cart(cart_id: $c) { id } }", {"c": guest}) == (
        "The cart isn't active.",
        "graphql-no-such-entity",
    )
    assert bag and mug


def test_merge_carts_without_destination_uses_the_customer_cart(gql, anna_auth, new_cart, product):
    guest = new_cart()
    gql.data(ADD, {"c": guest, "sku": product.sku, "q": 2})
    merged = gql.data(MERGE, {"s": guest}, **anna_auth)["mergeCarts"]
    assert merged["id"] == gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]["id"]
    assert merged["email"] == "anna@example.com"
    assert [i["quantity"] for i in merged["items"]] == [2]


def test_merge_carts_caps_quantities_at_the_stock(gql, anna_auth, new_cart, make_product):
    make_product(sku="RARE", stock=3)
    mine = gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]["id"]
    gql.data(ADD, {"c": mine, "sku": "RARE", "q": 2}, **anna_auth)
    guest = new_cart()
    gql.data(ADD, {"c": guest, "sku": "RARE", "q": 2})
    merged = gql.data(MERGE, {"s": guest, "d": mine}, **anna_auth)["mergeCarts"]
    assert [i["quantity"] for i in merged["items"]] == [3]


def test_merge_carts_needs_a_source(gql, anna_auth):
    assert _error(gql, MERGE, {"s": ""}, **anna_auth) == (
        'Required parameter "source_cart_id" is missing',
        "graphql-input",
    )


def test_assign_customer_to_guest_cart_takes_it_over_and_absorbs_the_old_cart(
    gql, anna_auth, new_cart, product
):
    old = gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]["id"]
    gql.data(ADD, {"c": old, "sku": product.sku, "q": 1}, **anna_auth)
    guest = new_cart()
    gql.data(ADD, {"c": guest, "sku": product.sku, "q": 2})

    cart = gql.data(ASSIGN, {"c": guest}, **anna_auth)["assignCustomerToGuestCart"]

    assert cart == {"id": guest, "email": "anna@example.com", "items": [{"quantity": 3}]}
    assert gql.data("{ customerCart { id } }", **anna_auth)["customerCart"]["id"] == guest
    assert not Cart.objects.get(masked_id=old).is_active
    assert _error(gql, "query($c: String!) { cart(cart_id: $c) { id } }", {"c": guest})[0] == (
        f'The current user cannot perform operations on cart "{guest}"'
    )


def test_typed_addresses_go_to_the_address_book_when_the_order_is_placed_once_and_first_is_default(
    gql, anna, anna_auth, ready_customer_cart
):
    def place(cart):
        gql.data(
            "mutation($c: String!) { placeOrder(input: {cart_id: $c}) { orderV2 { number } } }",
            {"c": cart},
            **anna_auth,
        )

    first = ready_customer_cart(anna_auth)  # shipping and billing: ADDRESS, typed in
    assert CustomerAddress.objects.filter(user=anna).count() == 0  # Magento: saved at placeOrder
    place(first)
    second = ready_customer_cart(anna_auth)
    gql.data(
        SHIP, {"c": second, "a": {**ADDRESS, "firstname": "Max", "save_in_address_book": False}}, **anna_auth
    )
    place(second)  # its billing address is ADDRESS again: not duplicated
    third = ready_customer_cart(anna_auth)
    gql.data(
        SHIP, {"c": third, "a": {**ADDRESS, "firstname": "Zoe", "save_in_address_book": True}}, **anna_auth
    )
    place(third)

    book = gql.data(BOOK, **anna_auth)["customer"]
    assert [(a["firstname"], a["default_shipping"], a["default_billing"]) for a in book["addresses"]] == [
        ("Erika", True, True),
        ("Zoe", False, False),
    ]
    assert book["default_shipping"] == book["default_billing"] == str(book["addresses"][0]["id"])


def test_guests_have_no_address_book(gql, new_cart, tax_rates):
    gql.data(SHIP, {"c": new_cart(), "a": {**ADDRESS, "save_in_address_book": True}})
    assert CustomerAddress.objects.count() == 0


def test_customer_address_id_uses_the_customers_own_address_only(
    gql, anna, anna_auth, ben, token_of, customer_cart_id, tax_rates
):
    cart = customer_cart_id(anna_auth)
    address_id = customers.save_address(anna, validate_address({**ADDRESS, "city": "Bonn"})).pk
    data = gql.data(SHIP_FROM_BOOK, {"c": cart, "id": address_id}, **anna_auth)
    assert data["setShippingAddressesOnCart"]["cart"]["shipping_addresses"] == [
        {"firstname": "Erika", "city": "Bonn"}
    ]

    ben_auth = bearer(token_of(ben))
    ben_cart = customer_cart_id(ben_auth)
    assert _error(gql, SHIP_FROM_BOOK, {"c": ben_cart, "id": address_id}, **ben_auth) == (
        f'Current customer does not have permission to address with ID "{address_id}"',
        "graphql-authorization",
    )
    assert _error(gql, SHIP_FROM_BOOK, {"c": ben_cart, "id": 99999}, **ben_auth) == (
        'Could not find a address with ID "99999"',
        "graphql-no-such-entity",
    )


def test_billing_from_the_address_book(gql, anna, anna_auth, customer_cart_id, tax_rates):
    cart = customer_cart_id(anna_auth)
    address_id = customers.save_address(anna, validate_address(ADDRESS)).pk
    data = gql.data(
        """mutation($c: String!, $id: Int!) { setBillingAddressOnCart(input: {cart_id: $c,
           billing_address: {customer_address_id: $id}}) { cart { billing_address { firstname postcode } } } }""",
        {"c": cart, "id": address_id},
        **anna_auth,
    )
    assert data["setBillingAddressOnCart"]["cart"]["billing_address"] == {
        "firstname": "Erika",
        "postcode": "51147",
    }


def test_customer_orders_are_listed_newest_first_with_paging_and_number_filter(
    gql, anna_auth, ready_customer_cart
):
    placed = []
    for _ in range(3):
        cart = ready_customer_cart(anna_auth)
        result = gql.data(
            "mutation($c: String!) { placeOrder(input: {cart_id: $c}) { orderV2 { number } } }",
            {"c": cart},
            **anna_auth,
        )
        placed.append(result["placeOrder"]["orderV2"]["number"])
    query = """query($p: Int, $s: Int, $f: CustomerOrdersFilterInput) { customer { orders(currentPage: $p, pageSize: $s, filter: $f) {
        total_count page_info { current_page page_size total_pages }
        items { number status order_date total { grand_total { value currency } } items { product_sku quantity_ordered } } } } }"""
    page = gql.data(query, {"p": 2, "s": 2}, **anna_auth)["customer"]["orders"]
    assert page["total_count"] == 3
    assert page["page_info"] == {"current_page": 2, "page_size": 2, "total_pages": 2}
    assert [o["number"] for o in page["items"]] == [placed[0]]
    assert page["items"][0]["total"]["grand_total"] == {"value": 44.98, "currency": "EUR"}
    assert page["items"][0]["items"] == [{"product_sku": "24-MB01", "quantity_ordered": 2.0}]
    one = gql.data(query, {"f": {"number": {"eq": placed[1]}}}, **anna_auth)["customer"]["orders"]
    assert [o["number"] for o in one["items"]] == [placed[1]]


def test_another_customers_orders_are_not_listed(gql, anna_auth, ben, token_of, ready_customer_cart):
    cart = ready_customer_cart(anna_auth)
    gql.data(
        "mutation($c: String!) { placeOrder(input: {cart_id: $c}) { errors { code } } }",
        {"c": cart},
        **anna_auth,
    )
    orders = gql.data("{ customer { orders { total_count items { number } } } }", **bearer(token_of(ben)))
    assert orders == {"customer": {"orders": {"total_count": 0, "items": []}}}


def test_klarna_gets_the_account_email_for_a_customer_cart(gql, anna_auth, ready_customer_cart):
    cart = Cart.objects.get(masked_id=ready_customer_cart(anna_auth))
    info = load_cart_info(cart)
    totals = compute_totals(info)
    payload = build_payload(info, totals, market_for(info))
    assert payload["billing_address"]["email"] == "anna@example.com"
    assert payload["shipping_address"]["email"] == "anna@example.com"


def test_storefront_sign_in_merges_the_session_guest_cart(client, anna, product, tax_rates):
    cart_id = client.post("/cart/session/").json()["cart_id"]
    client.post("/cart/add/", {"sku": product.sku, "quantity": "2"})
    response = client.post("/account/sign-in/", {"email": "anna@example.com", "password": PASSWORD})
    assert response.status_code == 302
    mine = Cart.objects.get(customer=anna, is_active=True)
    assert [i.quantity for i in mine.items.all()] == [2]
    assert not Cart.objects.get(masked_id=cart_id).is_active
    page = client.get("/cart/")
    assert mine.masked_id in page.content.decode()
    assert 'name="customer-token"' in page.content.decode()


def test_storefront_sign_in_shows_magentos_message_and_is_csrf_protected(anna):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post("/account/sign-in/", {"email": "anna@example.com", "password": PASSWORD}).status_code
        == 403
    )
    page = Client().post("/account/sign-in/", {"email": "anna@example.com", "password": "nope"})
    assert "The account sign-in was incorrect" in page.content.decode()


def test_staff_session_is_not_a_storefront_customer(client, db):
    from django.contrib.auth.models import User

    staff = User.objects.create_user("boss", "boss@example.com", "Staff-pass-123", is_staff=True)
    client.force_login(staff)
    page = client.get("/")
    assert 'name="customer-token"' not in page.content.decode()
    assert client.get("/account/orders/").status_code == 404
