"""Magento's category queries: ``categories`` (paged ``CategoryResult``) and the deprecated
``categoryList``, the ``CategoryTree`` type and ``ProductInterface.categories``.

The rules live in ``shop.categories``; every resolver here reads one ``CategoryTree`` snapshot
per request (``category_tree``), so children, breadcrumbs and product counts of any number of
categories cost a fixed number of queries.
"""

import graphene
from django.db.models import prefetch_related_objects

from shop import catalog, categories, store
from shop.models import Category
from shop.models import CmsBlock as CmsBlockModel

from .cms import CmsBlock
from .ids import decode_uid, encode_uid
from .inputs import FilterEqualTypeInput, FilterMatchTypeInput, ProductAttributeSortInput
from .routable import RoutableInterface
from .sort import product_sort
from .types import ProductInterface, SearchResultPageInfo, page_info


def category_tree(info) -> categories.CategoryTree:
    """The request's snapshot of the tree, loaded on first use (one query)."""
    cache = info.context.__dict__.setdefault("_category_tree", [])
    if not cache:
        cache.append(categories.CategoryTree.load())
    return cache[0]


def landing_page(category: Category, info) -> CmsBlockModel | None:
    """The category's active landing page block. The blocks of the whole tree are one query,
    on first use in a request."""
    if category.landing_page_id is None:
        return None
    cache = info.context.__dict__.setdefault("_landing_pages", [])
    if not cache:
        tree = category_tree(info)
        ids = {c.landing_page_id for c in tree.by_id.values() if c.landing_page_id is not None}
        ids.add(category.landing_page_id)
        cache.append({b.pk: b for b in CmsBlockModel.objects.filter(pk__in=ids, is_active=True)})
    return cache[0].get(category.landing_page_id)


def _uids_to_ids(values: list[str]) -> list[int | None]:
    return [decode_uid(value) for value in values]


def _id(value: str) -> int | None:
    """A category id as a client typed it; None for anything but plain ASCII digits."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _ids(values: list[str]) -> list[int | None]:
    return [_id(value) for value in values]


def _equal(value) -> catalog.EqualFilter | None:
    return None if value is None else catalog.EqualFilter(eq=value.get("eq"), in_=value.get("in_"))


def category_filter(value) -> categories.CategoryFilter | None:
    """``CategoryFilterInput`` -> the domain's filter (uids decoded; ``ids`` and ``category_uid``
    together must both match, as every Magento filter field)."""
    if not value:
        return None
    ids = None
    for field, decode in (("ids", _ids), ("category_uid", _uids_to_ids)):
        equal = _equal(value.get(field))
        if equal is not None:
            wanted = decode(equal.values())
            ids = wanted if ids is None else [pk for pk in ids if pk in wanted]
    parent_ids = None
    for field, decode in (("parent_id", _ids), ("parent_category_uid", _uids_to_ids)):
        equal = _equal(value.get(field))
        if equal is not None:
            wanted = decode(equal.values())
            parent_ids = wanted if parent_ids is None else [pk for pk in parent_ids if pk in wanted]
    name = value.get("name")
    return categories.CategoryFilter(
        ids=ids,
        parent_ids=parent_ids,
        url_key=_equal(value.get("url_key")),
        url_path=_equal(value.get("url_path")),
        name=None if name is None else name.get("match"),
    )


class CategoryFilterInput(graphene.InputObjectType):
    """Magento's category filters; several fields must all match."""

    ids = graphene.Field(FilterEqualTypeInput, description="Deprecated: use `category_uid`.")
    category_uid = graphene.Field(FilterEqualTypeInput)
    name = graphene.Field(FilterMatchTypeInput)
    parent_id = graphene.Field(FilterEqualTypeInput)
    parent_category_uid = graphene.Field(FilterEqualTypeInput)
    url_key = graphene.Field(FilterEqualTypeInput)
    url_path = graphene.Field(FilterEqualTypeInput)


class Breadcrumb(graphene.ObjectType):
    category_id = graphene.Int(deprecation_reason="Use `category_uid` instead.")
    category_uid = graphene.ID(required=True)
    category_level = graphene.Int()
    category_name = graphene.String()
    category_url_key = graphene.String()
    category_url_path = graphene.String()

    # root: shop.models.Category (an ancestor)
    @staticmethod
    def resolve_category_id(c, info):
        return c.pk

    @staticmethod
    def resolve_category_uid(c, info):
        return encode_uid(c.pk)

    @staticmethod
    def resolve_category_level(c, info):
        return c.level

    @staticmethod
    def resolve_category_name(c, info):
        return c.name

    @staticmethod
    def resolve_category_url_key(c, info):
        return c.url_key

    @staticmethod
    def resolve_category_url_path(c, info):
        return c.url_path or None


class CategoryProducts(graphene.ObjectType):
    items = graphene.List(ProductInterface)
    page_info = graphene.Field(SearchResultPageInfo)
    total_count = graphene.Int()

    # root: shop.catalog.ProductPage
    @staticmethod
    def resolve_items(page, info):
        return page.items

    @staticmethod
    def resolve_page_info(page, info):
        return page_info(page)

    @staticmethod
    def resolve_total_count(page, info):
        return page.total_count


