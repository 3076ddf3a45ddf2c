from django.apps import AppConfig


class SharedCacheConfig(AppConfig):
    name = "shop.cache"
    label = "shop_cache"
    verbose_name = "Shared cache"
