"""What the store is: its codes and names, locale, currency, URLs and the rules it applies.

One place answers "which store, and how is it set up" for GraphQL's ``storeConfig``,
``availableStores`` and ``currency`` and for the ``Store`` header check. Today a deployment is
one store built from settings (CONTRACT §2); markets (issue 17) replace ``_configured_stores``
with rows from the database and everything reading a ``Store`` keeps working.

In Magento's terms the deployment is one website holding one store group; each market is a
store view of that group. Values are read when asked (never cached at import), so a settings
change (``override_settings`` in tests) shows at once.
"""

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_symbol
from django.conf import settings
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.utils.translation import to_locale

from shop.catalog import DEFAULT_PAGE_SIZE

# Magento's codes for the website and store group of a single-site installation.
WEBSITE_CODE = "base"
STORE_GROUP_CODE = "main_website_store"

# Catalog pages live at the url_key with no suffix (the storefront's /products/<url_key>/ and
# Venia's /<url_key>); Magento's default would be ".html". Routing resolves the same paths.
PRODUCT_URL_SUFFIX = ""
CATEGORY_URL_SUFFIX = ""
# Whether clients are asked to add <link rel="canonical"> (Magento's catalog/seo/*_canonical_tag;
# off by default). With it off, a category's ``canonical_url`` is null, as in Magento.
PRODUCT_CANONICAL_TAG = False
CATEGORY_CANONICAL_TAG = False

# Countries whose customary weight unit is the pound (Magento's general/locale/weight_unit).
_POUND_COUNTRIES = frozenset({"US", "LR", "MM"})


@dataclass(frozen=True)
class Store:
    """One store view: what a client names in the ``Store`` header."""

    id: int
    code: str
    name: str
    sort_order: int
    is_default: bool
    group_code: str
    group_name: str
    website_code: str
    website_name: str
    country: str
    currency: str
    locale: str  # Magento's form: en_US
    timezone: str
    base_url: str  # ends with "/"
    use_store_in_url: bool

    @property
    def weight_unit(self) -> str:
        return "lbs" if self.country in _POUND_COUNTRIES else "kgs"

    @property
    def static_url(self) -> str:
        static = settings.STATIC_URL
        if static.startswith(("http://", "https://")):
            return static
        return self.base_url + static.lstrip("/")

    @property
    def media_url(self) -> str:
        # Product images are files under the static URL (shop.demo_store.image_path) or
        # absolute URLs of their own; the shop keeps no separate media storage.
        return self.static_url


@dataclass(frozen=True)
class CurrencyInfo:
    """Magento's ``Currency``: the store's base and display currency and its exchange rates."""

    base_code: str
    base_symbol: str
    display_code: str
    display_symbol: str
    available_codes: tuple[str, ...]
    # (currency_to, rate) from the base currency; the base currency itself at 1.
    exchange_rates: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class PasswordRules:
    """What ``createCustomer`` and ``changeCustomerPassword`` enforce (Django's validators)."""

    minimum_length: int
    required_character_classes: int


@dataclass(frozen=True)
class CatalogListing:
    """Products per page on listing pages. One page size: the ``products`` query's default."""

    mode: str
    grid_per_page: int
    grid_per_page_values: tuple[int, ...]
    list_per_page: int
    list_per_page_values: tuple[int, ...]


def _configured_stores() -> list[Store]:
    """The stores of this deployment, in sort order. Issue 17 reads them from the database."""
    base_url = settings.SITE_URL.rstrip("/") + "/"
    return [
        Store(
            id=1,
            code=settings.STORE_CODE,
            name=settings.STORE_NAME,
            sort_order=0,
            is_default=True,
            group_code=STORE_GROUP_CODE,
            group_name=settings.STORE_NAME,
            website_code=WEBSITE_CODE,
            website_name=settings.STORE_NAME,
            country=settings.STORE_COUNTRY,
            currency=settings.STORE_CURRENCY,
            locale=to_locale(settings.LANGUAGE_CODE),
            timezone=settings.TIME_ZONE,
            base_url=base_url,
            # The default store's pages are at "/", the others' under "/<store_code>/".
            use_store_in_url=False,
        )
    ]


def default_store() -> Store:
    stores = _configured_stores()
    return next((s for s in stores if s.is_default), stores[0])


def find_store(code: str | None) -> Store | None:
    """The store with this code (the ``Store`` header's value); the default store for an empty
    code; None for a code no store has."""
    code = (code or "").strip()
    if not code:
        return default_store()
    return next((s for s in _configured_stores() if s.code == code), None)


def available_stores(current: Store, *, same_group: bool = False) -> list[Store]:
    """Magento's ``availableStores``: the store views of ``current``'s website, or only of its
    store group, in sort order."""
    return [
        s
        for s in _configured_stores()
        if s.website_code == current.website_code and (not same_group or s.group_code == current.group_code)
    ]


def available_currency_codes(store: Store) -> tuple[str, ...]:
    """The currencies a client may ask for (``Content-Currency``): the store's one currency."""
    return (store.currency,)


def currency_of(store: Store) -> CurrencyInfo:
    """The store's one currency: base and display alike, symbols in the store's locale (babel)."""
    symbol = get_currency_symbol(store.currency, locale=store.locale)
    return CurrencyInfo(
        base_code=store.currency,
        base_symbol=symbol,
        display_code=store.currency,
        display_symbol=symbol,
        available_codes=available_currency_codes(store),
        exchange_rates=((store.currency, Decimal(1)),),
    )


def password_rules() -> PasswordRules:
    """Read from AUTH_PASSWORD_VALIDATORS, the rules customer passwords are checked against:
    the length a MinimumLengthValidator sets (at least one character without one). No
    validator asks for character classes, and any non-empty password has one class."""
    lengths = [
        v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)
    ]
    return PasswordRules(minimum_length=max(lengths, default=1), required_character_classes=1)


def catalog_listing() -> CatalogListing:
    return CatalogListing(
        mode="grid",
        grid_per_page=DEFAULT_PAGE_SIZE,
        grid_per_page_values=(DEFAULT_PAGE_SIZE,),
        list_per_page=DEFAULT_PAGE_SIZE,
        list_per_page_values=(DEFAULT_PAGE_SIZE,),
    )


def customer_token_lifetime_hours() -> float:
    """Magento states the customer token lifetime in hours (oauth/access_token_lifetime/customer)."""
    return settings.CUSTOMER_TOKEN_LIFETIME / 3600
