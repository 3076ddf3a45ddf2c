from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from shop.graphql.view import ShopGraphQLView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql", ShopGraphQLView.as_view(graphiql=settings.DEBUG), name="graphql"),
]

if settings.KLARNA_ENVIRONMENT == "emulator":
    urlpatterns.append(path("klarna-emulator/", include("payments_klarna.emulator.urls")))
