"""The category tree: what the ``categories``/``categoryList`` queries, a product's categories,
the storefront's /c/<url_path>/ pages and the catalog import read and write. Free of GraphQL.

Magento's shape: a category without a parent is a store's root (never a page); the menu starts
at the root's children. A category is shown only when it and all its ancestors are active.
Categories are "anchors" (Magento's default): a category lists and counts the products of its
whole subtree.

Reads go through ``CategoryTree``: one query loads every active category, and the product counts
of a tree are one more query, asked for only when needed, so a query for categories with their
children and counts stays at a fixed number of queries however deep or wide the tree is.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from shop.catalog import EqualFilter
from shop.errors import DomainError
from shop.models import Category, CategoryProduct, Product

DEFAULT_PAGE_SIZE = 20
ROOT_NAME = "Default Category"  # Magento's name for a store's root category
ROOT_URL_KEY = "default-category"


@dataclass(frozen=True)
class CategoryFilter:
    """Magento's ``CategoryFilterInput`` with uids already turned into ids (None for a uid that
    names no category of ours: it matches nothing)."""

    ids: list[int | None] | None = None
    parent_ids: list[int | None] | None = None
    url_key: EqualFilter | None = None
    url_path: EqualFilter | None = None
    name: str | None = None  # a PARTIAL match, as Magento's ``name`` filter

    @property
    def is_empty(self) -> bool:
        return all(
            value is None for value in (self.ids, self.parent_ids, self.url_key, self.url_path, self.name)
        )


@dataclass
class CategoryTree:
    """Every active category, loaded once (a snapshot for one request or one page)."""

    by_id: dict[int, Category]
    children_of: dict[int | None, list[Category]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "CategoryTree":
        """One query. A category under an inactive one is left out with it."""
        rows = list(Category.objects.filter(is_active=True).order_by("level", "position", "id"))
        by_id: dict[int, Category] = {}
        children_of: dict[int | None, list[Category]] = {}
        for category in rows:  # parents come first (ordered by level)
            if category.parent_id is not None and category.parent_id not in by_id:
                continue
            by_id[category.pk] = category
            children_of.setdefault(category.parent_id, []).append(category)
        return cls(by_id=by_id, children_of=children_of)

    # --- navigation -------------------------------------------------------------------------------
    def roots(self) -> list[Category]:
        return self.children_of.get(None, [])

    def store_root(self) -> Category | None:
        """The store's root category: the first root (one store today; markets may name their own)."""
        roots = self.roots()
        return roots[0] if roots else None

    def children(self, category: Category) -> list[Category]:
        return self.children_of.get(category.pk, [])

    def menu(self) -> list[Category]:
        """The top of the storefront's menu: the store root's children shown in the menu."""
        root = self.store_root()
        return [c for c in self.children(root) if c.include_in_menu] if root else []

    def ancestors(self, category: Category) -> list[Category]:
        """From the root down to the parent (the category itself left out)."""
        ids = [int(part) for part in category.path.split("/")[:-1]]
        return [self.by_id[pk] for pk in ids if pk in self.by_id]

    def breadcrumbs(self, category: Category) -> list[Category]:
        """Magento's breadcrumbs: the ancestors below the root."""
        return [c for c in self.ancestors(category) if c.level >= 2]

    def subtree_ids(self, category: Category) -> list[int]:
        ids, stack = [], [category]
        while stack:
            node = stack.pop()
            ids.append(node.pk)
            stack.extend(self.children(node))
        return ids

    def product_filter_ids(self, category_ids: list[int | None]) -> list[int]:
        """What ``products`` filtered by these categories looks in: each shown category's whole
        subtree (anchor categories). Ids of hidden or unknown categories add nothing."""
        found: list[int] = []
        for pk in dict.fromkeys(category_ids):
            if pk in self.by_id:
                found += self.subtree_ids(self.by_id[pk])
        return sorted(set(found))

    @cached_property
    def order(self) -> dict[int, int]:
        """Each shown category's place in tree order (for sorting a product's categories)."""
        ordered = [c for root in self.roots() for c in self.in_tree_order(root)]
        return {c.pk: n for n, c in enumerate(ordered)}

    def in_tree_order(self, top: Category) -> list[Category]:
        """``top`` and its subtree, depth first, siblings by position."""
        ordered, stack = [], [top]
        while stack:
            node = stack.pop()
            ordered.append(node)
            stack.extend(reversed(self.children(node)))
        return ordered

    def by_url_path(self, url_path: str) -> Category | None:
        """The shown (active, under the store root) category at ``url_path``, or None."""
        root = self.store_root()
        if root is None or not url_path:
            return None
        prefix = root.path + "/"
        return next(
            (c for c in self.by_id.values() if c.url_path == url_path and c.path.startswith(prefix)), None
        )

    # --- products -----------------------------------------------------------------------------------
    @cached_property
    def product_counts(self) -> dict[int, int]:
        """Active products in each category's subtree, each counted once. One query."""
        links = CategoryProduct.objects.filter(
            product__is_active=True, category_id__in=list(self.by_id)
        ).values_list("category_id", "product_id")
        direct: dict[int, set[int]] = {}
        for category_id, product_id in links:
            direct.setdefault(category_id, set()).add(product_id)
        counts = {}
        for category in self.by_id.values():
            products: set[int] = set()
            for pk in self.subtree_ids(category):
                products |= direct.get(pk, set())
            counts[category.pk] = len(products)
        return counts

    def product_count(self, category: Category) -> int:
        return self.product_counts.get(category.pk, 0)

    # --- search ---------------------------------------------------------------------------------------
    def matching(self, filter: CategoryFilter | None) -> list[Category]:
        """Magento's ``categories`` search: no filter means the store's root category. Results
        keep to the store root's tree, in tree order (each category before its children,
        siblings by position)."""
        root = self.store_root()
        if root is None:
            return []
        if filter is None or filter.is_empty:
            return [root]
        found = self.in_tree_order(root)
        if filter.ids is not None:
            found = [c for c in found if c.pk in filter.ids]
        if filter.parent_ids is not None:
            found = [c for c in found if c.parent_id in filter.parent_ids]
        if filter.url_key is not None:
            keys = filter.url_key.values()
            found = [c for c in found if c.url_key in keys]
        if filter.url_path is not None:
            paths = filter.url_path.values()
            found = [c for c in found if c.url_path in paths]
        if filter.name is not None and filter.name.strip():
            needle = filter.name.strip().casefold()
            found = [c for c in found if needle in c.name.casefold()]
        return found


