"""Hostile input through /graphql: oversized strings and quantities, NaN/Infinity and huge
numbers, odd bodies, unicode, SQL and HTML injection. Every answer is a clean GraphQL error
(never a 500 or a traceback); nothing longer than a column is stored; injected strings are
stored verbatim and rendered escaped on the storefront and in the admin.
"""

import json

import pytest
from django.contrib.auth.models import User

from cart.addresses import validate_address
from cart.models import Cart, CartAddress, CartItem, Coupon
from checkout.models import Order
from payments_klarna.models import KlarnaSession
from shop import customers
from tests.checkout_fixtures import ADDRESS, CREATE_SESSION, PLACE_ORDER

pytestmark = pytest.mark.django_db

BIG = "x" * 10_000
PREFIX = "x" * 20 + "…"  # how Magento-style messages quote an oversized value

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
RAW_IMG = "<img src=x onerror=alert(1)>"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"
SCRIPT_EMAIL = f'"{SCRIPT}"@example.com'  # a quoted local part: a valid address
SQL_1 = "' OR 1=1 --"
SQL_2 = "Robert'); DROP TABLE cart_cart;--"

SET_EMAIL = "mutation($c: String!, $e: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: $e}) { cart { email } } }"
SET_SHIPPING = """
mutation($c: String!, $a: CartAddressInput!, $notes: String) {
  setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a, customer_notes: $notes}]}) {
    cart { shipping_addresses { firstname lastname company street city region { label } postcode telephone } }
  }
}
"""
SET_BILLING = "mutation($c: String!, $a: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $c, billing_address: {address: $a}}) { cart { id } } }"
ADD = """
mutation($c: String!, $sku: String!, $q: Float!) {
  addProductsToCart(cartId: $c, cartItems: [{sku: $sku, quantity: $q}]) {
    cart { items { quantity } } user_errors { __typename code message }
  }
}
"""
UPDATE = """
mutation($c: String!, $id: Int!, $q: Float!) {
  updateCartItems(input: {cart_id: $c, cart_items: [{cart_item_id: $id, quantity: $q}]}) {
    cart { items { quantity } } errors { code message }
  }
}
"""
APPLY_COUPON = "mutation($c: String!, $k: String!) { applyCouponToCart(input: {cart_id: $c, coupon_code: $k}) { cart { id } } }"
CREATE_CUSTOMER = """
mutation($e: String!, $f: String!, $l: String!) {
  createCustomer(input: {email: $e, firstname: $f, lastname: $l, password: "Correct-Horse-42"}) { customer { email } }
}
"""
SHIPPING_METHOD = 'mutation($c: String!) { setShippingMethodsOnCart(input: {cart_id: $c, shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } } }'
SAME_BILLING = "mutation($c: String!) { setBillingAddressOnCart(input: {cart_id: $c, billing_address: {same_as_shipping: true}}) { cart { id } } }"
CHECKMO = 'mutation($c: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "checkmo"}}) { cart { id } } }'


def raw_post(client, body: str | bytes, **extra):
    """POST raw bytes; assert the answer is clean JSON (no 500, no traceback) and return it."""
    response = client.post("/graphql", body, content_type="application/json", **extra)
    text = response.content.decode()
    assert response.status_code in (200, 400, 413), (response.status_code, text[:500])
    assert "Traceback" not in text and 'File "' not in text, text[:500]
    return response.status_code, json.loads(text)


def only_error(result: dict) -> dict:
    assert len(result.get("errors", [])) == 1, result
    error = result["errors"][0]
    assert error["message"] != "Internal server error", result
    return error


def field_error(field: str, value: str = BIG) -> dict:
    return {
        "message": f'Invalid value of "{value[:20]}…" provided for the {field} field.',
        "category": "graphql-input",
    }


def brief(error: dict) -> dict:
    return {"message": error["message"], "category": error["extensions"]["category"]}


