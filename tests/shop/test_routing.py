"""``route(url)`` and the deprecated ``urlResolver(url)``: products, categories and CMS pages by
their storefront urls, 301s for changed url keys (``UrlRewrite``), null for unknown urls and
Magento's input error for an empty one."""

import base64

import pytest

from shop import store
from shop.models import Category, CategoryProduct, CmsPage, Product, UrlRewrite

pytestmark = pytest.mark.django_db

ROUTE = """query ($url: String!) { route(url: $url) {
  relative_url redirect_code type __typename
  ... on CmsPage { identifier title }
  ... on ProductInterface { uid sku }
  ... on CategoryInterface { uid name url_path } } }"""

RESOLVER = """query ($url: String!) { urlResolver(url: $url) {
  id entity_uid canonical_url relative_url redirectCode type } }"""


def uid(pk: int) -> str:
    return base64.b64encode(str(pk).encode()).decode()


@pytest.fixture
def site(make_product):
    root = Category.objects.create(name="Default Category", url_key="default-category")
    women = Category.objects.create(parent=root, name="Women", url_key="women")
    tops = Category.objects.create(parent=women, name="Tops", url_key="tops")
    hidden = Category.objects.create(parent=root, name="Hidden", url_key="hidden", is_active=False)
    tee = make_product(sku="TEE-1", name="Tee")
    CategoryProduct.objects.create(category=tops, product=tee)
    home = CmsPage.objects.create(identifier="home", title="Home", content="<p>Hi</p>")
    about = CmsPage.objects.create(identifier="about-us", title="About", content="<p>Us</p>")
    return {
        "root": root,
        "women": women,
        "tops": tops,
        "hidden": hidden,
        "tee": tee,
        "home": home,
        "about": about,
    }


def route(gql, url):
    return gql.data(ROUTE, {"url": url})["route"]


def test_route_to_a_product(gql, site):
    assert route(gql, "/tee-1") == {
        "relative_url": "tee-1",
        "redirect_code": 0,
        "type": "PRODUCT",
        "__typename": "SimpleProduct",
        "uid": uid(site["tee"].pk),
        "sku": "TEE-1",
    }


def test_route_to_a_category_by_url_path(gql, site):
    assert route(gql, "women/tops") == {
        "relative_url": "women/tops",
        "redirect_code": 0,
        "type": "CATEGORY",
        "__typename": "CategoryTree",
        "uid": uid(site["tops"].pk),
        "name": "Tops",
        "url_path": "women/tops",
    }


def test_route_to_a_cms_page_and_slash_is_the_home_page(gql, site):
    assert route(gql, "/about-us") == {
        "relative_url": "about-us",
        "redirect_code": 0,
        "type": "CMS_PAGE",
        "__typename": "CmsPage",
        "identifier": "about-us",
        "title": "About",
    }
    assert route(gql, "/")["identifier"] == "home"


def test_route_to_a_configurable_product(gql, site):
    Product.objects.create(sku="SHIRT", name="Shirt", url_key="shirt", price=10, type="configurable")
    assert route(gql, "/shirt")["__typename"] == "ConfigurableProduct"


def test_a_query_string_stays_on_the_relative_url(gql, site):
    assert route(gql, "/women?page=2")["relative_url"] == "women?page=2"


def test_leading_slashes_are_dropped_as_magentos_ltrim(gql, site):
    assert route(gql, "//tee-1")["sku"] == "TEE-1"


@pytest.mark.parametrize(
    "url",
    ["/nope", "/women/nope", "/hidden", "/default-category", "/tee-1/", "/women.html", "/TEE-1"],
)
def test_unknown_url_is_null_as_magento(gql, site, url):
    result = gql.post(ROUTE, {"url": url})
    assert result == {"data": {"route": None}}
    result = gql.post(RESOLVER, {"url": url})
    assert result == {"data": {"urlResolver": None}}


def test_inactive_product_variant_and_inactive_page_are_not_routed(gql, site, make_product):
    make_product(sku="GONE", is_active=False)
    parent = Product.objects.create(sku="P", name="P", url_key="p", price=10, type="configurable")
    make_product(sku="P-S", parent=parent)
    CmsPage.objects.filter(pk=site["about"].pk).update(is_active=False)
    for url in ("/gone", "/p-s", "/about-us"):
        assert gql.post(ROUTE, {"url": url}) == {"data": {"route": None}}, url


@pytest.mark.parametrize("url", ["", "   "])
def test_empty_url_is_magentos_input_error(gql, site, url):
    for query, field in ((ROUTE, "route"), (RESOLVER, "urlResolver")):
        error = gql.error(query, {"url": url})
        assert error["message"] == '"url" argument should be specified and not empty'
        assert error["extensions"]["category"] == "graphql-input"
        assert error["path"] == [field]


def test_url_resolver_in_magentos_entity_url_shape(gql, site):
    data = gql.data(RESOLVER, {"url": "/tee-1"})
    assert data["urlResolver"] == {
        "id": site["tee"].pk,
        "entity_uid": uid(site["tee"].pk),
        "canonical_url": "tee-1",
        "relative_url": "tee-1",
        "redirectCode": 0,
        "type": "PRODUCT",
    }
    assert gql.data(RESOLVER, {"url": "/women"})["urlResolver"]["type"] == "CATEGORY"
    assert gql.data(RESOLVER, {"url": "/about-us"})["urlResolver"]["type"] == "CMS_PAGE"


