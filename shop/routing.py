"""What a storefront url names, for Magento's ``route`` and ``urlResolver``: a product (url key +
the store's product url suffix), a category (url path + category url suffix) or a CMS page
(identifier; ``/`` is the home page). An old url recorded in ``UrlRewrite`` (a url key that
changed) answers the entity at its current url with redirect code 301. Free of GraphQL.

Magento's rules: leading ``/`` are dropped, a query string is kept on the answer's
``relative_url``, and a url that names nothing is ``None`` (the queries answer null).
"""

from dataclasses import dataclass

from django.db.models import Q

from shop import store
from shop.categories import CategoryTree
from shop.cms import HOME_PAGE_IDENTIFIER
from shop.errors import DomainError
from shop.models import Category, CmsPage, Product, UrlRewrite

PRODUCT = "PRODUCT"
CATEGORY = "CATEGORY"
CMS_PAGE = "CMS_PAGE"

_TYPES = {UrlRewrite.PRODUCT: PRODUCT, UrlRewrite.CATEGORY: CATEGORY, UrlRewrite.CMS_PAGE: CMS_PAGE}


@dataclass(frozen=True)
class Route:
    entity: Product | Category | CmsPage
    type: str  # PRODUCT, CATEGORY or CMS_PAGE (Magento's UrlRewriteEntityTypeEnum)
    relative_url: str
    redirect_code: int  # 0: the url itself; 301: an old url of the entity


def entity_type(entity) -> str:
    if isinstance(entity, Product):
        return PRODUCT
    if isinstance(entity, Category):
        return CATEGORY
    return CMS_PAGE


def current_url(entity) -> str:
    """The entity's relative url today (no leading slash, as Magento's request paths)."""
    if isinstance(entity, Product):
        return entity.url_key + store.PRODUCT_URL_SUFFIX
    if isinstance(entity, Category):
        return entity.url_path + store.CATEGORY_URL_SUFFIX
    return entity.identifier


def resolve(url: str | None, tree: CategoryTree | None = None) -> Route | None:
    """The route for ``url``, or None when it names nothing. ``DomainError`` for an empty url.
    At most four small queries (product, categories, page, old urls); ``tree`` saves one."""
    if url is None or not url.strip():
        raise DomainError("url_missing")
    path, _, query = url.strip().partition("?")
    path = path.partition("#")[0]
    if path.startswith("/") and path != "/":
        path = path.lstrip("/")
    if path in ("/", ""):
        path = HOME_PAGE_IDENTIFIER

    route = _live(path, tree) or _rewritten(path, tree)
    if route is None:
        return None
    if query:
        route = Route(route.entity, route.type, f"{route.relative_url}?{query}", route.redirect_code)
    return route


def _strip(path: str, suffix: str) -> str | None:
    if not suffix:
        return path
    return path[: -len(suffix)] if path.endswith(suffix) and len(path) > len(suffix) else None


def _product(**lookup) -> Product | None:
    # A variant is sold through its configurable parent: it has no page of its own.
    return Product.objects.filter(is_active=True, parent__isnull=True, **lookup).first()


def _live(path: str, tree: CategoryTree | None) -> Route | None:
    key = _strip(path, store.PRODUCT_URL_SUFFIX)
    if key is not None and (product := _product(url_key=key)) is not None:
        return Route(product, PRODUCT, current_url(product), 0)
    url_path = _strip(path, store.CATEGORY_URL_SUFFIX)
    if url_path is not None:
        tree = tree or CategoryTree.load()
        if (category := tree.by_url_path(url_path)) is not None:
            return Route(category, CATEGORY, current_url(category), 0)
    page = CmsPage.objects.filter(identifier=path, is_active=True).first()
    if page is not None:
        return Route(page, CMS_PAGE, current_url(page), 0)
    return None


def _rewritten(path: str, tree: CategoryTree | None) -> Route | None:
    """An old url of an entity that is still shown: a permanent redirect to its current url."""
    condition = Q(entity_type=UrlRewrite.CMS_PAGE, request_path=path)
    for kind, suffix in (
        (UrlRewrite.PRODUCT, store.PRODUCT_URL_SUFFIX),
        (UrlRewrite.CATEGORY, store.CATEGORY_URL_SUFFIX),
    ):
        stripped = _strip(path, suffix)
        if stripped is not None:
            condition |= Q(entity_type=kind, request_path=stripped)
    for rewrite in UrlRewrite.objects.filter(condition).order_by("entity_type"):
        entity = None
        if rewrite.entity_type == UrlRewrite.PRODUCT:
            entity = _product(pk=rewrite.entity_id)
        elif rewrite.entity_type == UrlRewrite.CATEGORY:
            category = (tree or CategoryTree.load()).by_id.get(rewrite.entity_id)
            # Only a shown category below the store root (the root is no page).
            entity = category if category is not None and category.url_path else None
        else:
            entity = CmsPage.objects.filter(pk=rewrite.entity_id, is_active=True).first()
        if entity is not None:
            return Route(entity, _TYPES[rewrite.entity_type], current_url(entity), rewrite.redirect_type)
    return None
