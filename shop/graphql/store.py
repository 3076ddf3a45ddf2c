"""``storeConfig``, ``availableStores`` and ``currency`` in Magento's shape; the values come
from ``shop.store``. Apps above shop add their own StoreConfig fields (gift options, cart
display) through ``shop.graphql.extend.extend_type`` in the root schema."""

import graphene

from shop import catalog, store

from .categories import category_tree
from .ids import encode_uid


def requested_store(info) -> store.Store:
    """The store the request names in its ``Store`` header (the view refused unknown codes)."""
    resolved = getattr(info.context, "store", None)
    if resolved is not None:
        return resolved
    return store.find_store(info.context.headers.get("Store")) or store.default_store()


def _csv(values) -> str:
    return ",".join(str(v) for v in values)


class StoreConfig(graphene.ObjectType):
    """Contains information about a store's configuration."""

    # --- StoreGraphQl: the store view, its group and website --------------------------------------
    id = graphene.Int(deprecation_reason="Use `store_code` instead.")
    code = graphene.String(deprecation_reason="Use `store_code` instead.")
    store_code = graphene.ID()
    store_name = graphene.String()
    store_sort_order = graphene.Int()
    is_default_store = graphene.Boolean()
    store_group_code = graphene.ID()
    store_group_name = graphene.String()
    is_default_store_group = graphene.Boolean()
    website_id = graphene.Int(deprecation_reason="The field should not be used on the storefront.")
    website_code = graphene.ID()
    website_name = graphene.String()
    locale = graphene.String()
    base_currency_code = graphene.String()
    default_display_currency_code = graphene.String()
    timezone = graphene.String()
    weight_unit = graphene.String()
    base_url = graphene.String()
    base_link_url = graphene.String()
    base_static_url = graphene.String()
    base_media_url = graphene.String()
    secure_base_url = graphene.String()
    secure_base_link_url = graphene.String()
    secure_base_static_url = graphene.String()
    secure_base_media_url = graphene.String()
    use_store_in_url = graphene.Boolean()

    # --- CatalogGraphQl ------------------------------------------------------------------------------
    product_url_suffix = graphene.String()
    category_url_suffix = graphene.String()
    product_canonical_tag = graphene.Boolean()
    category_canonical_tag = graphene.Boolean()
    list_mode = graphene.String()
    grid_per_page = graphene.Int()
    grid_per_page_values = graphene.String()
    list_per_page = graphene.Int()
    list_per_page_values = graphene.String()
    catalog_default_sort_by = graphene.String()
    root_category_id = graphene.Int(deprecation_reason="Use `root_category_uid` instead.")
    root_category_uid = graphene.ID()
    # ConfigurableProductGraphQl
    configurable_thumbnail_source = graphene.String()

    # --- CustomerGraphQl, NewsletterGraphQl, ContactGraphQl ---------------------------------------
    minimum_password_length = graphene.String()
    required_character_classes_number = graphene.String()
    customer_access_token_lifetime = graphene.Float()
    create_account_confirmation = graphene.Boolean()
    newsletter_enabled = graphene.Boolean(required=True)
    contact_enabled = graphene.Boolean(required=True)

    # --- ThemeGraphQl --------------------------------------------------------------------------------
    copyright = graphene.String()

    # --- WishlistGraphQl (and Adobe Commerce's multiple wish lists, which Venia asks for) ------------
    magento_wishlist_general_is_enabled = graphene.String()
    enable_multiple_wishlists = graphene.String()
    maximum_number_of_wishlists = graphene.String()

    # root: shop.store.Store
    @staticmethod
    def resolve_id(s, info):
        return s.id

    @staticmethod
    def resolve_code(s, info):
        return s.code

    @staticmethod
    def resolve_store_code(s, info):
        return s.code

    @staticmethod
    def resolve_store_name(s, info):
        return s.name

    @staticmethod
    def resolve_store_sort_order(s, info):
        return s.sort_order

    @staticmethod
    def resolve_is_default_store(s, info):
        return s.is_default

    @staticmethod
    def resolve_store_group_code(s, info):
        return s.group_code

    @staticmethod
    def resolve_store_group_name(s, info):
        return s.group_name

    @staticmethod
    def resolve_is_default_store_group(s, info):
        return True  # one store group per website

    @staticmethod
    def resolve_website_id(s, info):
        return 1  # one website

    @staticmethod
    def resolve_website_code(s, info):
        return s.website_code

    @staticmethod
    def resolve_website_name(s, info):
        return s.website_name

    @staticmethod
    def resolve_locale(s, info):
        return s.locale

    @staticmethod
    def resolve_base_currency_code(s, info):
        return s.currency

    @staticmethod
    def resolve_default_display_currency_code(s, info):
        return s.currency

    @staticmethod
    def resolve_timezone(s, info):
        return s.timezone

    @staticmethod
    def resolve_weight_unit(s, info):
        return s.weight_unit

    @staticmethod
    def resolve_base_url(s, info):
        return s.base_url

    resolve_base_link_url = resolve_base_url
    resolve_secure_base_url = resolve_base_url
    resolve_secure_base_link_url = resolve_base_url

    @staticmethod
    def resolve_base_static_url(s, info):
        return s.static_url

    resolve_secure_base_static_url = resolve_base_static_url

    @staticmethod
    def resolve_base_media_url(s, info):
        return s.media_url

    resolve_secure_base_media_url = resolve_base_media_url

    @staticmethod
    def resolve_use_store_in_url(s, info):
        return s.use_store_in_url

    @staticmethod
    def resolve_product_url_suffix(s, info):
        return store.PRODUCT_URL_SUFFIX

    @staticmethod
    def resolve_category_url_suffix(s, info):
        return store.CATEGORY_URL_SUFFIX

    @staticmethod
    def resolve_product_canonical_tag(s, info):
        return (
            store.PRODUCT_CANONICAL_TAG
        )  # no <link rel="canonical"> asked of the client (Magento's default)

    @staticmethod
    def resolve_category_canonical_tag(s, info):
        return store.CATEGORY_CANONICAL_TAG

    @staticmethod
    def resolve_list_mode(s, info):
        return store.catalog_listing().mode

    @staticmethod
    def resolve_grid_per_page(s, info):
        return store.catalog_listing().grid_per_page

    @staticmethod
    def resolve_grid_per_page_values(s, info):
        return _csv(store.catalog_listing().grid_per_page_values)

    @staticmethod
    def resolve_list_per_page(s, info):
        return store.catalog_listing().list_per_page

    @staticmethod
    def resolve_list_per_page_values(s, info):
        return _csv(store.catalog_listing().list_per_page_values)

    @staticmethod
    def resolve_catalog_default_sort_by(s, info):
        return catalog.sort_fields(None).default  # a category listing's sort, no search words

    @staticmethod
    def resolve_root_category_id(s, info):
        root = category_tree(info).store_root()
        return root.pk if root else None  # None until the shop has a category

    @staticmethod
    def resolve_root_category_uid(s, info):
        root = category_tree(info).store_root()
        return encode_uid(root.pk) if root else None

    @staticmethod
    def resolve_configurable_thumbnail_source(s, info):
        # Magento's default; no cart item is configurable yet (ConfigurableCartItem never matches).
        return "parent"

    @staticmethod
    def resolve_minimum_password_length(s, info):
        return str(store.password_rules().minimum_length)

    @staticmethod
    def resolve_required_character_classes_number(s, info):
        return str(store.password_rules().required_character_classes)

    @staticmethod
    def resolve_customer_access_token_lifetime(s, info):
        return store.customer_token_lifetime_hours()

    @staticmethod
    def resolve_create_account_confirmation(s, info):
        return False  # createCustomer signs the account in at once; no confirmation email

    @staticmethod
    def resolve_newsletter_enabled(s, info):
        return True  # the newsletter consent is stored with the account (Customer.is_subscribed)

    @staticmethod
    def resolve_contact_enabled(s, info):
        return False  # no contact form

    @staticmethod
    def resolve_copyright(s, info):
        return None  # no copyright line configured

    @staticmethod
    def resolve_magento_wishlist_general_is_enabled(s, info):
        return "0"  # wish lists are not built

    @staticmethod
    def resolve_enable_multiple_wishlists(s, info):
        return "0"

    @staticmethod
    def resolve_maximum_number_of_wishlists(s, info):
        return "0"