class CategoryInterface(graphene.Interface):
    uid = graphene.ID(required=True)
    id = graphene.Int(deprecation_reason="Use `uid` instead.")
    name = graphene.String()
    url_key = graphene.String()
    url_path = graphene.String()
    url_suffix = graphene.String()
    position = graphene.Int()
    level = graphene.Int()
    path = graphene.String()
    include_in_menu = graphene.Int()
    is_anchor = graphene.Int()
    children_count = graphene.String()
    product_count = graphene.Int()
    breadcrumbs = graphene.List(Breadcrumb)
    description = graphene.String()
    image = graphene.String()
    display_mode = graphene.String()
    meta_title = graphene.String()
    meta_keywords = graphene.String()
    meta_description = graphene.String()
    canonical_url = graphene.String()
    cms_block = graphene.Field(CmsBlock, description="The category's landing page: a CMS block, or null.")
    products = graphene.Field(
        CategoryProducts,
        pageSize=graphene.Int(default_value=catalog.DEFAULT_PAGE_SIZE),
        currentPage=graphene.Int(default_value=1),
        sort=graphene.Argument(ProductAttributeSortInput),
    )

    # root: shop.models.Category
    @staticmethod
    def resolve_uid(c, info):
        return encode_uid(c.pk)

    @staticmethod
    def resolve_id(c, info):
        return c.pk

    @staticmethod
    def resolve_url_path(c, info):
        return c.url_path or None  # a root category has none (Magento answers null)

    @staticmethod
    def resolve_url_suffix(c, info):
        return store.CATEGORY_URL_SUFFIX

    @staticmethod
    def resolve_include_in_menu(c, info):
        return int(c.include_in_menu)

    @staticmethod
    def resolve_is_anchor(c, info):
        return 1  # every category lists its subcategories' products too

    @staticmethod
    def resolve_children_count(c, info):
        # Magento's children_count counts the whole subtree, as a string.
        return str(len(category_tree(info).subtree_ids(c)) - 1)

    @staticmethod
    def resolve_product_count(c, info):
        return category_tree(info).product_count(c)

    @staticmethod
    def resolve_breadcrumbs(c, info):
        return category_tree(info).breadcrumbs(c) or None  # Magento: null at the top of the menu

    @staticmethod
    def resolve_description(c, info):
        return c.description or None

    @staticmethod
    def resolve_image(c, info):
        url = c.image_url
        if url.startswith("/"):
            url = info.context.build_absolute_uri(url)
        return url or None

    @staticmethod
    def resolve_display_mode(c, info):
        # A category page always lists products; with a landing page, the block above them.
        return "PRODUCTS_AND_PAGE" if landing_page(c, info) is not None else "PRODUCTS"

    @staticmethod
    def resolve_cms_block(c, info):
        return landing_page(c, info)

    @staticmethod
    def resolve_meta_title(c, info):
        return c.meta_title or None

    @staticmethod
    def resolve_meta_keywords(c, info):
        return c.meta_keywords or None

    @staticmethod
    def resolve_meta_description(c, info):
        return c.meta_description or None

    @staticmethod
    def resolve_canonical_url(c, info):
        # Magento answers the canonical URL only when the store sets the category canonical tag.
        if not store.CATEGORY_CANONICAL_TAG or not c.url_path:
            return None
        return c.url_path + store.CATEGORY_URL_SUFFIX

    @staticmethod
    def resolve_products(c, info, pageSize, currentPage, sort=None):
        return catalog.search_products(
            filter=catalog.ProductFilter(
                category_ids=category_tree(info).subtree_ids(c), position_category=c.pk
            ),
            page_size=pageSize,
            current_page=currentPage,
            sort=product_sort(sort),
        )


class CategoryTree(graphene.ObjectType):
    class Meta:
        interfaces = (CategoryInterface, RoutableInterface)

    children = graphene.List(lambda: CategoryTree)

    @staticmethod
    def resolve_children(c, info):
        return category_tree(info).children(c)

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, Category)


class CategoryResult(graphene.ObjectType):
    items = graphene.List(CategoryTree)
    page_info = graphene.Field(SearchResultPageInfo)
    total_count = graphene.Int()

    # root: shop.categories.CategoryPage
    @staticmethod
    def resolve_items(page, info):
        return page.items

    @staticmethod
    def resolve_page_info(page, info):
        return page_info(page)

    @staticmethod
    def resolve_total_count(page, info):
        return page.total_count


class CategoryQuery(graphene.ObjectType):
    categories = graphene.Field(
        CategoryResult,
        filters=graphene.Argument(CategoryFilterInput),
        pageSize=graphene.Int(default_value=categories.DEFAULT_PAGE_SIZE),
        currentPage=graphene.Int(default_value=1),
        description="Return a list of categories that match the specified filter.",
    )
    categoryList = graphene.List(
        CategoryTree,
        filters=graphene.Argument(CategoryFilterInput),
        deprecation_reason="Use `categories` instead.",
        description="Return an array of categories based on the specified filters.",
    )

    @staticmethod
    def resolve_categories(root, info, pageSize, currentPage, filters=None):
        return categories.search_categories(
            category_tree(info), category_filter(filters), page_size=pageSize, current_page=currentPage
        )

    @staticmethod
    def resolve_categoryList(root, info, filters=None):
        return category_tree(info).matching(category_filter(filters))


def resolve_product_categories(product, info):
    """``ProductInterface.categories``: the product's shown categories. Reads the links that
    ``products`` prefetched for its page (``prefetch_product_categories``)."""
    tree = category_tree(info)
    links = product.category_links.all()
    shown = [tree.by_id[link.category_id] for link in links if link.category_id in tree.by_id]
    return sorted((c for c in shown if c.parent_id is not None), key=lambda c: tree.order[c.pk])


def prefetch_product_categories(products: list) -> None:
    """One query for the category links of a page of products."""
    prefetch_related_objects(products, "category_links")
