"""Hostile input through the storefront's server-rendered forms and their POST endpoints
(/cart/add/, /cart/session/, /account/sign-in/, /account/create/, /account/sign-out/):
missing CSRF tokens, bodies over Django's limits, over-long strings, NUL and undecodable
bytes, odd quantities, missing and repeated fields, unicode names, SQL and HTML injection,
forged session cookies and ``next`` URLs.

Every answer is a clean page, redirect or 4xx (never a 500 or a traceback); a refused post
writes nothing; accepted strings are stored verbatim and rendered escaped. The same input
through /graphql is covered by test_hostile_input.py.
"""

import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from cart.models import Cart, CartItem
from shop import customers
from shop.models import Product

pytestmark = pytest.mark.django_db

BIG = "x" * 100_000
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPED_IMG = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
SQL_1 = "' OR 1=1 --"
SQL_2 = "Robert'); DROP TABLE cart_cart;--"
PASSWORD = "Correct-Horse-42"

NOT_POSITIVE = "The product quantity should be greater than 0"
DECIMAL = "You cannot use decimal quantity for this product."
TOO_MANY = "The most you may purchase is 10000."
NUL_REFUSED = "Null characters are not allowed."
REQUIRED = "This field is required."
BAD_EMAIL = "Enter a valid email address."
AT_MOST_320 = "Ensure this value has at most 320 characters (it has 100012)."
SIGN_IN_FAILED = (
    "The account sign-in was incorrect or your account is disabled temporarily. "
    "Please wait and try again later."
)

POST_URLS = ["/cart/add/", "/cart/session/", "/account/sign-in/", "/account/create/", "/account/sign-out/"]
SIGN_UP = {"firstname": "Anna", "lastname": "Muster", "email": "anna@example.com", "password": PASSWORD}

_MESSAGE = re.compile(r'<p class="message message--(\w+)"(?: data-form-error)?>(.*?)</p>', re.S)


def assert_clean(response) -> str:
    """No server error, no traceback; the body as text."""
    body = response.content.decode()
    assert response.status_code < 500, (response.status_code, body[:500])
    assert "Traceback" not in body and 'File "' not in body, body[:500]
    return body


def shown(response, level: str = "error") -> list[str]:
    """The texts of the page's messages and form errors of one level, unescaped, in page order."""
    return [html.unescape(text) for kind, text in _MESSAGE.findall(assert_clean(response)) if kind == level]


def add_to_cart(client, data, **extra):
    """Post the add-to-cart form and follow to the cart page (where its messages show)."""
    response = client.post("/cart/add/", data, follow=True, **extra)
    assert response.redirect_chain == [("/cart/", 302)]
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def csrf_token(client) -> str:
    """The form token a real browser would post, read from the sign-in page."""
    page = client.get("/account/sign-in/").content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture
def customer(db):
    return customers.create_customer(
        email="anna@example.com", firstname="Anna", lastname="Muster", password=PASSWORD
    )


# --- CSRF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", POST_URLS)
def test_a_post_without_a_csrf_token_is_refused_with_403_and_writes_nothing(product, url):
    client = Client(enforce_csrf_checks=True)
    client.get("/account/sign-in/")  # the CSRF cookie is there; only the form token is missing

    response = client.post(url, {**SIGN_UP, "sku": product.sku, "quantity": "1"})

    assert_clean(response)
    assert response.status_code == 403
    assert not Cart.objects.exists() and not User.objects.exists()


def test_sign_out_without_a_csrf_token_keeps_the_customer_signed_in(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)

    response = client.post("/account/sign-out/")

    assert response.status_code == 403
    assert signed_in(client)
    assert client.get("/account/orders/").status_code == 200


@pytest.mark.parametrize("token", ["\x00" * 64, BIG, SCRIPT, SQL_1])
def test_a_forged_csrf_token_is_refused_with_403_and_not_echoed(product, token):
    client = Client(enforce_csrf_checks=True)
    client.get("/account/sign-in/")

    response = client.post("/cart/add/", {"csrfmiddlewaretoken": token, "sku": product.sku})

    body = assert_clean(response)
    assert response.status_code == 403
    assert SCRIPT not in body and SQL_1 not in body
    assert not Cart.objects.exists()


