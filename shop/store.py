"""What the store is: its codes and names, locale, currency, URLs and the rules it applies.

One place answers "which store, and how is it set up" for GraphQL's ``storeConfig``,
``availableStores`` and ``currency`` and for the ``Store`` header check. A deployment is the
default store built from settings (CONTRACT §2) plus the markets of ``shop.models.Store``
(issue 17). A row whose code is ``STORE_CODE`` may name the default store and list its
countries and locales; its currency, tax mode, shipping and Klarna account are always the
settings', so a deployment without rows behaves as before and a default-store cart is priced
without a query. Rows are read once per process and kept for
``STORES_CACHE_SECONDS`` (cleared at once by a save or delete through the ORM in this process);
settings are merged in when asked, so ``override_settings`` in tests shows at once.

A cart or order refers to its store by ``store_id``; NULL means the default store (``Store.pk``
is None for it), so carts and orders made before markets existed belong to the default store.

In Magento's terms the deployment is one website holding one store group; each market is a
store view of that group. Values are read when asked (never cached at import), so a settings
change (``override_settings`` in tests) shows at once.
"""

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_symbol
from django.conf import settings
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.db.models.signals import post_delete, post_save
from django.utils.translation import to_locale

from shop.catalog import DEFAULT_PAGE_SIZE
from shop.models import Store as StoreRow

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
    # Markets (issue 17). ``pk``: the value of a cart's or order's ``store_id`` (None: default).
    pk: int | None = None
    countries: tuple[str, ...] = ()  # the first is the home country
    locales: tuple[str, ...] = ()  # the first is the default (== locale)
    prices_include_tax: bool = True
    flatrate_price: Decimal = Decimal("5.00")
    free_shipping_threshold: Decimal = Decimal("100.00")
    klarna_account: str = ""  # empty: the default account (KLARNA_API_USERNAME)
    explicit_locales: bool = False  # locales set on its row (else LANGUAGE_CODE's)

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


_lock = threading.Lock()
_rows_cache: tuple[float, int, tuple[StoreRow, ...]] | None = None  # (expiry, generation, rows)
_generation = 0


def _rows() -> tuple[StoreRow, ...]:
    """The active store rows, read once per process for ``STORES_CACHE_SECONDS``."""
    global _rows_cache
    ttl = settings.STORES_CACHE_SECONDS
    now = time.monotonic()
    hit = _rows_cache
    if ttl > 0 and hit is not None and hit[0] > now and hit[1] == _generation:
        return hit[2]
    generation = _generation
    rows = tuple(StoreRow.objects.filter(is_active=True).order_by("sort_order", "id"))
    with _lock:
        if generation == _generation:
            _rows_cache = (now + ttl, generation, rows)
    return rows


def clear(**kwargs) -> None:
    """Forget this process's stores (a store saved or deleted here)."""
    global _generation, _rows_cache
    with _lock:
        _generation += 1
        _rows_cache = None


post_save.connect(clear, sender=StoreRow, dispatch_uid="shop.store.clear.save")
post_delete.connect(clear, sender=StoreRow, dispatch_uid="shop.store.clear.delete")


def _default_from(row: StoreRow | None, base_url: str) -> Store:
    """The default store: name, countries and locales from its row when set, the rest (and
    everything without a row) from the single-store settings."""
    countries = tuple(row.country_list) if row and row.countries else (settings.STORE_COUNTRY,)
    locales = tuple(row.locale_list) if row and row.locales else (to_locale(settings.LANGUAGE_CODE),)
    name = (row.name if row else "") or settings.STORE_NAME

    return Store(
        id=row.pk if row else 1,
        code=settings.STORE_CODE,
        name=name,
        sort_order=row.sort_order if row else 0,
        is_default=True,
        group_code=STORE_GROUP_CODE,
        group_name=name,
        website_code=WEBSITE_CODE,
        website_name=name,
        country=countries[0],
        currency=settings.STORE_CURRENCY,
        locale=locales[0],
        timezone=settings.TIME_ZONE,
        base_url=base_url,
        # The default store's pages are at "/", the others' under "/<store_code>/".
        use_store_in_url=False,
        pk=None,
        countries=countries,
        locales=locales,
        # What prices a cart comes from settings alone, so a default-store cart is priced
        # without reading the database (and exactly as before markets).
        prices_include_tax=settings.PRICES_INCLUDE_TAX,
        flatrate_price=settings.SHIPPING_FLATRATE_PRICE,
        free_shipping_threshold=settings.SHIPPING_FREESHIPPING_THRESHOLD,
        # Klarna: the default account and the market's locale, like its prices from settings.
        klarna_account="",
        explicit_locales=False,
    )