def test_url_suffixes_of_the_store_are_part_of_the_url(gql, site, monkeypatch):
    monkeypatch.setattr(store, "PRODUCT_URL_SUFFIX", ".html")
    monkeypatch.setattr(store, "CATEGORY_URL_SUFFIX", ".html")
    assert route(gql, "/tee-1.html")["relative_url"] == "tee-1.html"
    assert route(gql, "/women/tops.html")["relative_url"] == "women/tops.html"
    assert gql.post(ROUTE, {"url": "/tee-1"}) == {"data": {"route": None}}
    assert gql.post(ROUTE, {"url": "/.html"}) == {"data": {"route": None}}


# --- redirects for changed url keys ---------------------------------------------------------------


def test_changed_product_url_key_redirects_permanently(gql, site):
    tee = Product.objects.get(pk=site["tee"].pk)
    tee.url_key = "classic-tee"
    tee.save()
    assert route(gql, "/tee-1") == {
        "relative_url": "classic-tee",
        "redirect_code": 301,
        "type": "PRODUCT",
        "__typename": "SimpleProduct",
        "uid": uid(tee.pk),
        "sku": "TEE-1",
    }
    assert gql.data(RESOLVER, {"url": "/tee-1"})["urlResolver"]["redirectCode"] == 301
    assert route(gql, "/classic-tee")["redirect_code"] == 0
    # Changed twice: both old keys lead to the current one (no chains).
    tee.url_key = "the-tee"
    tee.save()
    assert route(gql, "/tee-1")["relative_url"] == "the-tee"
    assert route(gql, "/classic-tee")["relative_url"] == "the-tee"


def test_an_old_key_taken_back_is_live_again(gql, site):
    tee = Product.objects.get(pk=site["tee"].pk)
    tee.url_key = "classic-tee"
    tee.save()
    tee.url_key = "tee-1"
    tee.save()
    assert route(gql, "/tee-1")["redirect_code"] == 0
    assert not UrlRewrite.objects.filter(request_path="tee-1").exists()
    assert route(gql, "/classic-tee") == {**route(gql, "/tee-1"), "redirect_code": 301}


def test_a_new_product_on_an_old_key_wins_over_the_redirect(gql, site, make_product):
    tee = Product.objects.get(pk=site["tee"].pk)
    tee.url_key = "classic-tee"
    tee.save()
    make_product(sku="tee-1", name="New tee")
    assert route(gql, "/tee-1") == {**route(gql, "/tee-1"), "sku": "tee-1", "redirect_code": 0}


def test_renamed_category_redirects_itself_and_its_subtree(gql, site):
    women = Category.objects.get(pk=site["women"].pk)
    women.url_key = "ladies"
    women.save()
    assert route(gql, "/women")["relative_url"] == "ladies"
    assert route(gql, "/women")["redirect_code"] == 301
    assert route(gql, "/women/tops") == {
        "relative_url": "ladies/tops",
        "redirect_code": 301,
        "type": "CATEGORY",
        "__typename": "CategoryTree",
        "uid": uid(site["tops"].pk),
        "name": "Tops",
        "url_path": "ladies/tops",
    }


def test_moved_category_redirects_from_its_old_place(gql, site):
    tops = Category.objects.get(pk=site["tops"].pk)
    tops.parent = site["root"]
    tops.save()
    assert route(gql, "/women/tops")["relative_url"] == "tops"


def test_redirect_to_a_deleted_or_hidden_entity_is_null(gql, site):
    tee = Product.objects.get(pk=site["tee"].pk)
    tee.url_key = "classic-tee"
    tee.save()
    Product.objects.filter(pk=tee.pk).update(is_active=False)
    assert gql.post(ROUTE, {"url": "/tee-1"}) == {"data": {"route": None}}


def test_renamed_cms_page_redirects(gql, site):
    about = CmsPage.objects.get(pk=site["about"].pk)
    about.identifier = "about"
    about.save()
    assert route(gql, "/about-us")["relative_url"] == "about"
    assert route(gql, "/about-us")["redirect_code"] == 301


def test_saving_without_a_url_change_records_nothing(site, django_assert_num_queries):
    tee = Product.objects.get(pk=site["tee"].pk)
    tee.name = "Renamed tee"
    with django_assert_num_queries(1):  # the UPDATE alone
        tee.save()
    assert not UrlRewrite.objects.exists()


@pytest.mark.parametrize("url", ["/tee-1", "/women/tops", "/about-us", "/nope"])
def test_route_costs_at_most_four_queries(gql, site, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # product, category tree, page, old urls
        gql.post(ROUTE, {"url": url})


def test_product_url_suffix_is_the_stores(gql, site, monkeypatch):
    query = '{ products(filter: {sku: {eq: "TEE-1"}}) { items { url_key url_suffix } } }'
    assert gql.data(query)["products"]["items"] == [{"url_key": "tee-1", "url_suffix": ""}]
    monkeypatch.setattr(store, "PRODUCT_URL_SUFFIX", ".html")
    assert gql.data(query)["products"]["items"] == [{"url_key": "tee-1", "url_suffix": ".html"}]


def test_import_catalog_changing_a_url_key_keeps_the_old_url_as_a_redirect(gql, site):
    from shop.catalog_import import import_catalog

    import_catalog("sku,name,price,url_key\nTEE-1,Tee,10.00,tee-classic\n")
    assert route(gql, "/tee-1")["relative_url"] == "tee-classic"
    assert route(gql, "/tee-1")["redirect_code"] == 301


@pytest.mark.parametrize(
    "url",
    ["/../../etc/passwd", "/" + "a" * 5000, "/women/tops/../tops", "/%E2%82%AC", "/ünï", "/[", "/a b"],
)
def test_odd_urls_are_null_never_an_error(gql, site, url):
    assert gql.post(ROUTE, {"url": url}) == {"data": {"route": None}}