def test_the_pages_csrf_token_is_accepted(product):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/cart/add/", {"csrfmiddlewaretoken": csrf_token(client), "sku": product.sku, "quantity": "1"}
    )

    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert [(i.product.sku, i.quantity) for i in CartItem.objects.all()] == [(product.sku, 1)]


# --- request size ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", POST_URLS)
def test_a_body_over_the_upload_limit_is_refused_with_400_on_every_form(product, customer, settings, url):
    # CSRF enforced as in production: the middleware reads the form body before any view does.
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    filler = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    data = {"csrfmiddlewaretoken": csrf_token(client), **SIGN_UP, "sku": product.sku, "filler": filler}

    response = client.post(url, data)

    assert_clean(response)
    assert response.status_code == 400
    assert signed_in(client)  # not even sign-out went through
    assert not Cart.objects.exists() and User.objects.count() == 1


def test_more_fields_than_django_accepts_is_a_400_and_writes_nothing(client, product, settings):
    response = client.post(
        "/cart/add/", {"sku": [product.sku] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    )

    assert_clean(response)
    assert response.status_code == 400
    assert not Cart.objects.exists()


@pytest.mark.parametrize("url", ["/cart/add/", "/cart/session/", "/account/sign-out/"])
def test_post_only_endpoints_refuse_get_with_405(client, customer, url):
    client.force_login(customer)

    response = client.get(url, {"sku": "24-MB01", "quantity": "1"})

    assert_clean(response)
    assert response.status_code == 405
    assert signed_in(client) and not Cart.objects.exists()


# --- add to cart -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", NOT_POSITIVE),
        ("0", NOT_POSITIVE),
        ("nan", NOT_POSITIVE),
        ("NaN", NOT_POSITIVE),
        ("-inf", NOT_POSITIVE),
        ("abc", NOT_POSITIVE),
        ("", NOT_POSITIVE),
        ("0x10", NOT_POSITIVE),
        ("1\x00", NOT_POSITIVE),
        (SQL_1, NOT_POSITIVE),
        ("1.5", DECIMAL),
        ("1e9", TOO_MANY),
        ("1e400", TOO_MANY),  # parses as infinity
        ("inf", TOO_MANY),
        ("9" * 5000, TOO_MANY),  # past Python's int() digit limit; float() takes it as infinity
        (BIG.replace("x", "1"), TOO_MANY),
    ],
)
def test_add_to_cart_refuses_a_quantity_that_is_not_a_positive_whole_number(
    client, product, quantity, message
):
    response = add_to_cart(client, {"sku": product.sku, "quantity": quantity})

    assert shown(response) == [message]
    assert not CartItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, 'Could not find a product with SKU ""'),
        ({"quantity": "1"}, 'Could not find a product with SKU ""'),
        ({"sku": ""}, 'Could not find a product with SKU ""'),
    ],
)
def test_add_to_cart_without_a_sku_says_the_product_is_not_found(client, product, data, message):
    response = add_to_cart(client, data)

    assert shown(response) == [message]
    assert not CartItem.objects.exists()


def test_add_to_cart_without_a_quantity_adds_one(client, product):
    response = add_to_cart(client, {"sku": product.sku})

    assert shown(response, "success") == ["Added to your cart."]
    assert [i.quantity for i in CartItem.objects.all()] == [1]


def test_add_to_cart_with_repeated_fields_takes_the_last_of_each(client, product):
    response = add_to_cart(client, {"sku": ["NOPE", product.sku], "quantity": ["9999", "2"]})

    assert shown(response, "success") == ["Added to your cart."]
    assert [(i.product.sku, i.quantity) for i in CartItem.objects.all()] == [(product.sku, 2)]


