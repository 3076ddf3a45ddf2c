"""Storefront category pages (/c/<url_path>/): breadcrumbs, the category nav, the listing
filtered by category (subcategories included) and 404 for unknown or inactive paths."""

import re

import pytest

from shop.models import Category, CategoryProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves(make_product):
    root = Category.objects.create(name="Default Category", url_key="default-category")
    home = Category.objects.create(parent=root, name="Home & Living", url_key="home-living", position=1)
    kitchen = Category.objects.create(
        parent=home, name="Kitchen", url_key="kitchen", description="Pots & pans"
    )
    books = Category.objects.create(parent=root, name="Books", url_key="books", position=2)
    Category.objects.create(parent=root, name="Archive", url_key="archive", is_active=False, position=3)
    Category.objects.create(
        parent=root, name="Backstage", url_key="backstage", include_in_menu=False, position=4
    )
    mug = make_product(sku="MUG", name="Stoneware Mug")
    lamp = make_product(sku="LAMP", name="Oak Lamp")
    novel = make_product(sku="NOVEL", name="A Novel")
    gone = make_product(sku="GONE", name="Retired Pan", is_active=False)
    CategoryProduct.objects.create(category=kitchen, product=mug)
    CategoryProduct.objects.create(category=kitchen, product=gone)
    CategoryProduct.objects.create(category=home, product=lamp)
    CategoryProduct.objects.create(category=books, product=novel)
    return {"home": home, "kitchen": kitchen, "books": books}


def product_names(html: str) -> list[str]:
    return re.findall(r'<h2 class="product-card__name"><a href="[^"]+">([^<]+)</a>', html)


def test_catalog_page_lists_the_menu_categories(client, shelves):
    html = client.get("/").content.decode()

    nav = html[html.index('aria-label="Categories"') :]
    nav = nav[: nav.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav) == [
        ("/c/home-living/", "Home &amp; Living"),
        ("/c/books/", "Books"),
    ]


def test_category_page_lists_its_subtrees_products_with_breadcrumbs_and_subcategories(client, shelves):
    response = client.get("/c/home-living/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Home &amp; Living</h1>" in html
    assert product_names(html) == ["Oak Lamp", "Stoneware Mug"]  # the lamp is Home's own; the mug, Kitchen's
    assert '<a href="/c/home-living/kitchen/">Kitchen</a>' in html
    assert 'aria-current="page">Home &amp; Living</a>' in html  # marked in the nav


def test_subcategory_page_has_breadcrumbs_to_its_parent(client, shelves):
    html = client.get("/c/home-living/kitchen/").content.decode()

    crumbs = html[html.index('aria-label="Breadcrumb"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert '<a href="/">Shop</a>' in crumbs
    assert '<a href="/c/home-living/">Home &amp; Living</a>' in crumbs
    assert '<span aria-current="page">Kitchen</span>' in crumbs
    assert product_names(html) == ["Stoneware Mug"]  # the retired pan is not shown
    assert "Pots &amp; pans" in html


@pytest.mark.parametrize(
    "path", ["/c/nowhere/", "/c/archive/", "/c/home-living/nothing/", "/c/default-category/"]
)
def test_unknown_or_inactive_category_paths_are_404(client, shelves, path):
    assert client.get(path).status_code == 404


def test_a_category_hidden_from_the_menu_still_has_its_page(client, shelves):
    assert client.get("/c/backstage/").status_code == 200


def test_a_page_past_the_last_is_404(client, shelves):
    assert client.get("/c/books/?page=2").status_code == 404
    assert client.get("/c/books/?page=x").status_code == 404
    assert product_names(client.get("/c/books/?page=1").content.decode()) == ["A Novel"]
