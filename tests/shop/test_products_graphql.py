"""The ``products`` query: filters, search, sort, paging and Magento's validation messages."""

import base64

import pytest

from shop.models import Product

pytestmark = pytest.mark.django_db

ITEMS_QUERY = """
query Products($search: String, $filter: ProductAttributeFilterInput, $pageSize: Int, $currentPage: Int,
               $sort: ProductAttributeSortInput) {
  products(search: $search, filter: $filter, pageSize: $pageSize, currentPage: $currentPage, sort: $sort) {
    total_count
    page_info { current_page page_size total_pages }
    items { sku }
  }
}
"""


@pytest.fixture
def catalog(make_product):
    """Five active products (created in this order) and one inactive one."""
    return [
        make_product(
            sku="MUG-1", name="Stoneware Coffee Mug", price="14.90", description="Speckled oat glaze"
        ),
        make_product(sku="BAG-1", name="Canvas Tote Bag", price="49.00", description="Fits a laptop"),
        make_product(sku="BOOK-1", name="Baking with Sourdough", price="32.00", description="Bread recipes"),
        make_product(sku="MUG-2", name="Espresso Cup", price="9.50", description="Small stoneware cup"),
        make_product(sku="LAMP-1", name="Oak Desk Lamp", price="89.00", description="Linen shade"),
        make_product(sku="MUG-OLD", name="Retired Mug", price="5.00", is_active=False),
    ]


def products(gql, **variables):
    return gql.data(ITEMS_QUERY, variables)["products"]


def skus(gql, **variables):
    return [item["sku"] for item in products(gql, **variables)["items"]]


def test_products_filter_by_sku_eq_returns_magento_shape(gql, product):
    data = gql.data(
        """{ products(filter: {sku: {eq: "24-MB01"}}, pageSize: 20, currentPage: 1) {
              total_count
              page_info { current_page page_size total_pages }
              items { __typename uid id sku name url_key stock_status
                      price_range {
                        minimum_price { regular_price { value currency } final_price { value currency }
                                        discount { amount_off percent_off } }
                        maximum_price { final_price { value currency } } } } } }"""
    )
    assert data == {
        "products": {
            "total_count": 1,
            "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
            "items": [
                {
                    "__typename": "SimpleProduct",
                    "uid": base64.b64encode(str(product.pk).encode()).decode(),
                    "id": product.pk,
                    "sku": "24-MB01",
                    "name": "Joust Duffle Bag",
                    "url_key": "24-mb01",
                    "stock_status": "IN_STOCK",
                    "price_range": {
                        "minimum_price": {
                            "regular_price": {"value": 19.99, "currency": "EUR"},
                            "final_price": {"value": 19.99, "currency": "EUR"},
                            "discount": {"amount_off": 0.0, "percent_off": 0.0},
                        },
                        "maximum_price": {"final_price": {"value": 19.99, "currency": "EUR"}},
                    },
                }
            ],
        }
    }


def test_products_filter_by_sku_in(gql, catalog):
    assert skus(gql, filter={"sku": {"in": ["BAG-1", "LAMP-1", "NOPE"]}}) == ["BAG-1", "LAMP-1"]


def test_products_filter_by_sku_is_exact(gql, catalog):
    assert skus(gql, filter={"sku": {"eq": "MUG"}}) == []


def test_products_filter_by_sku_eq_and_in_must_both_hold(gql, catalog):
    assert skus(gql, filter={"sku": {"eq": "BAG-1", "in": ["BAG-1", "MUG-1"]}}) == ["BAG-1"]
    assert skus(gql, filter={"sku": {"eq": "BAG-1", "in": ["MUG-1"]}}) == []


def test_products_filter_by_url_key_eq_and_in(gql, catalog):
    assert skus(gql, filter={"url_key": {"eq": "book-1"}}) == ["BOOK-1"]
    assert skus(gql, filter={"url_key": {"in": ["book-1", "mug-2"]}}) == ["BOOK-1", "MUG-2"]


def test_products_filter_by_name_match_is_case_insensitive_contains(gql, catalog):
    assert skus(gql, filter={"name": {"match": "MUG"}}) == ["MUG-1"]
    assert skus(gql, filter={"name": {"match": "sourd"}}) == ["BOOK-1"]


def test_products_filter_by_name_partial_matches_inside_words(gql, catalog):
    assert skus(gql, filter={"name": {"match": "ware", "match_type": "PARTIAL"}}) == ["MUG-1"]


def test_products_filter_by_name_full_needs_whole_words(gql, catalog):
    assert skus(gql, filter={"name": {"match": "ware", "match_type": "FULL"}}) == []
    assert skus(gql, filter={"name": {"match": "coffee stoneware", "match_type": "FULL"}}) == ["MUG-1"]
    assert skus(gql, filter={"name": {"match": "desk", "match_type": "FULL"}}) == ["LAMP-1"]


