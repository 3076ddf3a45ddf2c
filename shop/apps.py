from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Catalog and store"

    def ready(self):
        from . import tax_rates  # noqa: F401 - connects the cache's invalidation to TaxRate saves