@pytest.mark.parametrize(
    "sku",
    [
        SCRIPT,
        IMG,
        SQL_1,
        SQL_2,
        "24-MB01' OR '1'='1",
        "24-MB01%' --",
        "🧳👩‍👩‍👧",
        "\u202egnp.exe",  # right-to-left override
        "مرحبا",
        "Zoe\u0308",  # combining diaeresis
        BIG,
    ],
)
def test_add_to_cart_shows_a_hostile_sku_escaped_and_adds_nothing(client, product, sku):
    response = add_to_cart(client, {"sku": sku, "quantity": "1"})

    page = response.content.decode()
    assert shown(response) == [f'Could not find a product with SKU "{sku}"']
    assert f"Could not find a product with SKU &quot;{html.escape(sku)}&quot;" in page
    assert SCRIPT not in page and "<img src=x" not in page
    assert not CartItem.objects.exists()
    assert list(Product.objects.values_list("sku", flat=True)) == [product.sku]  # no injection ran


@pytest.mark.parametrize("sku", ["\x00", "24-MB01\x00", "\x00' OR 1=1 --"])
def test_add_to_cart_refuses_a_sku_with_a_nul_character_before_touching_the_database(client, product, sku):
    # Was a 500 on PostgreSQL, which cannot take NUL in a query parameter.
    response = add_to_cart(client, {"sku": sku, "quantity": "1"})

    assert shown(response) == [NUL_REFUSED]
    assert not Cart.objects.exists()


# Django's reading of bytes that are not UTF-8: a percent-escape becomes U+FFFD; raw bytes make
# it read the whole (supposedly ASCII) body as Latin-1.
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"sku=24-MB01%FF&quantity=1", 'Could not find a product with SKU "24-MB01\ufffd"'),
        (b"sku=%C3%28&quantity=1", 'Could not find a product with SKU "\ufffd("'),
        (b"sku=24-MB01%ED%A0%80&quantity=1", 'Could not find a product with SKU "24-MB01\ufffd\ufffd\ufffd"'),
        (b"sku=24-MB01\xff\xfe&quantity=1", 'Could not find a product with SKU "24-MB01\xff\xfe"'),
        (b"sku=\xc3\x28&quantity=1", 'Could not find a product with SKU "\xc3("'),
        (b"sku=24-MB01&quantity=%FF", NOT_POSITIVE),
        (b"sku=24-MB01&quantity=1\xed\xa0\x80", NOT_POSITIVE),  # an encoded surrogate
    ],
)
def test_add_to_cart_reads_invalid_utf8_without_crashing_and_adds_nothing(client, product, body, message):
    response = add_to_cart(client, body, content_type="application/x-www-form-urlencoded")

    assert shown(response) == [message]
    assert not CartItem.objects.exists()


# --- the script's cart id -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"cart_id=%00&sku=" + SCRIPT.encode(),
        b"\xff\xfe\x00garbage",
        b"cart_id=" + b"x" * 100_000,
        b"cart_id=a&cart_id=b&cart_id=" + SQL_2.encode(),
    ],
)
def test_cart_session_ignores_a_hostile_body_and_answers_this_sessions_cart(client, product, body):
    first = client.post("/cart/session/", body, content_type="application/x-www-form-urlencoded")
    again = client.post("/cart/session/", body, content_type="application/x-www-form-urlencoded")

    assert_clean(first)
    assert first.status_code == 200
    cart_id = first.json()["cart_id"]
    assert again.json()["cart_id"] == cart_id
    assert list(Cart.objects.values_list("masked_id", flat=True)) == [cart_id]


# --- a forged session cookie --------------------------------------------------------------------

# Plain ASCII on the wire; Django's cookie parser unquotes the octal escapes into NUL bytes.
NUL_COOKIE = 'sessionid="' + "\\000" * 32 + '"'