def test_products_filter_by_description_match(gql, catalog):
    assert skus(gql, filter={"description": {"match": "stoneware"}}) == ["MUG-2"]


def test_products_filter_by_price_range_is_inclusive(gql, catalog):
    assert skus(gql, filter={"price": {"from": "14.90", "to": "49.00"}}) == ["MUG-1", "BAG-1", "BOOK-1"]


def test_products_filter_by_price_from_or_to_alone(gql, catalog):
    assert skus(gql, filter={"price": {"from": "49"}}) == ["BAG-1", "LAMP-1"]
    assert skus(gql, filter={"price": {"to": "10"}}) == ["MUG-2"]


def test_products_filter_by_invalid_price_is_an_input_error(gql, catalog):
    error = gql.error(ITEMS_QUERY, {"filter": {"price": {"from": "ten"}}})
    assert error["message"] == 'Invalid value of "ten" provided for the price.from field.'
    assert error["extensions"] == {"category": "graphql-input"}
    assert error["path"] == ["products"]


def test_products_filters_combine(gql, catalog):
    assert skus(gql, filter={"name": {"match": "o"}, "price": {"from": "10", "to": "40"}}) == [
        "MUG-1",
        "BOOK-1",
    ]


def test_products_empty_filter_lists_every_active_product(gql, catalog):
    result = products(gql, filter={})
    assert result["total_count"] == 5
    assert [item["sku"] for item in result["items"]] == ["MUG-1", "BAG-1", "BOOK-1", "MUG-2", "LAMP-1"]


def test_products_never_lists_inactive_products(gql, catalog):
    assert skus(gql, filter={"sku": {"eq": "MUG-OLD"}}) == []
    assert skus(gql, search="retired") == []


def test_products_search_matches_name_sku_and_description(gql, catalog):
    assert set(skus(gql, search="mug")) == {"MUG-1", "MUG-2"}  # name and sku
    assert skus(gql, search="recipes") == ["BOOK-1"]  # description


def test_products_search_needs_every_word(gql, catalog):
    assert skus(gql, search="stoneware cup") == ["MUG-2"]


def test_products_search_ranks_by_relevance_by_default(gql, catalog):
    # "Stoneware" is in MUG-1's name (weighs more) and only in MUG-2's description.
    assert skus(gql, search="stoneware") == ["MUG-1", "MUG-2"]
    # An exact SKU outranks a name match.
    assert skus(gql, search="mug-2") == ["MUG-2"]
    assert skus(gql, search="mug") == ["MUG-1", "MUG-2"]


def test_products_search_relevance_ascending(gql, catalog):
    assert skus(gql, search="stoneware", sort={"relevance": "ASC"}) == ["MUG-2", "MUG-1"]


def test_products_without_search_default_to_catalog_position(gql, catalog):
    assert skus(gql, filter={"price": {"from": "0"}}) == ["MUG-1", "BAG-1", "BOOK-1", "MUG-2", "LAMP-1"]


def test_products_sort_by_position_descending(gql, catalog):
    assert skus(gql, filter={}, sort={"position": "DESC"}) == ["LAMP-1", "MUG-2", "BOOK-1", "BAG-1", "MUG-1"]


def test_products_sort_by_name(gql, catalog):
    assert skus(gql, filter={}, sort={"name": "ASC"}) == ["BOOK-1", "BAG-1", "MUG-2", "LAMP-1", "MUG-1"]
    assert skus(gql, filter={}, sort={"name": "DESC"}) == ["MUG-1", "LAMP-1", "MUG-2", "BAG-1", "BOOK-1"]


def test_products_sort_by_price(gql, catalog):
    assert skus(gql, filter={}, sort={"price": "ASC"}) == ["MUG-2", "MUG-1", "BOOK-1", "BAG-1", "LAMP-1"]
    assert skus(gql, filter={}, sort={"price": "DESC"}) == ["LAMP-1", "BAG-1", "BOOK-1", "MUG-1", "MUG-2"]


def test_products_sort_overrides_relevance_when_searching(gql, catalog):
    assert skus(gql, search="stoneware", sort={"price": "ASC"}) == ["MUG-2", "MUG-1"]


def test_products_sort_ties_break_by_position(gql, make_product):
    make_product(sku="B", name="Same", price="5.00")
    make_product(sku="A", name="Same", price="5.00")
    assert skus(gql, filter={}, sort={"price": "DESC"}) == ["B", "A"]


def test_products_paging_returns_the_requested_page(gql, catalog):
    result = products(gql, filter={}, pageSize=2, currentPage=2)
    assert result == {
        "total_count": 5,
        "page_info": {"current_page": 2, "page_size": 2, "total_pages": 3},
        "items": [{"sku": "BOOK-1"}, {"sku": "MUG-2"}],
    }


