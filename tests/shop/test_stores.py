"""Markets (issue 17): stores in the database, the default one built from settings."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from payments_klarna.checks import check_store_klarna_accounts, klarna_account
from shop import store
from shop.models import Product, ProductPrice, Store

pytestmark = pytest.mark.django_db

SEEDED = {
    # code: (countries, currency, default locale, prices include tax, klarna account)
    "default": (("DE",), "EUR", "de_DE", True, ""),
    "at": (("AT",), "EUR", "de_AT", True, ""),
    "nl": (("NL",), "EUR", "nl_NL", True, ""),
    "fi": (("FI",), "EUR", "fi_FI", True, ""),
    "se": (("SE",), "SEK", "sv_SE", True, ""),
    "gb": (("GB",), "GBP", "en_GB", True, ""),
    "us": (("US",), "USD", "en_US", False, "US"),
}


def seed(verbosity=1) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, verbosity=verbosity)
    return out.getvalue()


def test_without_rows_the_default_store_is_the_settings():
    stores = store.all_stores()
    assert len(stores) == 1
    default = stores[0]
    assert (default.code, default.currency, default.country, default.pk) == ("default", "EUR", "DE", None)
    assert default.prices_include_tax is True
    assert default.flatrate_price == Decimal("5.00") and default.free_shipping_threshold == Decimal("100.00")
    with override_settings(
        STORE_CURRENCY="USD", PRICES_INCLUDE_TAX=False, SHIPPING_FLATRATE_PRICE=Decimal("7")
    ):
        default = store.default_store()
        assert (default.currency, default.prices_include_tax, default.flatrate_price) == ("USD", False, 7)


def test_seed_demo_seeds_the_markets():
    seed()
    stores = {s.code: s for s in store.all_stores()}
    assert list(stores) == list(SEEDED)
    for code, (countries, currency, locale, inclusive, account) in SEEDED.items():
        s = stores[code]
        assert (s.countries, s.currency, s.locale, s.prices_include_tax, s.klarna_account) == (
            countries,
            currency,
            locale,
            inclusive,
            account,
        ), code
    assert stores["default"].locales == ("de_DE", "en_DE")
    assert stores["default"].is_default and stores["default"].pk is None
    assert stores["se"].free_shipping_threshold == Decimal("1000.00")
    # Prices: every demo product in SEK and GBP, coffee and tea not in USD.
    mug = Product.objects.get(sku="DEMO-MUG-01")
    assert {p.currency: p.price for p in mug.prices.all()} == {
        "SEK": Decimal("179.00"),
        "GBP": Decimal("12.99"),
        "USD": Decimal("13.99"),
    }
    assert not ProductPrice.objects.filter(product__sku="DEMO-COFFEE-01", currency="USD").exists()
    # Twice: nothing changes, and the stores' lines show at -v 2.
    out = seed(verbosity=2)
    assert "stores: created 0, updated 0, unchanged 7" in out
    assert "prices: created 0, updated 0, unchanged " in out


def test_a_store_saved_in_the_admin_is_seen_at_once():
    assert [s.code for s in store.all_stores()] == ["default"]
    Store.objects.create(
        code="se", name="Sverige", countries="SE", currency="SEK", locales="sv_SE", prices_include_tax=True
    )
    assert [s.code for s in store.all_stores()] == ["default", "se"]
    assert store.find_store("se").currency == "SEK"
    assert store.find_store("xx") is None


def test_store_validation():
    with pytest.raises(ValidationError) as refused:
        Store(code="se").full_clean()
    assert {"countries", "currency", "locales", "prices_include_tax"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        Store(
            code="xx", countries="SE,QQ", currency="SEKK", locales="sv_SE", prices_include_tax=True
        ).full_clean()
    assert set(refused.value.message_dict) == {"countries", "currency"}
    Store(code="default").full_clean()  # the default store may inherit everything


@override_settings(KLARNA_ENVIRONMENT="playground", KLARNA_ENABLED=True, KLARNA_ACCOUNTS={})
def test_a_store_naming_a_missing_klarna_account_is_refused_at_start():
    Store.objects.create(
        code="us",
        countries="US",
        currency="USD",
        locales="en_US",
        prices_include_tax=False,
        klarna_account="US",
    )
    errors = check_store_klarna_accounts()
    assert [e.id for e in errors] == ["payments_klarna.E003"]
    assert 'Store "us" uses Klarna account "US"' in errors[0].msg
    account = {"username": "K1_us", "password": "secret", "region": "na"}
    with override_settings(KLARNA_ACCOUNTS={"US": account}):
        assert check_store_klarna_accounts() == []
        assert klarna_account("us") == account


def test_emulator_mode_accepts_any_account_name():
    assert klarna_account("GB")["username"] == "emulator-gb"
    assert check_store_klarna_accounts() == []


def test_klarna_accounts_are_read_from_the_environment():
    env = {
        **os.environ,
        "KLARNA_US_API_USERNAME": "K1_us",
        "KLARNA_US_API_PASSWORD": "pw",
        "KLARNA_US_REGION": "na",
        "KLARNA_OC_SHOP_API_USERNAME": "K2",
        "KLARNA_OC_SHOP_API_PASSWORD": "pw2",
    }
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.KLARNA_ACCOUNTS))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "shop.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    accounts = json.loads(out.strip().splitlines()[-1])
    assert accounts["US"] == {"username": "K1_us", "password": "pw", "region": "na"}
    assert accounts["OC_SHOP"]["region"] == "eu"  # KLARNA_REGION's default


STORE_CONFIG = "{ storeConfig { store_code locale base_currency_code } currency { base_currency_code } }"


def test_graphql_answers_for_the_store_of_the_header(gql):
    seed()
    data = gql.data(STORE_CONFIG, HTTP_STORE="se")
    assert data["storeConfig"] == {"store_code": "se", "locale": "sv_SE", "base_currency_code": "SEK"}
    assert data["currency"]["base_currency_code"] == "SEK"
    stores = gql.data("{ availableStores { store_code default_display_currency_code } }")["availableStores"]
    assert [(s["store_code"], s["default_display_currency_code"]) for s in stores] == [
        (code, values[1]) for code, values in SEEDED.items()
    ]
    error = gql.error(STORE_CONFIG, HTTP_STORE="xx")
    assert error["message"] == "Requested store is not found"
    error = gql.error(STORE_CONFIG, HTTP_STORE="se", HTTP_CONTENT_CURRENCY="EUR")
    assert error["message"] == "Please correct the target currency"