@pytest.mark.parametrize(
    "cookie",
    [
        NUL_COOKIE,
        'sessionid="<script>alert(1)</script>"',
        "sessionid=%27%20OR%201%3D1%20--",
        "sessionid=" + "x" * 4000,
    ],
)
@pytest.mark.parametrize("url", POST_URLS)
def test_a_forged_session_cookie_gets_a_fresh_session(product, cookie, url):
    # A NUL session key was a 500 on every page with PostgreSQL (shop.sessions).
    client = Client()
    client.cookies.load(cookie)
    forged = client.cookies["sessionid"].value

    response = client.post(url, {"sku": product.sku, "quantity": "1"})

    assert_clean(response)
    assert response.status_code in (200, 302)
    answered = response.cookies["sessionid"].value
    assert answered != forged
    assert answered == "" or re.fullmatch(r"[a-z0-9]{32}", answered)


# --- sign in -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"email": "anna\x00@example.com", "password": PASSWORD}, [BAD_EMAIL, NUL_REFUSED]),
        ({"email": "anna@example.com", "password": PASSWORD + "\x00"}, [NUL_REFUSED]),
        ({"email": BIG + "@example.com", "password": PASSWORD}, [BAD_EMAIL, AT_MOST_320]),
        ({"email": SQL_1, "password": PASSWORD}, [BAD_EMAIL]),
        ({"email": SCRIPT, "password": PASSWORD}, [BAD_EMAIL]),
        ({"email": "👩‍💻@example.com", "password": PASSWORD}, [BAD_EMAIL]),
        ({"email": "anna@example.com"}, [REQUIRED]),
        ({"password": PASSWORD}, [REQUIRED]),
        ({"email": " ", "password": " "}, [REQUIRED, REQUIRED]),
    ],
)
def test_sign_in_form_refuses_hostile_input_with_field_errors(client, customer, data, errors):
    response = client.post("/account/sign-in/", data)

    assert response.status_code == 200
    assert shown(response) == errors
    assert not signed_in(client)


@pytest.mark.parametrize("email", [SCRIPT, IMG, SQL_1])
def test_sign_in_form_shows_a_rejected_email_escaped(client, db, email):
    page = assert_clean(client.post("/account/sign-in/", {"email": email, "password": PASSWORD}))

    assert f'value="{html.escape(email)}"' in page
    assert SCRIPT not in page and "<img src=x" not in page


@pytest.mark.parametrize(
    "email", ["anna'--@example.com", "'or'1'='1@example.com", '"\');DROP(TABLE)auth_user;--"@example.com']
)
@pytest.mark.parametrize("password", [SQL_1, SQL_2, BIG, "🔑" * 1000])
def test_sign_in_with_injection_or_oversized_credentials_fails_like_a_wrong_password(
    client, customer, email, password
):
    response = client.post("/account/sign-in/", {"email": email, "password": password})

    assert response.status_code == 200
    assert shown(response) == [SIGN_IN_FAILED]
    assert not signed_in(client)


def test_sign_in_with_an_injection_password_for_a_real_account_fails(client, customer):
    response = client.post("/account/sign-in/", {"email": customer.email, "password": SQL_1})

    assert shown(response) == [SIGN_IN_FAILED]
    assert not signed_in(client)


def test_sign_in_with_repeated_fields_takes_the_last_of_each(client, customer):
    response = client.post(
        "/account/sign-in/",
        {"email": ["nobody@example.com", customer.email], "password": ["wrong", PASSWORD]},
    )

    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example/",
        "https://evil.example/account/orders/",
        "javascript:alert(1)",
        "\x00//evil.example/",
        "/\\evil.example/",
        " //evil.example/",
    ],
)
def test_sign_in_does_not_follow_a_next_url_off_the_site(client, customer, next_url):
    response = client.post(
        "/account/sign-in/", {"email": customer.email, "password": PASSWORD, "next": next_url}
    )

    assert response.status_code == 302 and response["Location"] == "/account/orders/"