@dataclass(frozen=True)
class CategoryPage:
    items: list[Category]
    total_count: int
    page_size: int
    current_page: int

    @property
    def total_pages(self) -> int:
        return -(-self.total_count // self.page_size)


def search_categories(
    tree: CategoryTree,
    filter: CategoryFilter | None,
    *,
    page_size: int | None = DEFAULT_PAGE_SIZE,
    current_page: int | None = 1,
) -> CategoryPage:
    """One page of ``tree.matching(filter)``. Raises ``DomainError`` with Magento's paging
    messages (shared with ``products``): a page or page size below 1, a page past the last."""
    current_page = 1 if current_page is None else current_page
    page_size = DEFAULT_PAGE_SIZE if page_size is None else page_size
    if current_page < 1:
        raise DomainError("products_current_page")
    if page_size < 1:
        raise DomainError("products_page_size")
    found = tree.matching(filter)
    page = CategoryPage(items=[], total_count=len(found), page_size=page_size, current_page=current_page)
    if found and current_page > page.total_pages:
        raise DomainError("products_page_beyond", current_page=current_page, total_pages=page.total_pages)
    offset = (current_page - 1) * page_size
    return CategoryPage(
        items=found[offset : offset + page_size],
        total_count=len(found),
        page_size=page_size,
        current_page=current_page,
    )


# --- writing ------------------------------------------------------------------------------------------
def ensure_store_root() -> Category:
    """The store's root category, created ("Default Category") when the shop has none yet."""
    root = Category.objects.filter(parent=None).order_by("position", "id").first()
    if root is None:
        root = Category.objects.create(name=ROOT_NAME, url_key=ROOT_URL_KEY)
    return root


def parse_category_paths(value: str) -> list[list[str]]:
    """``"Home/Kitchen;Sale"`` -> ``[["Home", "Kitchen"], ["Sale"]]`` (CONTRACT §5; ``|`` is
    accepted as a separator of paths too). Raises ValueError for an empty name inside a path."""
    paths = []
    for raw in value.replace("|", ";").split(";"):
        if not raw.strip():
            continue
        names = [name.strip() for name in raw.split("/")]
        if any(not name for name in names):
            raise ValueError(f"{raw.strip()!r} has an empty category name")
        if any(not slugify(name) for name in names):
            raise ValueError(f"{raw.strip()!r}: a category name needs a letter or digit")
        paths.append(names)
    return paths


def category_at(root: Category, names: list[str]) -> Category:
    """The category at ``names`` below ``root``, matched by name (case-insensitive) among each
    level's children and created where missing (url key = slug of the name)."""
    parent = root
    for name in names:
        child = Category.objects.filter(parent=parent, name__iexact=name).order_by("id").first()
        if child is None:
            child = Category.objects.filter(parent=parent, url_key=slugify(name)).first()
        if child is None:
            child = Category.objects.create(parent=parent, name=name, url_key=slugify(name))
        parent = child
    return parent


@transaction.atomic
def set_product_categories(product: Product, categories: list[Category]) -> None:
    """Make ``categories`` exactly the product's categories. A product new to a category goes
    last in its listing; kept links keep their position."""
    wanted = {c.pk: c for c in categories}
    CategoryProduct.objects.filter(product=product).exclude(category_id__in=list(wanted)).delete()
    existing = set(CategoryProduct.objects.filter(product=product).values_list("category_id", flat=True))
    new = [pk for pk in wanted if pk not in existing]
    if not new:
        return
    last = dict(
        CategoryProduct.objects.filter(category_id__in=new)
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    CategoryProduct.objects.bulk_create(
        [CategoryProduct(category_id=pk, product=product, position=last.get(pk, 0)) for pk in new]
    )
