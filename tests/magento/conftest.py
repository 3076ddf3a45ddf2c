"""Magento's api-functional fixtures, adapted to our data.

Magento's fixtures (dev/tests/integration/testsuite/Magento/GraphQl/...):
- ``Catalog/_files/simple_product.php``: sku ``simple_product``, price 10, qty 100, in a USD store;
- ``Quote/_files/guest/create_empty_cart.php``: a guest cart (Magento finds it by reserved order id
  ``test_quote``); ``customer/create_empty_cart.php``: the same for customer@example.com;
- ``Quote/_files/add_simple_product.php``: 2 x simple_product in that cart;
- ``set_new_shipping_address.php`` / ``set_new_billing_address.php``: a US address in Texas
  (region_id 57 in Magento's directory; ours is the ISO subdivision, see ``region_id_of``);
- ``set_flatrate_shipping_method.php``: flatrate, Magento's default $5 per item.

The store speaks USD for these tests, as Magento's default website does.
"""

from decimal import Decimal

import pytest

from shop import customers
from shop.configurable import AttributeSpec, add_variant, create_configurable
from shop.regions import region_id_of
from tests.cart.conftest import make_coupon  # noqa: F401 - Magento's coupon fixtures use it
from tests.customers.conftest import PASSWORD, bearer

CUSTOMER_EMAIL = "customer@example.com"

# Magento's set_new_shipping_address.php / set_new_billing_address.php (region_id 57 = Texas).
MAGENTO_ADDRESS = {
    "firstname": "John",
    "lastname": "Smith",
    "company": "CompanyName",
    "street": ["Green str, 67"],
    "city": "CityM",
    "region": "AL",
    "postcode": "75477",
    "country_code": "US",
    "telephone": "3468676",
}


def texas_region_id() -> int:
    return region_id_of("US", "TX")


def gql_string(value: str) -> str:
    """A Python string as a GraphQL string literal (Magento interpolates into the document)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(autouse=True)
def _magento_store(settings, db):
    """Magento's default website: USD, prices without tax, every country allowed. Magento's
    flat rate is $5 per item; ours is per order, set to $10 (the 2 items of add_simple_product)."""
    settings.STORE_CURRENCY = "USD"
    settings.PRICES_INCLUDE_TAX = False  # Magento's default: catalog prices exclude tax
    # Magento allows every country by default; the scenarios use these.
    settings.ALLOWED_COUNTRIES = ["US", "CA", "GB", "DE", "FR", "AU"]
    settings.SHIPPING_FLATRATE_PRICE = Decimal("10.00")


@pytest.fixture
def second_store(db):
    """Magento/Store/_files/second_store.php: a second store view ``fixture_second_store`` of the
    default website (same currency, every country of the default one)."""
    from shop.models import Store

    return Store.objects.create(
        code="fixture_second_store",
        name="Fixture Second Store",
        countries="US,CA,GB,DE,FR,AU",
        currency="USD",
        locales="en_US",
        prices_include_tax=False,
    )


@pytest.fixture
def simple_product(make_product):
    """Magento/GraphQl/Catalog/_files/simple_product.php."""
    return make_product(price="10.00", stock=100, sku="simple_product", name="simple product")


@pytest.fixture
def guest_cart(gql):
    """Magento/GraphQl/Quote/_files/guest/create_empty_cart.php: the masked id of a guest cart."""
    return gql.data("mutation { createGuestCart { cart { id } } }")["createGuestCart"]["cart"]["id"]


@pytest.fixture
def customer(db):
    """Magento/Customer/_files/customer.php: customer@example.com / password."""
    return customers.create_customer(
        email=CUSTOMER_EMAIL, firstname="John", lastname="Smith", password=PASSWORD
    )


@pytest.fixture
def customer_auth(customer) -> dict:
    return bearer(customers.issue_token(customer).token)


@pytest.fixture
def customer_cart(gql, customer_auth):
    """Magento/GraphQl/Quote/_files/customer/create_empty_cart.php."""
    return gql.data("{ customerCart { id } }", **customer_auth)["customerCart"]["id"]


def add_simple_product(gql, cart_id: str, sku: str = "simple_product", quantity: float = 2, **auth):
    """Magento/GraphQl/Quote/_files/add_simple_product.php (2 x simple_product)."""
    result = gql.data(
        "mutation($c: String!, $s: String!, $q: Float!) { addProductsToCart(cartId: $c, "
        "cartItems: [{sku: $s, quantity: $q}]) { user_errors { message } } }",
        {"c": cart_id, "s": sku, "q": quantity},
        **auth,
    )
    assert result["addProductsToCart"]["user_errors"] == []


def set_shipping_address(gql, cart_id: str, address: dict = MAGENTO_ADDRESS, **auth):
    gql.data(
        "mutation($c: String!, $a: CartAddressInput!) { setShippingAddressesOnCart(input: {cart_id: $c, "
        "shipping_addresses: [{address: $a}]}) { cart { id } } }",
        {"c": cart_id, "a": address},
        **auth,
    )


def set_billing_address(gql, cart_id: str, address: dict = MAGENTO_ADDRESS, **auth):
    gql.data(
        "mutation($c: String!, $a: CartAddressInput!) { setBillingAddressOnCart(input: {cart_id: $c, "
        "billing_address: {address: $a}}) { cart { id } } }",
        {"c": cart_id, "a": address},
        **auth,
    )


def set_flatrate(gql, cart_id: str, **auth):
    gql.data(
        "mutation($c: String!) { setShippingMethodsOnCart(input: {cart_id: $c, shipping_methods: "
        '[{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } } }',
        {"c": cart_id},
        **auth,
    )


def set_guest_email(gql, cart_id: str, email: str = "guest@example.com"):
    gql.data(
        "mutation($c: String!, $e: String!) { setGuestEmailOnCart(input: {cart_id: $c, email: $e}) { cart { id } } }",
        {"c": cart_id, "e": email},
    )


def set_checkmo(gql, cart_id: str, **auth):
    gql.data(
        'mutation($c: String!) { setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "checkmo"}}) '
        "{ cart { id } } }",
        {"c": cart_id},
        **auth,
    )


@pytest.fixture
def configurable_product(db):
    """Magento/CatalogRule/_files/configurable_product.php: "configurable" with the variants
    simple_10 ($10) and simple_20 ($20) of its test_configurable attribute (option 1, option 2)."""
    parent = create_configurable(
        sku="configurable",
        name="Configurable Product",
        attributes=[
            AttributeSpec("test_configurable", "Test Configurable", [("Option 1", ""), ("Option 2", "")])
        ],
    )
    add_variant(
        parent, sku="simple_10", values={"test_configurable": "Option 1"}, price=Decimal("10"), stock_qty=1000
    )
    add_variant(
        parent, sku="simple_20", values={"test_configurable": "Option 2"}, price=Decimal("20"), stock_qty=1000
    )
    return parent
