"""The admin's "By store" filter for records carrying a ``store`` (NULL: the default store)."""

from django.contrib import admin

from shop.store import all_stores


class StoreListFilter(admin.SimpleListFilter):
    title = "store"
    parameter_name = "store"

    def lookups(self, request, model_admin):
        return [(s.code, f"{s.code} ({s.currency})") for s in all_stores()]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        found = next((s for s in all_stores() if s.code == code), None)
        if found is None:
            return queryset.none()
        if found.pk is None:
            return queryset.filter(store__isnull=True)
        return queryset.filter(store_id=found.pk)
