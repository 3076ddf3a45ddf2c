"""``storeConfig``, ``availableStores`` and ``currency``: every value comes from the setting or
rule it names (change the setting, the answer changes), and Venia's own store documents run."""

import pytest
from babel.numbers import get_currency_symbol
from django.test import override_settings

from cart.services import GIFT_OPTIONS_OFFERED
from shop import catalog
from tests.venia.extract import load_fixture

pytestmark = pytest.mark.django_db

STORE_FIELDS = """
  store_code store_name is_default_store store_sort_order store_group_code store_group_name
  is_default_store_group website_code website_name locale base_currency_code
  default_display_currency_code timezone weight_unit base_url base_link_url secure_base_url
  secure_base_link_url base_static_url secure_base_static_url base_media_url secure_base_media_url
  use_store_in_url
"""
STORE_CONFIG = "{ storeConfig { " + STORE_FIELDS + " } }"
CREATE = """mutation($input: CustomerCreateInput!) {
  createCustomerV2(input: $input) { customer { email } } }"""


def store_config(gql, fields: str, **headers) -> dict:
    return gql.data("{ storeConfig { " + fields + " } }", **headers)["storeConfig"]


def test_store_config_answers_the_configured_store(gql):
    config = gql.data(STORE_CONFIG)["storeConfig"]

    assert config == {
        "store_code": "default",
        "store_name": "Klarna Demo Store",
        "is_default_store": True,
        "store_sort_order": 0,
        "store_group_code": "main_website_store",
        "store_group_name": "Klarna Demo Store",
        "is_default_store_group": True,
        "website_code": "base",
        "website_name": "Klarna Demo Store",
        "locale": "en_US",
        "base_currency_code": "EUR",
        "default_display_currency_code": "EUR",
        "timezone": "UTC",
        "weight_unit": "kgs",
        "base_url": "http://127.0.0.1:8000/",
        "base_link_url": "http://127.0.0.1:8000/",
        "secure_base_url": "http://127.0.0.1:8000/",
        "secure_base_link_url": "http://127.0.0.1:8000/",
        "base_static_url": "http://127.0.0.1:8000/static/",
        "secure_base_static_url": "http://127.0.0.1:8000/static/",
        "base_media_url": "http://127.0.0.1:8000/static/",
        "secure_base_media_url": "http://127.0.0.1:8000/static/",
        "use_store_in_url": False,
    }


@override_settings(
    STORE_CODE="se",
    STORE_NAME="Butiken",
    STORE_CURRENCY="SEK",
    STORE_COUNTRY="US",
    LANGUAGE_CODE="sv-se",
    TIME_ZONE="Europe/Stockholm",
    SITE_URL="https://shop.example.se",
    STATIC_URL="https://cdn.example.se/static/",
)
def test_store_config_follows_the_settings(gql):
    config = gql.data(STORE_CONFIG, HTTP_STORE="se")["storeConfig"]

    assert config["store_code"] == "se"
    assert config["store_name"] == config["store_group_name"] == config["website_name"] == "Butiken"
    assert config["locale"] == "sv_SE"
    assert config["base_currency_code"] == config["default_display_currency_code"] == "SEK"
    assert config["timezone"] == "Europe/Stockholm"
    assert config["weight_unit"] == "lbs"  # STORE_COUNTRY=US
    assert config["base_url"] == config["secure_base_url"] == "https://shop.example.se/"
    assert config["base_static_url"] == "https://cdn.example.se/static/"


def test_store_header_naming_the_store_gets_its_config(gql):
    assert store_config(gql, "store_code", HTTP_STORE="default") == {"store_code": "default"}


def test_unknown_store_header_gets_magentos_error(gql):
    result = gql.post(STORE_CONFIG, HTTP_STORE="nowhere")

    assert result == {
        "errors": [{"message": "Requested store is not found", "extensions": {"category": "graphql-input"}}]
    }