def test_a_next_url_cannot_add_response_headers(client, customer):
    response = client.post(
        "/account/sign-in/",
        {"email": customer.email, "password": PASSWORD, "next": "/cart/\r\nSet-Cookie: planted=1\x00"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/cart/%0D%0ASet-Cookie:%20planted=1%00"
    assert "planted" not in response.cookies


def test_sign_in_form_shows_a_hostile_next_url_escaped(client, customer):
    page = assert_clean(
        client.post("/account/sign-in/", {"email": customer.email, "password": "wrong", "next": IMG + SCRIPT})
    )

    assert f'name="next" value="{ESCAPED_IMG}{ESCAPED_SCRIPT}"' in page
    assert SCRIPT not in page and "<img src=x" not in page


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (b"email=\xff%40example.com&password=\xfe", [BAD_EMAIL]),  # read as Latin-1: "\xff@example.com"
        (b"email=anna%40example.com&password=%FF%FE", [SIGN_IN_FAILED]),
        (b"email=anna%40example.com&password=" + PASSWORD.encode() + b"%FF", [SIGN_IN_FAILED]),
    ],
)
def test_sign_in_with_invalid_utf8_is_refused_without_crashing(client, customer, body, errors):
    response = client.post("/account/sign-in/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert shown(response) == errors
    assert not signed_in(client)


# --- create an account ---------------------------------------------------------------------------


def too_long(field: str, value: str) -> str:
    return f'Invalid value of "{value[:20]}…" provided for the {field} field.'


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"firstname": BIG}, ["Ensure this value has at most 255 characters (it has 100000)."]),
        ({"lastname": BIG}, ["Ensure this value has at most 255 characters (it has 100000)."]),
        ({"firstname": "F" * 151}, [too_long("firstname", "F" * 151)]),  # the user column holds 150
        ({"lastname": "L" * 151}, [too_long("lastname", "L" * 151)]),
        ({"email": BIG + "@example.com"}, [BAD_EMAIL, AT_MOST_320]),
        ({"email": "a" * 140 + "@example.com"}, ['"Email" is not a valid email address.']),  # > 150
        ({"email": SQL_1}, [BAD_EMAIL]),
        ({"email": f"{SCRIPT}@example.com"}, [BAD_EMAIL]),
        ({"firstname": "Anna\x00"}, [NUL_REFUSED]),
        ({"lastname": "\x00"}, [NUL_REFUSED]),
        ({"password": PASSWORD + "\x00"}, [NUL_REFUSED]),
        ({"firstname": " ", "lastname": "\t"}, [REQUIRED, REQUIRED]),
        ({"firstname": None, "lastname": None, "password": None}, [REQUIRED, REQUIRED, REQUIRED]),
        ({"password": "short"}, ["This password is too short. It must contain at least 8 characters."]),
    ],
)
def test_create_account_refuses_hostile_input_and_writes_nothing(client, db, changes, errors):
    data = {name: value for name, value in {**SIGN_UP, **changes}.items() if value is not None}

    response = client.post("/account/create/", data)

    assert response.status_code == 200
    assert shown(response) == errors
    assert not User.objects.exists()
    assert not signed_in(client)


def test_create_account_form_shows_rejected_hostile_values_escaped(client, db):
    response = client.post(
        "/account/create/", {**SIGN_UP, "firstname": SCRIPT, "lastname": IMG, "password": "short"}
    )

    page = assert_clean(response)
    assert f'value="{ESCAPED_SCRIPT}"' in page and f'value="{ESCAPED_IMG}"' in page
    assert SCRIPT not in page and "<img src=x" not in page
    assert not User.objects.exists()


def sign_out_and_back_in(client, email=SIGN_UP["email"], password=PASSWORD):
    """Sign out, then in again: the page after sign-in greets the customer by first name."""
    assert shown(client.post("/account/sign-out/", follow=True), "success") == ["You are signed out."]
    return client.post("/account/sign-in/", {"email": email, "password": password}, follow=True)


