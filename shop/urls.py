from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from checkout import account_urls as order_account_urls
from shop import account_urls, favicon, health
from shop import views as catalog_views
from shop.graphql.view import ShopGraphQLView

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("graphql", ShopGraphQLView.as_view(), name="graphql"),
    path("", catalog_views.catalog, name="catalog"),
    path("products/<slug:url_key>/", catalog_views.product_detail, name="product"),
    path("c/<path:url_path>/", catalog_views.category, name="category"),
    path("cart/", include("cart.urls")),
    path("checkout/", include("checkout.urls")),
    # One "accounts" namespace: shop's sign-in pages and checkout's "my orders" pages.
    path("account/", include((account_urls.urlpatterns + order_account_urls.urlpatterns, "accounts"))),
    path("klarna/", include("payments_klarna.urls")),
]

if settings.KLARNA_EMULATOR:
    urlpatterns.append(path("klarna-emulator/", include("klarna_emulator.urls")))