# --- oversized strings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("firstname", BIG),
        ("lastname", BIG),
        ("company", BIG),
        ("city", BIG),
        ("street", [BIG]),
        ("postcode", BIG),
        ("postcode", "1" * 33),  # the column holds 32
        ("telephone", BIG),
        ("telephone", "1" * 65),  # the column holds 64
        ("region", BIG),  # free text where regions are optional (DE)
    ],
)
def test_oversized_address_field_is_refused_and_nothing_is_stored(gql, new_cart, tax_rates, field, value):
    cart_id = new_cart()

    error = only_error(gql.post(SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, field: value}}))

    text = value[0] if isinstance(value, list) else value
    assert brief(error) == field_error(field, text)
    assert not CartAddress.objects.exists()


def test_address_fields_at_their_column_width_are_stored(gql, new_cart, tax_rates):
    cart_id = new_cart()
    address = {
        **ADDRESS,
        "firstname": "F" * 255,
        "street": ["S" * 255],
        "postcode": "1" * 32,
        "telephone": "2" * 64,
    }

    stored = gql.data(SET_SHIPPING, {"c": cart_id, "a": address})

    shipping = stored["setShippingAddressesOnCart"]["cart"]["shipping_addresses"][0]
    assert (shipping["firstname"], shipping["street"], shipping["postcode"], shipping["telephone"]) == (
        "F" * 255,
        ["S" * 255],
        "1" * 32,
        "2" * 64,
    )


def test_oversized_billing_address_is_refused(gql, new_cart, tax_rates):
    cart_id = new_cart()

    error = only_error(gql.post(SET_BILLING, {"c": cart_id, "a": {**ADDRESS, "city": BIG}}))

    assert brief(error) == field_error("city")
    assert not CartAddress.objects.exists()


def test_customer_notes_longer_than_their_column_are_refused(gql, new_cart, tax_rates):
    cart_id = new_cart()

    error = only_error(gql.post(SET_SHIPPING, {"c": cart_id, "a": ADDRESS, "notes": "n" * 1025}))

    assert brief(error) == field_error("customer_notes", "n" * 1025)
    assert not CartAddress.objects.exists()


@pytest.mark.parametrize("email", [BIG + "@example.com", "a" * 300 + "@example.com"])
def test_oversized_guest_email_is_an_invalid_format(gql, new_cart, email):
    # Django's validator accepts up to 320 characters; the column holds 254.
    cart_id = new_cart()

    error = only_error(gql.post(SET_EMAIL, {"c": cart_id, "e": email}))

    assert brief(error) == {"message": "Invalid email format", "category": "graphql-input"}
    assert Cart.objects.get(masked_id=cart_id).email == ""


def test_oversized_coupon_code_is_not_a_valid_coupon(gql, new_cart, product):
    cart_id = new_cart()
    gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": 1})

    error = only_error(gql.post(APPLY_COUPON, {"c": cart_id, "k": BIG}))

    assert brief(error) == {
        "message": "The coupon code isn't valid. Verify the code and try again.",
        "category": "graphql-no-such-entity",
    }
    assert Cart.objects.get(masked_id=cart_id).coupon_id is None


def test_oversized_sku_is_a_product_not_found_user_error(gql, new_cart, product):
    cart_id = new_cart()

    result = gql.data(ADD, {"c": cart_id, "sku": BIG, "q": 1})["addProductsToCart"]

    assert result["user_errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "PRODUCT_NOT_FOUND",
            "message": f'Could not find a product with SKU "{BIG}"',
        }
    ]
    assert result["cart"]["items"] == []


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("firstname", field_error("firstname")),
        ("lastname", field_error("lastname")),
        ("email", {"message": '"Email" is not a valid email address.', "category": "graphql-input"}),
    ],
)
def test_oversized_customer_fields_are_refused(gql, db, field, expected):
    values = {"e": "anna@example.com", "f": "Anna", "l": "Muster"}
    values[{"firstname": "f", "lastname": "l", "email": "e"}[field]] = (
        BIG + "@example.com" if field == "email" else "F" * 151  # User's name columns hold 150
    )
    if field != "email":
        expected = field_error(field, "F" * 151)

    error = only_error(gql.post(CREATE_CUSTOMER, values))

    assert brief(error) == expected
    assert not User.objects.exists()