@override_settings(STORE_CODE="se")
def test_old_store_code_is_unknown_once_the_store_code_changes(gql):
    result = gql.post("{ storeConfig { store_code } }", HTTP_STORE="default")

    assert result["errors"][0]["message"] == "Requested store is not found"
    assert store_config(gql, "store_code") == {"store_code": "se"}


def test_url_suffixes_are_empty_like_the_storefronts_paths(gql):
    assert store_config(gql, "product_url_suffix category_url_suffix") == {
        "product_url_suffix": "",
        "category_url_suffix": "",
    }


def test_listing_page_size_is_the_products_querys_default(gql, product):
    config = store_config(
        gql, "grid_per_page grid_per_page_values list_per_page list_per_page_values list_mode"
    )
    products = gql.data('{ products(search: "duffle") { page_info { page_size } } }')["products"]

    assert config["grid_per_page"] == products["page_info"]["page_size"] == catalog.DEFAULT_PAGE_SIZE
    assert config["grid_per_page_values"] == config["list_per_page_values"] == str(catalog.DEFAULT_PAGE_SIZE)
    assert config["list_mode"] == "grid"


def test_no_categories_means_no_root_category(gql):
    assert store_config(gql, "root_category_uid root_category_id catalog_default_sort_by") == {
        "root_category_uid": None,
        "root_category_id": None,
        "catalog_default_sort_by": "position",
    }


# --- password rules: what createCustomer enforces ---------------------------------------------------


def _create(gql, password: str, email: str = "anna@example.com") -> dict:
    return gql.post(
        CREATE, {"input": {"email": email, "firstname": "Anna", "lastname": "Muster", "password": password}}
    )


def test_password_rules_are_djangos_validators(gql):
    config = store_config(gql, "minimum_password_length required_character_classes_number")

    assert config == {"minimum_password_length": "8", "required_character_classes_number": "1"}


@pytest.mark.parametrize("minimum", [8, 12])
def test_a_password_one_character_shorter_than_the_minimum_is_refused(gql, minimum):
    validators = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": minimum},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    with override_settings(AUTH_PASSWORD_VALIDATORS=validators):
        length = int(store_config(gql, "minimum_password_length")["minimum_password_length"])
        assert length == minimum

        short = _create(gql, "Zq7-xwvk-Lmnopqrst"[: length - 1])
        long_enough = _create(gql, "Zq7-xwvk-Lmnopqrst"[:length], email="bert@example.com")

    assert short["errors"][0]["extensions"] == {"category": "graphql-input"}
    assert f"at least {minimum} characters" in short["errors"][0]["message"]
    assert "errors" not in long_enough
    assert long_enough["data"]["createCustomerV2"]["customer"]["email"] == "bert@example.com"


@override_settings(AUTH_PASSWORD_VALIDATORS=[])
def test_without_a_length_validator_one_character_is_the_minimum(gql):
    assert store_config(gql, "minimum_password_length")["minimum_password_length"] == "1"
    assert "errors" not in _create(gql, "x")


@override_settings(CUSTOMER_TOKEN_LIFETIME=7200)
def test_token_lifetime_is_in_hours(gql):
    assert store_config(gql, "customer_access_token_lifetime") == {"customer_access_token_lifetime": 2.0}


# --- what the shop offers ---------------------------------------------------------------------------


def test_gift_options_say_what_set_gift_options_stores(gql):
    config = store_config(
        gql,
        "allow_order allow_items allow_gift_receipt allow_printed_card allow_gift_wrapping_on_order "
        "allow_gift_wrapping_on_order_items",
    )

    assert config == {
        "allow_order": "1",
        "allow_items": "0",
        "allow_gift_receipt": "1",
        "allow_printed_card": "1",
        "allow_gift_wrapping_on_order": "0",
        "allow_gift_wrapping_on_order_items": "0",
    }
    assert GIFT_OPTIONS_OFFERED.order_message and not GIFT_OPTIONS_OFFERED.wrapping