class ExchangeRate(graphene.ObjectType):
    currency_to = graphene.String()
    rate = graphene.Float()

    # root: (currency code, Decimal rate)
    @staticmethod
    def resolve_currency_to(rate, info):
        return rate[0]

    @staticmethod
    def resolve_rate(rate, info):
        return float(rate[1])


class Currency(graphene.ObjectType):
    base_currency_code = graphene.String()
    base_currency_symbol = graphene.String()
    default_display_currecy_code = graphene.String(
        deprecation_reason="Symbol was missed. Use `default_display_currency_code`."
    )
    default_display_currency_code = graphene.String()
    default_display_currecy_symbol = graphene.String(
        deprecation_reason="Symbol was missed. Use `default_display_currency_symbol`."
    )
    default_display_currency_symbol = graphene.String()
    available_currency_codes = graphene.List(graphene.String)
    exchange_rates = graphene.List(ExchangeRate)

    # root: shop.store.CurrencyInfo
    @staticmethod
    def resolve_base_currency_code(c, info):
        return c.base_code

    @staticmethod
    def resolve_base_currency_symbol(c, info):
        return c.base_symbol

    @staticmethod
    def resolve_default_display_currency_code(c, info):
        return c.display_code

    resolve_default_display_currecy_code = resolve_default_display_currency_code

    @staticmethod
    def resolve_default_display_currency_symbol(c, info):
        return c.display_symbol

    resolve_default_display_currecy_symbol = resolve_default_display_currency_symbol

    @staticmethod
    def resolve_available_currency_codes(c, info):
        return list(c.available_codes)

    @staticmethod
    def resolve_exchange_rates(c, info):
        return list(c.exchange_rates)