@pytest.mark.parametrize(
    ("firstname", "lastname"),
    [(SCRIPT, IMG), (SQL_1, SQL_2), ("O'Brien", 'Say "hi" & <b>bye</b>')],
)
def test_create_account_stores_injection_names_verbatim_and_greets_escaped(client, db, firstname, lastname):
    created = client.post(
        "/account/create/", {**SIGN_UP, "firstname": firstname, "lastname": lastname}, follow=True
    )

    assert shown(created, "success") == ["Your account is ready."] and signed_in(client)
    user = User.objects.get()
    assert (user.first_name, user.last_name) == (firstname, lastname)
    welcome = sign_out_and_back_in(client)
    page = welcome.content.decode()
    assert shown(welcome, "success") == [f"Welcome back, {firstname}."]
    assert f"Welcome back, {html.escape(firstname)}." in page
    assert SCRIPT not in page and "<img src=x" not in page


@pytest.mark.parametrize(
    ("firstname", "lastname"),
    [
        ("👩‍💻 Anna", "Muster 🧳"),  # zero-width joiner sequence
        ("سارة", "العلي"),  # right-to-left
        ("\u202eannA", "\u200fMuster\u200e"),  # bidi override and marks
        ("Zoe\u0308", "Cafe\u0301"),  # combining marks, not normalized away
        ("F" * 150, "L" * 150),  # the user columns' full width
    ],
)
def test_create_account_keeps_unicode_names_verbatim(client, db, firstname, lastname):
    created = client.post(
        "/account/create/", {**SIGN_UP, "firstname": firstname, "lastname": lastname}, follow=True
    )

    assert shown(created, "success") == ["Your account is ready."]
    user = User.objects.get()
    assert (user.first_name, user.last_name) == (firstname, lastname)
    assert shown(sign_out_and_back_in(client), "success") == [f"Welcome back, {firstname}."]


def test_create_account_stores_invalid_utf8_as_django_decodes_it(client, db):
    body = (
        b"firstname=%FF%FEAnna&lastname=Muster\xc3\x28&email=anna%40example.com&password=" + PASSWORD.encode()
    )

    response = client.post("/account/create/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("\ufffd\ufffdAnna", "Muster\xc3(")


def test_create_account_with_repeated_fields_takes_the_last_of_each(client, db):
    data = {**SIGN_UP, "email": ["first@example.com", "last@example.com"], "firstname": [SCRIPT, "Anna"]}

    response = client.post("/account/create/", data)

    assert response.status_code == 302
    assert list(User.objects.values_list("email", "first_name")) == [("last@example.com", "Anna")]


def test_creating_an_account_twice_with_another_case_is_refused(client, customer):
    response = client.post("/account/create/", {**SIGN_UP, "email": "ANNA@Example.COM"})

    assert shown(response) == [
        "A customer with the same email address already exists in an associated website."
    ]
    assert User.objects.count() == 1


def test_a_100k_character_password_neither_breaks_create_nor_sign_in(client, db):
    # Django sets no upper bound (Magento caps at 256); the point here is no crash and no timeout.
    created = client.post("/account/create/", {**SIGN_UP, "password": BIG}, follow=True)

    assert shown(created, "success") == ["Your account is ready."]
    assert shown(sign_out_and_back_in(client, password=BIG), "success") == ["Welcome back, Anna."]
    assert signed_in(client)


# --- sign out ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"next=//evil.example/",
        b"\x00\xff\xfe",
        b"a=" + SCRIPT.encode() + b"&a=" + SQL_1.encode(),
        b"x=" + b"y" * 100_000,
    ],
)
def test_sign_out_ignores_a_hostile_body_and_signs_out(client, customer, body):
    client.force_login(customer)

    response = client.post("/account/sign-out/", body, content_type="application/x-www-form-urlencoded")

    assert_clean(response)
    assert response.status_code == 302 and response["Location"] == "/"
    assert not signed_in(client)


def test_sign_out_without_being_signed_in_is_a_plain_redirect(client, db):
    response = client.post("/account/sign-out/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert not signed_in(client)
