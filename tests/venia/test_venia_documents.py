"""Venia's own documents (tests/venia/venia_operations.json, extracted from the npm packages
by tests/venia/extract.py) validate against our schema.

Checkout, cart and account: every operation validates except those in ``UNSUPPORTED``, the one
list of what we do not answer, each with its reason. Catalog and CMS/store operations belong to
the catalog work (issue 19): the ones that validate today are pinned in ``CATALOG_VALIDATING``,
which that work grows; the counts per area are printed (``pytest -s``).
"""

from collections import Counter, defaultdict

import pytest
from graphql import parse, validate

from shop.schema import schema

from .extract import AREAS, load_fixture

CUSTOMER_AREAS = ("checkout", "cart", "account")

# Operation name -> why we do not answer it. Keyed by name: every operation of that name
# (Venia repeats some in several files) must fail validation, so a fixed one leaves the list.
UNSUPPORTED = {
    # --- not this shop's: Braintree ---------------------------------------------------------------
    "setSelectedPaymentMethod": "Braintree credit card (`payment_method.braintree`); this shop takes "
    "Klarna, check / money order and free",
    "GetSavedPayments": "Braintree vault stored cards (`customerPaymentTokens`); Klarna keeps no "
    "card on the shop side",
    "DeleteCreditCardPayment": "Braintree vault stored cards (`deletePaymentToken`)",
    # --- account features not built yet -------------------------------------------------------------
    "GetWishlistItemsForLocalField": "wish lists are not built yet",
    "AddProductToWishlistFromGallery": "wish lists are not built yet",
    "createWishlist": "wish lists are not built yet",
    "addProductToWishlist": "wish lists are not built yet",
    "getWishlistsDialogData": "wish lists are not built yet",
    "GetCustomerWishlist": "wish lists are not built yet",
    "getCustomerWishlist": "wish lists are not built yet",
    "UpdateWishlist": "wish lists are not built yet",
    "RemoveProductsFromWishlist": "wish lists are not built yet",
}

# Catalog and CMS/store operations that validate today; the catalog work adds to it.
CATALOG_VALIDATING = {
    ("catalog", "createCart"),
    ("catalog", "checkUserIsAuthed"),
    ("catalog", "GetFilterInputsForModal"),
    ("catalog", "GetFilterInputsForCategory"),
    ("catalog", "ProductSearch"),
    ("catalog", "GetFilterInputsForSearch"),
    ("catalog", "getSearchAvailableSortMethods"),
    ("cms/store", "getProductDetailForProductPage"),
    ("catalog", "GetCustomerForLeftNav"),
    # categories, categoryList, products by category_uid (shop/graphql/categories.py)
    ("catalog", "GetBreadcrumbs"),
    ("catalog", "GetCategoryList"),
    ("catalog", "GetNavigationMenu"),
    ("catalog", "getMegaMenu"),
    ("catalog", "getCategoriesAvailableSortMethods"),
    # ConfigurableProduct, addConfigurableProductsToCart (shop/graphql/configurable.py,
    # cart/graphql/configurable.py)
    ("catalog", "AddProductToCart"),
    ("catalog", "AddProductToCartFromDialog"),
    ("catalog", "GetProductDetailForATCDialog"),
    ("catalog", "addConfigurableProductToCart"),
    ("catalog", "addSimpleProductToCart"),
    # cmsPage, cmsBlocks (shop/graphql/cms.py); route (shop/graphql/routing.py)
    ("cms/store", "GetCmsPage"),
    ("cms/store", "GetContactPageCmsBlocks"),
    ("cms/store", "cmsBlocks"),
    ("cms/store", "ResolveURL"),
    ("cms/store", "getRouteData"),
    # products.aggregations (shop/layered_navigation.py)
    ("catalog", "getProductFiltersByCategories"),
    ("catalog", "getProductFiltersBySearch"),
    # CategoryInterface.cms_block (a landing page), ProductInterface.url_suffix
    ("catalog", "getCategoryData"),
    ("catalog", "getAutocompleteResults"),
    # contactUs: Magento's answer for a disabled contact form (shop/graphql/cms.py)
    ("cms/store", "SubmitContactForm"),
    # storeConfig, availableStores and currency (shop/graphql/store.py)
    ("catalog", "GetStoreConfigDataForGalleryMOS"),
    ("catalog", "GetStoreConfigForBreadcrumbs"),
    ("catalog", "GetStoreConfigForCategoryList"),
    ("catalog", "GetStoreConfigForCategoryTree"),
    ("catalog", "GetStoreConfigForMegaMenu"),
    ("catalog", "GetWishlistConfigForProductMOS"),
    ("catalog", "getPageSize"),
    ("catalog", "getRootCategoryId"),
    ("catalog", "getStoreConfigData"),
    ("cms/store", "GetStoreConfigForContactUs"),
    ("cms/store", "getAvailableStoresData"),
    ("cms/store", "getCurrencyData"),
    ("cms/store", "getLocale"),
    ("cms/store", "getStoreConfigData"),
    ("cms/store", "getStoreName"),
    ("cms/store", "storeConfigData"),
    # rating_summary (no reviews: 0) and recaptchaV3Config (disabled), found by building and
    # driving the real Venia (tests/venia/test_venia_browser.py)
    ("catalog", "GetCategories"),
    ("cms/store", "GetReCaptchaV3Config"),
    ("catalog", "getProductDetailForProductPage"),
}

FIXTURE = load_fixture()
SENT = [o for o in FIXTURE["operations"] if o["document"] is not None]


def _errors(operation) -> list[str]:
    return [error.message for error in validate(schema.graphql_schema, parse(operation["document"]))]


def _key(operation) -> str:
    return f"{operation['area']} {operation['name']} ({operation['package']}/{operation['file']})"


@pytest.mark.parametrize(
    "operation", [o for o in SENT if o["area"] in CUSTOMER_AREAS and o["name"] not in UNSUPPORTED], ids=_key
)
def test_venia_checkout_cart_and_account_operation_validates(operation):
    assert _errors(operation) == []


@pytest.mark.parametrize(
    "operation", [o for o in SENT if o["area"] in CUSTOMER_AREAS and o["name"] in UNSUPPORTED], ids=_key
)
def test_unsupported_operation_is_still_refused_so_the_list_stays_true(operation):
    assert _errors(operation) != [], f"{operation['name']} validates now: remove it from UNSUPPORTED"


def test_unsupported_list_names_real_operations_and_none_in_checkout_but_braintree():
    names = {o["name"] for o in SENT if o["area"] in CUSTOMER_AREAS}
    assert set(UNSUPPORTED) <= names
    checkout = {o["name"] for o in SENT if o["area"] == "checkout" and o["name"] in UNSUPPORTED}
    assert checkout == {"setSelectedPaymentMethod"}


def test_catalog_and_cms_operations_that_validate_are_the_pinned_ones():
    validating = {(o["area"], o["name"]) for o in SENT if o["area"] not in CUSTOMER_AREAS and not _errors(o)}
    assert validating == CATALOG_VALIDATING


def test_every_operation_has_an_area_and_counts_are_reported():
    assert {o["area"] for o in FIXTURE["operations"]} == set(AREAS)
    counts, valid = Counter(), Counter()
    distinct = defaultdict(set)
    for operation in SENT:
        counts[operation["area"]] += 1
        distinct[operation["area"]].add(operation["document"])
        valid[operation["area"]] += not _errors(operation)
    print()
    for area in AREAS:
        print(
            f"Venia {area}: {valid[area]} of {counts[area]} operations validate "
            f"({len(distinct[area])} distinct documents)"
        )
    assert sum(counts.values()) == len(SENT)
