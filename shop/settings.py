"""Settings for the shop, read once from the environment (and an optional .env file).

Every knob an operator can turn is listed in README.md and CONTRACT.md §2. Code reads
``settings.X``. Outside this module only process start-up reads ``os.environ``
(``manage.py``, the WSGI entry points, ``gunicorn.conf.py``) and the Klarna client, which reads
requests' own CA-bundle variables once per session (it turns off requests' per-call reading).
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from shop.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS and browser security (`manage.py check --deploy`) -------------------------------------
# Secure by default when DEBUG is false; every value can be overridden (see .env.example).
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO, and make sure
# the proxy overwrites that header: Django then trusts it to tell https from http.
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="").strip().upper().replace("-", "_")
if _proxy_ssl_header and not _proxy_ssl_header.startswith("HTTP_"):
    _proxy_ssl_header = "HTTP_" + _proxy_ssl_header
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancer probes speak plain http to the app server; never redirect them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = env.str("X_FRAME_OPTIONS", default="DENY")
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
# Klarna may open its own window (some payment methods) and talk back to the checkout page.
SECURE_CROSS_ORIGIN_OPENER_POLICY = env.str(
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", default="same-origin-allow-popups"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "graphene_django",
    "shop",
    "cart",
    "checkout",
    "payments_klarna",
    # The shared cache's table (a migration of its own) and its atomic-incr database backend.
    "shop.cache",
]
# The Klarna emulator (klarna_emulator, its tables and URLs) joins below, in emulator mode only.

MIDDLEWARE = [
    # First, so every log line of the request (other middleware included) carries its id.
    "shop.request_id.RequestIdMiddleware",
    # Second, so it sees the cookies every other middleware adds: nothing private cacheable.
    "shop.shared_cache.SharedCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, ignoring a forged session cookie (shop/sessions.py).
    "shop.sessions.SessionMiddleware",
    # Before CommonMiddleware (its slash redirect asks the store's URLconf): /<store code>/ pages.
    "shop.store_urls.StoreUrlMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.csp_middleware.CSPMiddleware",  # django-csp's, the policy built once
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "csp.context_processors.nonce",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.store",
                "cart.context_processors.session_cart_facts",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# With persistent connections: check a reused connection once per request (one extra round trip)
# so a database restart costs no failed request.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=False))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameter binding lets psycopg prepare a statement after it has run
    # DATABASE_PREPARE_THRESHOLD times on a connection: PostgreSQL then skips parsing and
    # planning the shop's fixed queries (measured in bench/: PG CPU per checkout down by a third).
    # Behind a transaction-pooling PgBouncer older than 1.21, set DATABASE_PREPARE_THRESHOLD=-1.
    _threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=2)
    if _threshold >= 0:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options.setdefault("server_side_binding", True)
        _options.setdefault("prepare_threshold", _threshold)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing with "database is locked" under concurrent requests
    # (and the email sender thread): transactions take the write lock when they begin, so a
    # reader never has to upgrade its lock (SQLite refuses an upgrade at once, not after timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The storefront's languages (issue 17 part 5): English is the source; a store whose first locale
# has a translation here shows its pages in it (shop.store_urls), never from Accept-Language.
LANGUAGES = [("en", "English"), ("sv", "Svenska"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEBUG:
    # GraphiQL's vendored browser files (scripts/refresh_graphiql.py): GraphiQL is served only
    # while DEBUG, so production neither collects nor serves them.
    STATICFILES_DIRS.append(BASE_DIR / "static_debug")
# `manage.py collectstatic` copies (hashed, compressed when DEBUG is false) files here; WhiteNoise serves them.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Store configuration -------------------------------------------------------------------------
STORE_NAME = env.str("STORE_NAME", default="Klarna Demo Store")
STORE_CURRENCY = env.str("STORE_CURRENCY", default="EUR").upper()
STORE_COUNTRY = env.str("STORE_COUNTRY", default="DE").upper()
# How money is written everywhere (pages, their scripts, emails, admin, the locale Klarna's widget
# gets): a BCP 47 locale such as "en-DE". Empty: LANGUAGE_CODE's language in STORE_COUNTRY, so an
# English page of a German store writes "237,20 €", as Klarna's widget does (shop.money).
STORE_LOCALE = env.str("STORE_LOCALE", default="")
# The store code a client names in /graphql's `Store` header (Magento's store view code).
STORE_CODE = env.str("STORE_CODE", default="default")
PRICES_INCLUDE_TAX = env.bool("PRICES_INCLUDE_TAX", default=True)
# Countries the store sells to; empty means every country that has tax rates configured.
ALLOWED_COUNTRIES = [c.upper() for c in env.list("ALLOWED_COUNTRIES", default=[])]
# How long each process keeps a country's tax rates (shop/tax_rates.py); 0 reads them every time.
TAX_RATES_CACHE_SECONDS = env.int("TAX_RATES_CACHE_SECONDS", default=60)
# How long each process keeps the stores (shop/store.py); 0 reads them on every request.
STORES_CACHE_SECONDS = env.int("STORES_CACHE_SECONDS", default=60)

# Magento's newsletter/subscription/allow_guest_subscribe (default on): guests may subscribe an email.
NEWSLETTER_ALLOW_GUEST_SUBSCRIBE = env.bool("NEWSLETTER_ALLOW_GUEST_SUBSCRIBE", default=True)

# Shipping carriers (Magento's flatrate and freeshipping). Amounts are in store currency and
# follow PRICES_INCLUDE_TAX like catalog prices do.
SHIPPING_FLATRATE_PRICE = Decimal(env.str("SHIPPING_FLATRATE_PRICE", default="5.00"))
SHIPPING_FREESHIPPING_THRESHOLD = Decimal(env.str("SHIPPING_FREESHIPPING_THRESHOLD", default="100.00"))
SHIPPING_TAX_CLASS = env.str("SHIPPING_TAX_CLASS", default="standard")
# How the storefront names each method and when it arrives. Presentation only: GraphQL keeps
# Magento's carrier/method codes and titles ("Flat Rate"/"Fixed", "Free Shipping"/"Free").
SHIPPING_FLATRATE_NAME = env.str("SHIPPING_FLATRATE_NAME", default="Standard delivery")
SHIPPING_FLATRATE_ESTIMATE = env.str("SHIPPING_FLATRATE_ESTIMATE", default="Arrives in 2–4 business days")
SHIPPING_FREESHIPPING_NAME = env.str("SHIPPING_FREESHIPPING_NAME", default="Free delivery")
SHIPPING_FREESHIPPING_ESTIMATE = env.str(
    "SHIPPING_FREESHIPPING_ESTIMATE", default="Arrives in 2–4 business days"
)

# Check / Money order (Magento's payment/checkmo/payable_to and mailing_address): what the
# shopper is told at checkout and on the confirmation. Newlines in the address are kept.
CHECKMO_PAYABLE_TO = env.str("CHECKMO_PAYABLE_TO", default=STORE_NAME)
CHECKMO_MAILING_ADDRESS = env.str(
    "CHECKMO_MAILING_ADDRESS",
    default="Klarna Demo Store\nMusterstraße 1\n10115 Berlin\nGermany",
    multiline=True,
)

# --- Klarna ----------------------------------------------------------------------------------------
# A production configuration never falls back to the emulator: with DEBUG=false Klarna needs
# credentials and an explicit KLARNA_ENVIRONMENT (playground or production), or KLARNA_ENABLED=false.
# The emulator (orders "paid" by nobody) runs only with DEBUG=true, or with DEBUG=false when an
# operator says so explicitly for a benchmark or a demo (KLARNA_EMULATOR_WITHOUT_DEBUG=true; then
# `check --deploy` fails and /readyz is not ready, so it cannot pass for a real shop).
KLARNA_ENABLED = env.bool("KLARNA_ENABLED", default=True)
KLARNA_API_USERNAME = env.str("KLARNA_API_USERNAME", default="")
KLARNA_API_PASSWORD = env.str("KLARNA_API_PASSWORD", default="")
KLARNA_EMULATOR_WITHOUT_DEBUG = env.bool("KLARNA_EMULATOR_WITHOUT_DEBUG", default=False)
_klarna_environment = env.str("KLARNA_ENVIRONMENT", default="").strip().lower()
if _klarna_environment and _klarna_environment not in {"emulator", "playground", "production"}:
    raise ImproperlyConfigured("KLARNA_ENVIRONMENT must be emulator, playground or production.")
if not _klarna_environment:
    if DEBUG:
        _klarna_environment = "playground" if KLARNA_API_USERNAME else "emulator"
    elif KLARNA_ENABLED:
        raise ImproperlyConfigured(
            "KLARNA_ENVIRONMENT must be set to playground or production (with KLARNA_API_USERNAME and "
            "KLARNA_API_PASSWORD) when DEBUG is false, or Klarna turned off with KLARNA_ENABLED=false."
        )
    else:
        # Klarna off and never configured: no Klarna client can be built (payments_klarna.client).
        _klarna_environment = "disabled"
KLARNA_ENVIRONMENT = _klarna_environment
if KLARNA_ENVIRONMENT == "emulator" and not DEBUG and not KLARNA_EMULATOR_WITHOUT_DEBUG:
    raise ImproperlyConfigured(
        "KLARNA_ENVIRONMENT=emulator is refused when DEBUG is false: the emulator pays no order. Set "
        "KLARNA_ENVIRONMENT=playground or production with KLARNA_API_USERNAME and KLARNA_API_PASSWORD, "
        "or KLARNA_ENABLED=false (KLARNA_EMULATOR_WITHOUT_DEBUG=true only for benchmarks and demos)."
    )
if (
    KLARNA_ENABLED
    and KLARNA_ENVIRONMENT in {"playground", "production"}
    and not DEBUG
    and not (KLARNA_API_USERNAME and KLARNA_API_PASSWORD)
):
    raise ImproperlyConfigured(
        f"KLARNA_API_USERNAME and KLARNA_API_PASSWORD must be set for KLARNA_ENVIRONMENT={KLARNA_ENVIRONMENT} "
        "when DEBUG is false (or turn Klarna off with KLARNA_ENABLED=false)."
    )
KLARNA_REGION = env.str("KLARNA_REGION", default="eu").lower()
if KLARNA_REGION not in {"eu", "na", "oc"}:
    raise ImproperlyConfigured("KLARNA_REGION must be eu, na or oc.")
KLARNA_API_URL = env.str("KLARNA_API_URL", default="")
# Further Klarna accounts, one per market or region, named by stores (shop.models.Store.klarna_account):
# KLARNA_<NAME>_API_USERNAME, KLARNA_<NAME>_API_PASSWORD, KLARNA_<NAME>_REGION (default KLARNA_REGION).
# Read from the environment only; never stored in the database. A store naming an account missing
# here is refused at start by a system check (payments_klarna.checks, outside emulator mode).
KLARNA_ACCOUNTS = {}
for _key in sorted(os.environ):
    _match = re.fullmatch(r"KLARNA_([A-Z0-9_]+?)_API_USERNAME", _key)
    if not _match:
        continue
    _name = _match.group(1)
    _region = env.str(f"KLARNA_{_name}_REGION", default=KLARNA_REGION).lower()
    if _region not in {"eu", "na", "oc"}:
        raise ImproperlyConfigured(f"KLARNA_{_name}_REGION must be eu, na or oc.")
    KLARNA_ACCOUNTS[_name] = {
        "username": env.str(_key),
        "password": env.str(f"KLARNA_{_name}_API_PASSWORD", default=""),
        "region": _region,
    }
KLARNA_JS_SDK_URL = env.str("KLARNA_JS_SDK_URL", default="")
# klarna_reconcile (run from cron every minute): seconds to wait for the browser after Klarna's
# authorization callback; age of uncertain / authorized placements before they are resolved;
# how long a host's claim on a unit of work lasts; days before expiry to warn about.
KLARNA_AUTHORIZATION_CALLBACK_GRACE = env.int("KLARNA_AUTHORIZATION_CALLBACK_GRACE", default=120)
KLARNA_RECONCILE_UNCERTAIN_AFTER = env.int("KLARNA_RECONCILE_UNCERTAIN_AFTER", default=60)
KLARNA_RECONCILE_AUTHORIZED_AFTER = env.int("KLARNA_RECONCILE_AUTHORIZED_AFTER", default=300)
KLARNA_RECONCILE_LEASE = env.int("KLARNA_RECONCILE_LEASE", default=300)
# Age of a shipment capture / credit memo refund whose Klarna answer was lost before the cron
# asks Klarna again with its stored idempotency key (staff may still be retrying it themselves).
KLARNA_RECONCILE_PENDING_AFTER = env.int("KLARNA_RECONCILE_PENDING_AFTER", default=120)
KLARNA_EXPIRY_WARNING_DAYS = env.int("KLARNA_EXPIRY_WARNING_DAYS", default=7)
_timeout = env.list("KLARNA_TIMEOUT", default=["3", "10"])
if len(_timeout) == 1:
    _timeout = [_timeout[0], _timeout[0]]
KLARNA_TIMEOUT = (float(_timeout[0]), float(_timeout[1]))

# Emulator mode: the emulator is an app of its own (tables, URLs under /klarna-emulator/), absent
# from every other configuration. The client reaches it in-process through a requests adapter
# named here (nothing imports the emulator statically), unless KLARNA_API_URL points at a
# standalone one. Its fault-injection endpoint exists only with DEBUG=true.
KLARNA_EMULATOR = KLARNA_ENVIRONMENT == "emulator"
KLARNA_EMULATOR_WITHOUT_DEBUG = KLARNA_EMULATOR and KLARNA_EMULATOR_WITHOUT_DEBUG and not DEBUG
KLARNA_EMULATOR_FAULTS = KLARNA_EMULATOR and DEBUG
KLARNA_IN_PROCESS_TRANSPORT = "klarna_emulator.transport.mount" if KLARNA_EMULATOR else ""
# Emulator only: every API answer (Payments, Order Management) takes this many milliseconds more,
# like Klarna's real round trip (``python -m bench load --klarna-latency``). 0: answers at once.
KLARNA_EMULATOR_LATENCY_MS = env.int("KLARNA_EMULATOR_LATENCY_MS", default=0) if KLARNA_EMULATOR else 0
if KLARNA_EMULATOR:
    INSTALLED_APPS.append("klarna_emulator")
    if not KLARNA_API_USERNAME:
        # The emulator checks HTTP Basic like Klarna does; any non-empty pair is accepted.
        KLARNA_API_USERNAME, KLARNA_API_PASSWORD = "emulator-merchant", "emulator-secret"

# --- Content-Security-Policy on every response (shop/content_security.py, django-csp) -------------
# Scripts only from the shop and Klarna (in emulator mode: the shop alone). KLARNA_CSP_SOURCES adds
# origins (Klarna serves some browsers from other hosts); CSP_REPORT_ONLY=true sends the same
# policy as Content-Security-Policy-Report-Only, to watch a rollout before enforcing it.
from shop.content_security import klarna_sources, policy  # noqa: E402

CONTENT_SECURITY_POLICY = policy(
    klarna_sources(
        emulator=KLARNA_EMULATOR,
        enabled=KLARNA_ENABLED,
        sdk_url=KLARNA_JS_SDK_URL,
        extra=env.list("KLARNA_CSP_SOURCES", default=[]),
    )
)
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY, CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY, None

# --- Email (checkout.email_outbox): every shopper email is an outbox row sent after commit ------
# EMAIL_URL picks Django's backend (django-environ: smtp://user:pass@host:25, smtp+tls://...,
# consolemail://). DEBUG defaults to the console, so `make run` prints the mail. With DEBUG=false
# EMAIL_URL must be set, and the console (mail printed, never delivered) is refused, like the
# Klarna emulator: a production shop that silently sends no confirmation must not start.
_email_url = env.str("EMAIL_URL", default="").strip()
if not DEBUG and not _email_url:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is false (e.g. smtp+tls://user:password@mail.example.com:587): "
        "the shop sends order confirmations."
    )
if not DEBUG and _email_url.split(":", 1)[0] == "consolemail":
    raise ImproperlyConfigured(
        "EMAIL_URL=consolemail:// is refused when DEBUG is false: the console backend delivers no mail."
    )
# (env.email_url's parser; unset parts keep Django's defaults)
vars().update(
    {k: v for k, v in env.email_url_config(_email_url or "consolemail://").items() if v is not None}
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shop@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Seconds an SMTP connection may hang; far below EMAIL_OUTBOX_CLAIM_MINUTES, so a claim never
# expires while its sender is still talking to the server (no second host sends the same row).
# With EMAIL_OUTBOX_SEND=inline the first try runs in the request right after its commit: a mail
# server that does not answer delays that response by at most this long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# A failed send is retried after 1, 2, 4 ... minutes (at most EMAIL_OUTBOX_BACKOFF_CAP minutes
# apart); after EMAIL_OUTBOX_MAX_ATTEMPTS attempts the row is ``failed`` (admin: retry action).
EMAIL_OUTBOX_MAX_ATTEMPTS = env.int("EMAIL_OUTBOX_MAX_ATTEMPTS", default=8)
EMAIL_OUTBOX_BACKOFF_CAP = env.int("EMAIL_OUTBOX_BACKOFF_CAP", default=60)
EMAIL_OUTBOX_CLAIM_MINUTES = env.int("EMAIL_OUTBOX_CLAIM_MINUTES", default=10)
# Who sends an email committed by a request (checkout.email_outbox): "background" (default) this
# process's sender thread, after the response; "inline" the request itself, before its response;
# "cron" only `manage.py send_outbox` (run it every minute in every mode: it is the backstop).
EMAIL_OUTBOX_SEND = env.str("EMAIL_OUTBOX_SEND", default="background")
if EMAIL_OUTBOX_SEND not in ("background", "inline", "cron"):
    raise ImproperlyConfigured(
        f"EMAIL_OUTBOX_SEND must be background, inline or cron, not {EMAIL_OUTBOX_SEND!r}"
    )

# /readyz: checks contributed by the apps (shop.health), each a function returning {"ok": ...}.
READINESS_CHECKS = {"klarna": "payments_klarna.checks.klarna_mode"}

GRAPHENE = {"SCHEMA": "shop.schema.schema"}

# --- Logs (shop.logs): JSON lines for collectors, text for a terminal; request id in every line ---
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json").lower()
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)

# --- Shared state: every app server behind the load balancer sees the same cache and sessions ---
# Default: the database (table created by the shop.cache migration). CACHE_URL or REDIS_URL
# (redis://host:6379/0) switches to Django's Redis backend (`pip install '.[redis]'`).
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL/REDIS_URL must be a redis://, rediss:// or unix:// URL.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shop"),
        }
    }
else:
    CACHES = {
        "default": {
            # Django's DatabaseCache with an atomic incr (throttling counters).
            "BACKEND": "shop.cache.backends.DatabaseCache",
            "LOCATION": "shop_cache",
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shop"),
            # Culling at Django's default 300 entries would drop live throttle counters.
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=50000)},
        }
    }
# Sessions (admin sign-in) in the database; with Redis, read through the cache, still saved in
# the database so a Redis restart signs nobody out.
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if _cache_url
    else "django.contrib.sessions.backends.db",
)

# --- Customer accounts -------------------------------------------------------------------------------
# Lifetime of a /graphql customer token in seconds (Magento's default: one hour).
CUSTOMER_TOKEN_LIFETIME = env.int("CUSTOMER_TOKEN_LIFETIME", default=3600)
# How long a password reset link works (Magento's default: 2 hours). Django's token setting.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)
# Where the reset email's link points when a PWA is the storefront (Venia's page is
# /customer/account/createPassword/), with {token} and {email}; empty: this shop's own page.
PASSWORD_RESET_LINK = env.str("PASSWORD_RESET_LINK", default="")
# Failed sign-ins allowed per email in the window (seconds) before sign-in answers "too many".
CUSTOMER_SIGN_IN_ATTEMPTS = env.int("CUSTOMER_SIGN_IN_ATTEMPTS", default=5)
CUSTOMER_SIGN_IN_WINDOW = env.int("CUSTOMER_SIGN_IN_WINDOW", default=900)
LOGIN_URL = "accounts:sign-in"

# --- Cart ------------------------------------------------------------------------------------------
# How long a placeOrder in flight blocks other changes to its cart (seconds). Longer than the
# Klarna read timeout with its retries, so a slow Klarna never lets a cart change mid-payment.
CART_PLACING_TIMEOUT = env.int("CART_PLACING_TIMEOUT", default=120)
CART_MAX_QTY_PER_LINE = env.int("CART_MAX_QTY_PER_LINE", default=10000)
# The payment providers (cart.payment_methods.PaymentProvider), in the order their methods are
# listed; each says which method codes it handles.
PAYMENT_PROVIDERS = env.list(
    "PAYMENT_PROVIDERS",
    default=["payments_klarna.provider.KlarnaPayments", "checkout.offline_payments.OfflinePayments"],
)
# Absolute base URL of the storefront, for links sent to Klarna (merchant_urls).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- GraphQL limits ---------------------------------------------------------------------------------
GRAPHQL_MAX_BODY_BYTES = env.int("GRAPHQL_MAX_BODY_BYTES", default=256 * 1024)
GRAPHQL_MAX_QUERY_LENGTH = env.int("GRAPHQL_MAX_QUERY_LENGTH", default=64 * 1024)
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=15)
GRAPHQL_MAX_FIELDS = env.int("GRAPHQL_MAX_FIELDS", default=1000)
# Seconds a CDN or browser may keep a public /graphql answer (catalog and store queries over GET
# without a bearer token; see shop/graphql/http_cache.py).
GRAPHQL_CACHE_MAX_AGE = env.int("GRAPHQL_CACHE_MAX_AGE", default=300)
