"""The storefront per store (issue 17 part 5): the default store's pages at "/", another
store's under "/<store code>/" (``Store.use_store_in_url``).

``StoreUrlMiddleware`` reads the first path segment once per request. For a store's prefix it
serves the request with that store's URLconf (the storefront's pages under the prefix, so
``{% url %}`` and ``reverse`` write the prefixed paths, and /graphql, /admin, /klarna stay
shared) and with ``shop.store.current_store()`` set to it, as the GraphQL view does from the
``Store`` header. The default store's pages are served exactly as before (no store set).
"""

from functools import cache
from types import ModuleType

from django.conf import settings
from django.urls import NoReverseMatch, get_resolver, include, path, reverse
from django.utils import translation

from . import store as stores


def _root_urlconf():
    """The project's URLconf module (ROOT_URLCONF: its ``storefront_patterns`` and
    ``shared_patterns``), as Django's resolver loads it."""
    return get_resolver(settings.ROOT_URLCONF).urlconf_module


@cache
def urlconf_for(code: str) -> ModuleType:
    """The URLconf of store ``code``: its storefront under "/<code>/", the rest shared."""
    urls = _root_urlconf()
    module = ModuleType(f"shop.urls.store_{code}")
    module.urlpatterns = [*urls.shared_patterns, path(f"{code}/", include(urls.storefront_patterns))]
    return module


@cache
def _shared_segments() -> frozenset[str]:
    """First path segments that are never a store's prefix: the default store's pages and the
    shared endpoints (looked up without reading the stores)."""
    urls = _root_urlconf()
    segments = {str(p.pattern).split("/", 1)[0] for p in [*urls.shared_patterns, *urls.storefront_patterns]}
    static = settings.STATIC_URL.strip("/").split("/", 1)[0]
    return frozenset((segments | {static}) - {""})


def store_of_path(path_info: str) -> stores.Store | None:
    """The non-default store whose prefix starts ``path_info``, or None (the default store).
    Only paths whose first segment is no page of the shop read the stores ("/se" is redirected
    to "/se/" by CommonMiddleware, as it asks the store's URLconf)."""
    first = path_info.lstrip("/").partition("/")[0]
    if not first or first in _shared_segments():
        return None
    found = stores.find_store(first)
    if found is None or found.is_default or not found.use_store_in_url:
        return None
    return found


def store_home(found: stores.Store) -> str:
    """The catalog page of ``found``."""
    return "/" if found.is_default else f"/{found.code}/"


def store_reverse(viewname: str, *, args=(), store: stores.Store | None = None) -> str:
    """``reverse`` of a storefront page in ``store`` (the request's store when None): its
    "/<code>/" path for a market, as on that store's pages (Klarna's confirmation URL)."""
    found = store or stores.current_store()
    urlconf = settings.ROOT_URLCONF if found.is_default else urlconf_for(found.code)
    return reverse(viewname, args=args, urlconf=urlconf)


def path_in_store(request, found: stores.Store) -> str:
    """This page's path in store ``found`` (the store switcher's and hreflang's links)."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return store_home(found)
    urlconf = settings.ROOT_URLCONF if found.is_default else urlconf_for(found.code)
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs, urlconf=urlconf)
    except NoReverseMatch:  # a page without a twin there (not a storefront page): its home
        return store_home(found)


def page_language(found: stores.Store | None) -> str:
    """The language of ``found``'s pages: its first locale's language when the storefront is
    translated into it (``LANGUAGES``), else English (the default store: as before)."""
    if found is None or found.is_default:
        return settings.LANGUAGE_CODE
    language = found.locale.split("_")[0].lower()
    return language if language in dict(settings.LANGUAGES) else "en"


def hreflang(found: stores.Store) -> str:
    """BCP 47 tag of ``found``'s pages: their language in its home country ("sv-SE", "en-GB")."""
    return f"{page_language(found).split('-')[0]}-{found.country}"


class StoreUrlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = store_of_path(request.path_info)
        if found is None:
            request.store = None  # the default store, as before markets
            return self.get_response(request)
        request.store = found
        request.urlconf = urlconf_for(found.code)
        with stores.use_store(found), translation.override(page_language(found)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