def test_features_not_built_are_off_and_built_ones_on(gql):
    config = store_config(
        gql,
        "magento_wishlist_general_is_enabled enable_multiple_wishlists contact_enabled newsletter_enabled "
        "create_account_confirmation configurable_thumbnail_source cart_summary_display_quantity "
        "is_guest_checkout_enabled",
    )

    assert config == {
        "magento_wishlist_general_is_enabled": "0",
        "enable_multiple_wishlists": "0",
        "contact_enabled": False,
        "newsletter_enabled": True,
        "create_account_confirmation": False,
        "configurable_thumbnail_source": "parent",
        "cart_summary_display_quantity": 1,
        "is_guest_checkout_enabled": True,
    }


# --- availableStores and currency ---------------------------------------------------------------------


@pytest.mark.parametrize("current_group", ["", "(useCurrentGroup: true)", "(useCurrentGroup: false)"])
def test_available_stores_lists_the_store(gql, current_group):
    stores = gql.data(
        f"{{ availableStores{current_group} {{ store_code store_name store_group_code locale "
        "default_display_currency_code secure_base_media_url store_sort_order } }"
    )["availableStores"]

    assert stores == [
        {
            "store_code": "default",
            "store_name": "Klarna Demo Store",
            "store_group_code": "main_website_store",
            "locale": "en_US",
            "default_display_currency_code": "EUR",
            "secure_base_media_url": "http://127.0.0.1:8000/static/",
            "store_sort_order": 0,
        }
    ]


CURRENCY = """{ currency { base_currency_code base_currency_symbol default_display_currency_code
  default_display_currency_symbol default_display_currecy_code available_currency_codes
  exchange_rates { currency_to rate } } }"""


@pytest.mark.parametrize(("currency", "symbol"), [("EUR", "€"), ("GBP", "£"), ("USD", "$"), ("SEK", "SEK")])
def test_currency_symbol_comes_from_babel(gql, currency, symbol):
    with override_settings(STORE_CURRENCY=currency):
        answer = gql.data(CURRENCY)["currency"]

    assert symbol == get_currency_symbol(currency, locale="en_US")
    assert answer == {
        "base_currency_code": currency,
        "base_currency_symbol": symbol,
        "default_display_currency_code": currency,
        "default_display_currency_symbol": symbol,
        "default_display_currecy_code": currency,
        "available_currency_codes": [currency],
        "exchange_rates": [{"currency_to": currency, "rate": 1.0}],
    }


@override_settings(LANGUAGE_CODE="sv-se", STORE_CURRENCY="SEK")
def test_currency_symbol_is_in_the_store_locale(gql):
    assert gql.data(CURRENCY)["currency"]["base_currency_symbol"] == get_currency_symbol(
        "SEK", locale="sv_SE"
    )


@override_settings(STORE_CURRENCY="SEK")
def test_content_currency_of_the_store_currency_is_accepted_and_another_refused(gql):
    assert gql.data("{ currency { base_currency_code } }", HTTP_CONTENT_CURRENCY="sek")
    refused = gql.post("{ currency { base_currency_code } }", HTTP_CONTENT_CURRENCY="EUR")
    assert refused["errors"][0]["message"] == "Please correct the target currency"


# --- Venia's own documents run --------------------------------------------------------------------


def _store_documents():
    roots = ("storeConfig", "availableStores", "currency")
    for operation in load_fixture()["operations"]:
        document = operation["document"]
        if document and document.lstrip().startswith("query") and any(f"  {r} " in document for r in roots):
            if "wishlists" not in document and "$" not in document.split("{", 1)[0]:
                yield pytest.param(document, id=f"{operation['name']}({operation['file']})")


@pytest.mark.parametrize("document", list(_store_documents()))
def test_venias_store_documents_run_without_errors(gql, document):
    data = gql.data(document)

    assert data and all(value is not None for value in data.values())