def test_products_last_page_may_be_short(gql, catalog):
    result = products(gql, filter={}, pageSize=2, currentPage=3)
    assert result["items"] == [{"sku": "LAMP-1"}]
    assert result["page_info"] == {"current_page": 3, "page_size": 2, "total_pages": 3}


def test_products_page_size_defaults_to_20(gql, make_product):
    for n in range(21):
        make_product(sku=f"P{n:02}")
    data = gql.data(
        "{ products(filter: {}) { total_count page_info { current_page page_size total_pages } items { sku } } }"
    )
    assert data["products"]["total_count"] == 21
    assert data["products"]["page_info"] == {"current_page": 1, "page_size": 20, "total_pages": 2}
    assert len(data["products"]["items"]) == 20


def test_products_without_results_is_an_empty_page_even_beyond(gql, catalog):
    result = products(gql, filter={"sku": {"eq": "NOPE"}}, currentPage=5)
    assert result == {
        "total_count": 0,
        "page_info": {"current_page": 5, "page_size": 20, "total_pages": 0},
        "items": [],
    }


def test_products_require_search_or_filter(gql, catalog):
    error = gql.error("{ products { total_count } }")
    assert error["message"] == "'search' or 'filter' input argument is required."
    assert error["extensions"] == {"category": "graphql-input"}


def test_products_null_search_and_filter_count_as_missing(gql, catalog):
    error = gql.error(ITEMS_QUERY, {"search": None, "filter": None})
    assert error["message"] == "'search' or 'filter' input argument is required."


def test_products_current_page_must_be_positive(gql, catalog):
    for page in (0, -1):
        error = gql.error(ITEMS_QUERY, {"filter": {}, "currentPage": page})
        assert error["message"] == "currentPage value must be greater than 0."
        assert error["extensions"] == {"category": "graphql-input"}


def test_products_page_size_must_be_positive(gql, catalog):
    for size in (0, -5):
        error = gql.error(ITEMS_QUERY, {"search": "mug", "pageSize": size})
        assert error["message"] == "pageSize value must be greater than 0."
        assert error["extensions"] == {"category": "graphql-input"}


def test_products_page_beyond_the_last_is_an_input_error(gql, catalog):
    error = gql.error(ITEMS_QUERY, {"filter": {}, "pageSize": 2, "currentPage": 4})
    assert error["message"] == "currentPage value 4 specified is greater than the 3 page(s) available."
    assert error["extensions"] == {"category": "graphql-input"}
    assert error["path"] == ["products"]


def test_products_out_of_stock_status(gql, make_product):
    make_product(sku="EMPTY", stock=0)
    data = gql.data('{ products(filter: {sku: {eq: "EMPTY"}}) { items { stock_status } } }')
    assert data["products"]["items"] == [{"stock_status": "OUT_OF_STOCK"}]


def test_products_local_image_path_is_served_as_absolute_url(gql, make_product):
    make_product(sku="IMG", name="Mug", image_url="/static/img/products/mug.svg")
    data = gql.data(
        '{ products(filter: {sku: {eq: "IMG"}}) { items { image { url label } thumbnail { url } } } }'
    )
    assert data["products"]["items"] == [
        {
            "image": {"url": "http://testserver/static/img/products/mug.svg", "label": "Mug"},
            "thumbnail": {"url": "http://testserver/static/img/products/mug.svg"},
        }
    ]


def test_products_sort_fields_offer_relevance_only_when_searching(gql, catalog):
    query = "query($search: String, $filter: ProductAttributeFilterInput) { products(search: $search, filter: $filter) { sort_fields { default options { value label } } } }"
    searched = gql.data(query, {"search": "mug"})["products"]["sort_fields"]
    filtered = gql.data(query, {"filter": {}})["products"]["sort_fields"]
    common = [
        {"value": "position", "label": "Position"},
        {"value": "name", "label": "Product Name"},
        {"value": "price", "label": "Price"},
    ]
    assert searched == {
        "default": "relevance",
        "options": [{"value": "relevance", "label": "Relevance"}, *common],
    }
    assert filtered == {"default": "position", "options": common}


FULL_QUERY = """
{ products(filter: {price: {from: "0"}}, pageSize: 50) {
    total_count
    page_info { current_page page_size total_pages }
    sort_fields { default options { value label } }
    items { __typename uid sku name url_key stock_status only_x_left_in_stock
            description { html } image { url label } small_image { url } thumbnail { url }
            price_range { minimum_price { regular_price { value currency } final_price { value currency }
                                          discount { amount_off percent_off } }
                          maximum_price { final_price { value currency } } } } } }
"""


@pytest.mark.parametrize("count", [1, 40])
def test_products_query_count_does_not_grow_with_the_page(
    gql, make_product, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_product(image_url="/static/img/products/mug.svg")
    with django_assert_max_num_queries(2):  # one count, one page
        data = gql.data(FULL_QUERY)
    assert data["products"]["total_count"] == count
    assert len(data["products"]["items"]) == count
    assert Product.objects.count() == count