class ReCaptchaFormEnum(graphene.Enum):
    PLACE_ORDER = "PLACE_ORDER"
    CONTACT = "CONTACT"
    CUSTOMER_LOGIN = "CUSTOMER_LOGIN"
    CUSTOMER_FORGOT_PASSWORD = "CUSTOMER_FORGOT_PASSWORD"
    CUSTOMER_CREATE = "CUSTOMER_CREATE"
    CUSTOMER_EDIT = "CUSTOMER_EDIT"
    NEWSLETTER = "NEWSLETTER"
    PRODUCT_REVIEW = "PRODUCT_REVIEW"
    SENDFRIEND = "SENDFRIEND"
    BRAINTREE = "BRAINTREE"
    RESEND_CONFIRMATION_EMAIL = "RESEND_CONFIRMATION_EMAIL"


class ReCaptchaConfigurationV3(graphene.ObjectType):
    """Magento's reCAPTCHA v3 (invisible) settings. This shop protects its forms with its own
    throttles (shop/throttle.py), not Google reCAPTCHA: disabled, no website key, no form —
    Magento's answer when no key is configured, so a PWA (Venia's useGoogleReCaptcha) loads no
    Google script and sends no token."""

    is_enabled = graphene.Boolean(required=True)
    website_key = graphene.String(required=True)
    minimum_score = graphene.Float(required=True)
    badge_position = graphene.String(required=True)
    language_code = graphene.String()
    failure_message = graphene.String(required=True)
    forms = graphene.List(graphene.NonNull(ReCaptchaFormEnum), required=True)


RECAPTCHA_DISABLED = {
    "is_enabled": False,
    "website_key": "",
    "minimum_score": 0.5,  # Magento's default threshold
    "badge_position": "",
    "language_code": None,
    "failure_message": "reCAPTCHA verification failed.",
    "forms": [],
}


class StoreQuery(graphene.ObjectType):
    storeConfig = graphene.Field(StoreConfig, description="Return details about the store's configuration.")
    availableStores = graphene.List(
        StoreConfig,
        useCurrentGroup=graphene.Boolean(description="Filter store views by the current store group."),
        description="Get a list of available store views and their config information.",
    )
    currency = graphene.Field(Currency, description="Return information about the store's currency.")
    recaptchaV3Config = graphene.Field(
        ReCaptchaConfigurationV3,
        description="Returns details about Google reCAPTCHA V3-Invisible configuration.",
    )

    @staticmethod
    def resolve_recaptchaV3Config(root, info):
        return RECAPTCHA_DISABLED

    @staticmethod
    def resolve_storeConfig(root, info):
        return requested_store(info)

    @staticmethod
    def resolve_availableStores(root, info, useCurrentGroup=None):
        return store.available_stores(requested_store(info), same_group=bool(useCurrentGroup))

    @staticmethod
    def resolve_currency(root, info):
        return store.currency_of(requested_store(info))