# --- quantities ------------------------------------------------------------------------------------

NOT_POSITIVE = ("INVALID_PARAMETER_VALUE", "The product quantity should be greater than 0")
DECIMAL = ("INVALID_PARAMETER_VALUE", "You cannot use decimal quantity for this product.")
TOO_MANY = ("INSUFFICIENT_STOCK", "The most you may purchase is 10000.")


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(1e9, TOO_MANY), (-1, NOT_POSITIVE), (0, NOT_POSITIVE), (1.5, DECIMAL), (1e308, TOO_MANY)],
)
def test_odd_quantities_in_add_products_are_user_errors(gql, new_cart, product, quantity, expected):
    cart_id = new_cart()

    result = gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": quantity})["addProductsToCart"]

    assert [(e["code"], e["message"]) for e in result["user_errors"]] == [expected]
    assert result["cart"]["items"] == [] and not CartItem.objects.exists()


def test_a_float_literal_beyond_double_range_is_too_large_not_a_crash(gql, new_cart, product):
    # 1e400 in the document parses as infinity, which int() cannot take (was "Internal server error").
    cart_id = new_cart()
    query = f'mutation {{ addProductsToCart(cartId: "{cart_id}", cartItems: [{{sku: "{product.sku}", quantity: 1e400}}]) {{ user_errors {{ code message }} }} }}'

    result = gql.data(query)["addProductsToCart"]

    assert [(e["code"], e["message"]) for e in result["user_errors"]] == [TOO_MANY]
    assert not CartItem.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(1e9, TOO_MANY), (-1, NOT_POSITIVE), (1.5, DECIMAL), (1e308, TOO_MANY)],
)
def test_odd_quantities_in_update_cart_items_are_errors_and_leave_the_line(
    gql, new_cart, product, quantity, expected
):
    cart_id = new_cart()
    gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": 2})
    item = CartItem.objects.get()

    result = gql.data(UPDATE, {"c": cart_id, "id": item.pk, "q": quantity})["updateCartItems"]

    assert [(e["code"], e["message"]) for e in result["errors"]] == [expected]
    assert result["cart"]["items"] == [{"quantity": 2.0}]
    assert CartItem.objects.get().quantity == 2


def test_update_to_zero_removes_the_line(gql, new_cart, product):
    cart_id = new_cart()
    gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": 2})

    result = gql.data(UPDATE, {"c": cart_id, "id": CartItem.objects.get().pk, "q": 0})["updateCartItems"]

    assert result == {"cart": {"items": []}, "errors": []}


# --- NaN, Infinity, huge integers, odd bodies -----------------------------------------------------

FLOAT_QUERY = 'mutation($c: String!, $q: Float!) { addProductsToCart(cartId: $c, cartItems: [{sku: \\"24-MB01\\", quantity: $q}]) { user_errors { code } } }'


@pytest.mark.parametrize(("token", "shown"), [("NaN", "nan"), ("Infinity", "inf"), ("-Infinity", "-inf")])
def test_nan_and_infinity_tokens_as_float_variables_are_graphql_errors(
    client, new_cart, product, token, shown
):
    cart_id = new_cart()
    body = f'{{"query": "{FLOAT_QUERY}", "variables": {{"c": "{cart_id}", "q": {token}}}}}'

    status, result = raw_post(client, body.encode())

    assert status == 400
    assert only_error(result)["message"] == (
        f"Variable '$q' got invalid value {shown}; Float cannot represent non numeric value: {shown}"
    )
    assert not CartItem.objects.exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("NaN", "Int cannot represent non-integer value: nan"),
        ("-Infinity", "Int cannot represent non-integer value: -inf"),
        ("99999999999", "Int cannot represent non 32-bit signed integer value: 99999999999"),
    ],
)
def test_nan_infinity_and_huge_numbers_as_int_variables_are_graphql_errors(client, db, token, message):
    body = '{"query": "query($n: Int) { products(search: \\"bag\\", pageSize: $n) { total_count } }", "variables": {"n": %s}}'

    status, result = raw_post(client, (body % token).encode())

    assert status == 400
    assert (
        only_error(result)["message"]
        == f"Variable '$n' got invalid value {token.lower().replace('infinity', 'inf')}; {message}"
    )