def _market(row: StoreRow, base_url: str, default: Store) -> Store:
    countries = tuple(row.country_list) or default.countries
    locales = tuple(row.locale_list) or default.locales
    return Store(
        id=row.pk,
        code=row.code,
        name=row.name or row.code,
        sort_order=row.sort_order,
        is_default=False,
        group_code=STORE_GROUP_CODE,
        group_name=default.name,
        website_code=WEBSITE_CODE,
        website_name=default.name,
        country=countries[0],
        currency=row.currency or default.currency,
        locale=locales[0],
        timezone=settings.TIME_ZONE,
        base_url=base_url,
        use_store_in_url=True,
        pk=row.pk,
        countries=countries,
        locales=locales,
        prices_include_tax=default.prices_include_tax
        if row.prices_include_tax is None
        else row.prices_include_tax,
        flatrate_price=default.flatrate_price if row.flatrate_price is None else row.flatrate_price,
        free_shipping_threshold=default.free_shipping_threshold
        if row.free_shipping_threshold is None
        else row.free_shipping_threshold,
        klarna_account=row.klarna_account.upper(),
        explicit_locales=bool(row.locales),
    )


def _configured_stores() -> list[Store]:
    """The stores of this deployment, the default one first, then the others in sort order."""
    base_url = settings.SITE_URL.rstrip("/") + "/"
    rows = _rows()
    default_row = next((r for r in rows if r.code == settings.STORE_CODE), None)
    default = _default_from(default_row, base_url)
    return [default] + [_market(r, base_url, default) for r in rows if r is not default_row]


def all_stores() -> list[Store]:
    return _configured_stores()


def default_store() -> Store:
    return _configured_stores()[0]


# The store of the request being served (GraphQL's ``Store`` header), resolved once by the view.
_current: ContextVar[Store | None] = ContextVar("shop_store", default=None)


def current_store() -> Store:
    """The store of the request being served; the default store outside a request."""
    return _current.get() or default_store()


def requested_store() -> Store | None:
    """The store a request named, or None outside a request (no store check applies)."""
    return _current.get()


def current_store_pk() -> int | None:
    """A new cart's ``store_id``: the request's store (None: the default store)."""
    found = _current.get()
    return found.pk if found is not None else None


@contextmanager
def use_store(found: Store):
    token = _current.set(found)
    try:
        yield found
    finally:
        _current.reset(token)


def pricing_store(pk: int | None) -> Store:
    """The store that prices a cart of ``store_id`` ``pk``: for the default store (None) its
    currency, tax mode and shipping, from settings without a query; else ``store_by_pk``."""
    if pk is None:
        return _default_from(None, settings.SITE_URL.rstrip("/") + "/")
    return store_by_pk(pk)


def store_by_pk(pk: int | None) -> Store:
    """The store of a cart's or order's ``store_id`` (None: the default store); a store
    deactivated since is read from its row (one query), so its carts keep their currency."""
    if pk is None:
        return default_store()
    stores = _configured_stores()
    found = next((s for s in stores if s.pk == pk), None)
    if found is None:
        row = StoreRow.objects.get(pk=pk)
        found = _market(row, stores[0].base_url, stores[0])
    return found


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
