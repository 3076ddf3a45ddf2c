from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from checkout import account_urls as order_account_urls
from shop import account_urls, favicon, health
from shop import views as catalog_views
from shop.graphql.view import ShopGraphQLView

# The storefront's pages: at "/" for the default store, under "/<store code>/" for the others
# (shop.store_urls).
storefront_patterns = [
    path("", catalog_views.catalog, name="catalog"),
    path("products/<slug:url_key>/", catalog_views.product_detail, name="product"),
    path("c/<path:url_path>/", catalog_views.category, name="category"),
    path("cart/", include("cart.urls")),
    path("checkout/", include("checkout.urls")),
    # One "accounts" namespace: shop's sign-in pages and checkout's "my orders" pages.
    path("account/", include((account_urls.urlpatterns + order_account_urls.urlpatterns, "accounts"))),
]

# Everything else is the same for every store.
shared_patterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("graphql", ShopGraphQLView.as_view(), name="graphql"),
    path("klarna/", include("payments_klarna.urls")),
]

if settings.KLARNA_EMULATOR:
    shared_patterns.append(path("klarna-emulator/", include("klarna_emulator.urls")))

urlpatterns = shared_patterns + storefront_patterns