def test_huge_int_literal_is_graphql_int_range_error(gql, db):
    error = only_error(gql.post('{ products(search: "bag", pageSize: 99999999999) { total_count } }'))

    assert error["message"] == "Int cannot represent non 32-bit signed integer value: 99999999999"


@pytest.mark.parametrize("variables", ["NaN", "[1]", "5"])
def test_variables_that_are_not_an_object_are_a_client_error(client, db, variables):
    # Were a TypeError inside graphql-core: "Internal server error".
    status, result = raw_post(client, f'{{"query": "{{ __typename }}", "variables": {variables}}}')

    assert status == 400
    assert result == {
        "errors": [
            {"message": "Variables must be a JSON object.", "extensions": {"category": "graphql-input"}}
        ]
    }


def test_batch_requests_are_refused(client, db):
    status, result = raw_post(client, json.dumps([{"query": "{ __typename }"}, {"query": "{ __typename }"}]))

    assert status == 400
    assert result == {"errors": [{"message": "The received data is not a valid JSON query."}]}


def test_json_nested_deeper_than_the_parser_follows_is_invalid_json(client, db):
    # json.loads raised RecursionError: a 500 page.
    status, result = raw_post(client, "[" * 100_000 + "]" * 100_000)

    assert status == 400
    assert result == {"errors": [{"message": "POST body sent invalid JSON."}]}


def test_deeply_nested_document_is_refused_by_the_parser(client, db):
    status, result = raw_post(client, json.dumps({"query": "{" + "a{" * 3000 + "}" * 3001}))

    assert status == 400
    assert only_error(result)["message"] == "Syntax Error: Document is nested too deeply. Parsing aborted."


def test_very_long_document_is_refused(client, db):
    query = "{ __typename " + "a: __typename " * 5000 + "}"  # 70 KB, under the body limit

    status, result = raw_post(client, json.dumps({"query": query}))

    assert status == 400
    assert result == {
        "errors": [{"message": "The query is too long.", "extensions": {"category": "graphql-input"}}]
    }


# --- unicode ---------------------------------------------------------------------------------------

UNICODE_ADDRESS = {
    **ADDRESS,
    "firstname": "Zoë 👩🏽‍💻",  # emoji with skin tone and ZWJ
    "lastname": "\u05e9\u05dc\u05d5\u05dd\u200f",  # Hebrew with a right-to-left mark
    "company": "e\u0301\u0301 Z\u0335\u0321alg\u0338o",  # combining marks, not normalised
    "street": ["東京都千代田区丸の内1-1", "\u0634\u0627\u0631\u0639 \u0627\u0644\u0646\u064a\u0644 ١٢"],
    "city": "Ḱöln 🏙",
    "region": "Nordrhein-Westfalen",
}


def test_unicode_addresses_are_stored_and_returned_exactly(gql, new_cart, tax_rates):
    cart_id = new_cart()

    shipping = gql.data(SET_SHIPPING, {"c": cart_id, "a": UNICODE_ADDRESS})["setShippingAddressesOnCart"]
    returned = shipping["cart"]["shipping_addresses"][0]

    for field in ("firstname", "lastname", "company", "street", "city"):
        assert returned[field] == UNICODE_ADDRESS[field], field
    stored = CartAddress.objects.get()
    assert (stored.firstname, stored.lastname, stored.company, stored.street, stored.city) == (
        UNICODE_ADDRESS["firstname"],
        UNICODE_ADDRESS["lastname"],
        UNICODE_ADDRESS["company"],
        UNICODE_ADDRESS["street"],
        UNICODE_ADDRESS["city"],
    )


