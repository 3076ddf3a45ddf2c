"""What the real Venia build and its UPWARD server ask the shop for, beyond the documents the
other tests cover: the build's own queries (pwa-buildpack's storeConfig, availableStores and
schema introspection for Apollo's possible types) and fields Venia selects on every category page
and form (rating_summary, recaptchaV3Config)."""

import pytest
from django.core.management import call_command

from .conftest import venia

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_build_time_queries_answer_what_the_build_reads(client):
    """pwa-buildpack (lib/queries/*.graphql) POSTs these while webpack runs; webpack.config.js
    reads ``locale``, ``store_name``, ``code``, the media URL and every store view."""
    body = client.post(
        "/graphql",
        {
            "query": "{ storeConfig { store_code code locale secure_base_media_url store_name newsletter_enabled } }"
        },
        content_type="application/json",
    ).json()
    config = body["data"]["storeConfig"]
    assert config["locale"] == "en_US" and config["code"] == config["store_code"]
    assert config["secure_base_media_url"].startswith("http")
    stores = client.post(
        "/graphql",
        {
            "query": "query availableStoresConfigData { availableStores { store_code id secure_base_media_url "
            "store_name default_display_currency_code } }"
        },
        content_type="application/json",
    ).json()["data"]["availableStores"]
    assert [s["store_code"] for s in stores] == [config["store_code"]]
    types = client.post(
        "/graphql",
        {"query": "query { __schema { types { kind name possibleTypes { name } } } }"},
        content_type="application/json",
    ).json()["data"]["__schema"]["types"]
    possible = {t["name"]: {p["name"] for p in t["possibleTypes"]} for t in types if t["possibleTypes"]}
    # Apollo's cache needs these to match fragments on interfaces (Venia's cart and product pages).
    assert {"SimpleProduct", "ConfigurableProduct"} <= possible["ProductInterface"]
    assert {"SimpleCartItem", "ConfigurableCartItem"} <= possible["CartItemInterface"]


def test_category_listing_reads_rating_summary_zero_without_reviews(apollo, demo):
    from shop.graphql.ids import encode_uid
    from shop.models import Category

    gifts = Category.objects.get(url_key="gifts")
    data = apollo.run(
        venia("GetCategories"),
        {
            "id": encode_uid(gifts.pk),
            "pageSize": 12,
            "currentPage": 1,
            "filters": {"category_uid": {"eq": encode_uid(gifts.pk)}},
            "sort": {"position": "ASC"},
        },
    )
    items = data["products"]["items"]
    assert "DEMO-TEE-01" in [i["sku"] for i in items]
    assert {i["rating_summary"] for i in items} == {0.0}


def test_recaptcha_is_reported_disabled_so_venia_loads_no_google_script(apollo):
    config = apollo.run(venia("GetReCaptchaV3Config"))["recaptchaV3Config"]
    assert config == {
        "website_key": "",
        "badge_position": "",
        "language_code": None,
        "forms": [],
        "__typename": "ReCaptchaConfigurationV3",
    }


def test_product_page_reads_short_description_meta_and_custom_attributes(apollo, demo):
    """Venia's product page document (getProductDetailForProductPage): a product without a short
    description, meta data or storefront attributes, as Magento answers it."""
    data = apollo.run(
        venia("getProductDetailForProductPage", "RootComponents/Product/product.gql.js"),
        {"urlKey": "demo-tee-01"},
    )
    [tee] = data["products"]["items"]
    assert tee["__typename"] == "ConfigurableProduct"
    assert tee["short_description"] == {"html": "", "__typename": "ComplexTextValue"}
    assert tee["meta_description"] is None
    assert tee["custom_attributes"] == []
    assert {v["product"]["sku"] for v in tee["variants"]} >= {"DEMO-TEE-01-BLUE-M", "DEMO-TEE-01-RED-L"}
    assert all(v["product"]["custom_attributes"] == [] for v in tee["variants"])


def test_gallery_file_is_an_absolute_url_venia_can_load(apollo, demo):
    """Venia's product gallery builds each image's URL from ``media_gallery_entries.file``
    (peregrine's makeUrl: an absolute URL is used as it is; a relative one is joined to the media
    URL's catalog/product/). Images here are static files, not in a Magento media folder."""
    data = apollo.run(
        venia("getProductDetailForProductPage", "RootComponents/Product/product.gql.js"),
        {"urlKey": "demo-tee-01"},
    )
    [tee] = data["products"]["items"]
    [entry] = tee["media_gallery_entries"]
    assert entry["file"] == "http://testserver/static/img/products/tshirt-blue.svg"
    red_m = next(v for v in tee["variants"] if v["product"]["sku"] == "DEMO-TEE-01-RED-M")
    assert red_m["product"]["media_gallery_entries"][0]["file"].endswith(
        "/static/img/products/tshirt-red.svg"
    )