def test_255_emoji_fit_a_255_character_column(gql, new_cart, tax_rates):
    # Four bytes each in UTF-8: the limit counts characters, as both databases do.
    cart_id = new_cart()

    gql.data(SET_SHIPPING, {"c": cart_id, "a": {**ADDRESS, "firstname": "😀" * 255}})

    assert CartAddress.objects.get().firstname == "😀" * 255


# --- SQL injection ---------------------------------------------------------------------------------


def test_sql_injection_strings_are_stored_verbatim_and_harmless(gql, new_cart, tax_rates, product):
    cart_id = new_cart()
    address = {**ADDRESS, "firstname": SQL_1, "lastname": SQL_2, "street": [SQL_2, SQL_1], "city": SQL_1}
    gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": 1})
    gql.data(SET_EMAIL, {"c": cart_id, "e": "robert'--@example.com"})
    gql.data(SET_SHIPPING, {"c": cart_id, "a": address, "notes": SQL_2})
    gql.data(SAME_BILLING, {"c": cart_id})
    gql.data(SHIPPING_METHOD, {"c": cart_id})
    gql.data(CHECKMO, {"c": cart_id})

    coupon = only_error(gql.post(APPLY_COUPON, {"c": cart_id, "k": SQL_1}))
    lookup = only_error(gql.post("query($c: String!) { cart(cart_id: $c) { id } }", {"c": SQL_2}))
    search = gql.data("query($s: String!) { products(search: $s) { total_count } }", {"s": SQL_1})
    number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["orderV2"]["number"]

    assert coupon["message"] == "The coupon code isn't valid. Verify the code and try again."
    assert lookup["message"] == f'Could not find a cart with ID "{SQL_2}"'
    assert search["products"]["total_count"] == 0
    order = Order.objects.get(number=number)
    shipping = order.addresses.get(kind="shipping")
    assert (shipping.firstname, shipping.lastname, shipping.street, shipping.city) == (
        SQL_1,
        SQL_2,
        [SQL_2, SQL_1],
        SQL_1,
    )
    assert order.email == "robert'--@example.com"
    assert CartAddress.objects.get(cart__masked_id=cart_id, kind="shipping").customer_notes == SQL_2
    # The tables are all still there and working.
    assert new_cart() and Cart.objects.count() == 2 and Order.objects.count() == 1


# --- HTML injection: rendered escaped ----------------------------------------------------------

HOSTILE_ADDRESS = {
    **ADDRESS,
    "firstname": SCRIPT,
    "lastname": IMG,
    "company": SCRIPT,
    "street": [SCRIPT, IMG],
    "city": IMG,
}


def assert_escaped(html: str, *, img: bool = True):
    assert SCRIPT not in html and RAW_IMG not in html
    assert ESCAPED_SCRIPT in html
    if img:
        assert ESCAPED_IMG in html


@pytest.fixture
def hostile_order(client, gql, tax_rates, product):
    """A guest order placed by this session's cart with script in names, streets, email and the
    coupon label; a Klarna session was opened on the cart first (its payload carries them)."""
    Coupon.objects.create(code="XSS", label=SCRIPT, value=10)
    cart_id = client.post("/cart/session/").json()["cart_id"]
    gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": 1})
    assert gql.data(SET_EMAIL, {"c": cart_id, "e": SCRIPT_EMAIL})["setGuestEmailOnCart"]["cart"]["email"] == (
        SCRIPT_EMAIL
    )
    gql.data(SET_SHIPPING, {"c": cart_id, "a": HOSTILE_ADDRESS})
    gql.data(SAME_BILLING, {"c": cart_id})
    gql.data(SHIPPING_METHOD, {"c": cart_id})
    gql.data(APPLY_COUPON, {"c": cart_id, "k": "xss"})
    gql.data(CREATE_SESSION, {"c": cart_id})
    gql.data(CHECKMO, {"c": cart_id})
    number = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]["orderV2"]["number"]
    return Order.objects.get(number=number)


def test_confirmation_page_escapes_names_streets_email_and_coupon_label(client, hostile_order):
    response = client.get(f"/checkout/success/{hostile_order.number}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert_escaped(html)
    assert f"Discount ({ESCAPED_SCRIPT})" in html
    assert "&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.com" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the city, attribute-safe too


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "pw-12345678"))
    return client


def test_admin_cart_order_and_klarna_session_pages_escape_hostile_strings(staff_client, hostile_order):
    session = KlarnaSession.objects.get(cart=hostile_order.cart)
    pages = {
        "cart": f"/admin/cart/cart/{hostile_order.cart_id}/change/",
        "order": f"/admin/checkout/order/{hostile_order.pk}/change/",
        "klarna session": f"/admin/payments_klarna/klarnasession/{session.pk}/change/",
    }

    for name, url in pages.items():
        response = staff_client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, name
        assert SCRIPT not in html and RAW_IMG not in html, name
        assert ESCAPED_SCRIPT in html and ESCAPED_IMG in html, name


def test_admin_order_list_escapes_the_email(staff_client, hostile_order):
    html = staff_client.get("/admin/checkout/order/").content.decode()

    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


@pytest.fixture
def hostile_customer(tax_rates):
    user = customers.create_customer(
        email=SCRIPT_EMAIL, firstname=SCRIPT, lastname=IMG, password="Correct-Horse-42"
    )
    address = validate_address(HOSTILE_ADDRESS)
    customers.save_address(user, address, default_shipping=True, default_billing=True)
    return user


def test_checkout_page_prefill_for_a_customer_escapes_the_email_and_keeps_the_address_verbatim(
    client, hostile_customer, tax_rates, product
):
    client.force_login(hostile_customer)
    client.post("/cart/add/", {"sku": product.sku, "quantity": "1"})

    response = client.get("/checkout/")

    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html and RAW_IMG not in html
    assert 'value="&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.com" readonly' in html
    prefilled = CartAddress.objects.get(cart__customer=hostile_customer, kind="shipping")
    assert (prefilled.firstname, prefilled.lastname, prefilled.street, prefilled.city) == (
        SCRIPT,
        IMG,
        [SCRIPT, IMG],
        IMG,
    )


def test_my_orders_pages_escape_the_order_address(client, gql, hostile_customer, tax_rates, product):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {customers.issue_token(hostile_customer).token}"}
    cart_id = gql.data("{ customerCart { id } }", **auth)["customerCart"]["id"]
    gql.data(ADD, {"c": cart_id, "sku": product.sku, "q": 1}, **auth)
    gql.data(SET_SHIPPING, {"c": cart_id, "a": HOSTILE_ADDRESS}, **auth)
    gql.data(SAME_BILLING, {"c": cart_id}, **auth)
    gql.data(SHIPPING_METHOD, {"c": cart_id}, **auth)
    gql.data(CHECKMO, {"c": cart_id}, **auth)
    number = gql.data(PLACE_ORDER, {"cart": cart_id}, **auth)["placeOrder"]["orderV2"]["number"]
    client.force_login(hostile_customer)

    listing = client.get("/account/orders/")
    detail = client.get(f"/account/orders/{number}/")

    assert listing.status_code == 200 and detail.status_code == 200
    assert SCRIPT not in listing.content.decode() and RAW_IMG not in listing.content.decode()
    assert f'data-order="{number}"' in listing.content.decode()
    assert_escaped(detail.content.decode())
