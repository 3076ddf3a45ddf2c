"""``products.aggregations`` (layered navigation: price ranges, categories, colour and size) in
Magento's shapes, the colour/size filters they feed, ``sort_fields`` and ``sort``, and the SQL
budget of a category listing with its aggregations."""

from decimal import Decimal

import pytest

from shop.configurable import AttributeSpec, add_variant, create_configurable
from shop.layered_navigation import price_range
from shop.models import Category, CategoryProduct

pytestmark = pytest.mark.django_db

AGGREGATIONS = """query ($filter: ProductAttributeFilterInput, $search: String, $direct: Boolean) {
  products(filter: $filter, search: $search, pageSize: 50) {
    total_count
    items { sku }
    aggregations(filter: {category: {includeDirectChildrenOnly: $direct}}) {
      attribute_code label count position options { label value count } } } }"""


def shirt(sku, colors_sizes, price="20.00", stock=5):
    parent = create_configurable(
        sku=sku,
        name=f"Shirt {sku}",
        attributes=[
            AttributeSpec("color", "Color", [("Blue", "#00f"), ("Red", "#f00")]),
            AttributeSpec("size", "Size", [("S", ""), ("M", ""), ("L", "")]),
        ],
    )
    for color, size, qty in colors_sizes:
        add_variant(
            parent,
            sku=f"{sku}-{color}-{size}",
            values={"color": color, "size": size},
            price=Decimal(price),
            stock_qty=qty,
        )
    parent.refresh_from_db()
    return parent


@pytest.fixture
def shop(make_product):
    root = Category.objects.create(name="Default Category", url_key="default-category")
    clothing = Category.objects.create(parent=root, name="Clothing", url_key="clothing", position=1)
    shirts = Category.objects.create(parent=clothing, name="Shirts", url_key="shirts", position=1)
    gifts = Category.objects.create(parent=root, name="Gifts", url_key="gifts", position=2)
    one = shirt("ONE", [("Blue", "S", 5), ("Blue", "M", 5), ("Red", "M", 0)])  # Red only sold out
    two = shirt("TWO", [("Red", "S", 3), ("Red", "L", 2)], price="35.00")
    mug = make_product(sku="MUG", name="Mug", price="9.99")
    lamp = make_product(sku="LAMP", name="Lamp", price="120.00")
    for category, product in [(shirts, one), (shirts, two), (gifts, one), (gifts, mug), (gifts, lamp)]:
        CategoryProduct.objects.create(category=category, product=product)
    return {"root": root, "clothing": clothing, "shirts": shirts, "gifts": gifts}


def aggregations(gql, **variables):
    data = gql.data(AGGREGATIONS, variables)["products"]
    return {a["attribute_code"]: a for a in data["aggregations"]}, data


def test_aggregations_in_magentos_shape_and_order(gql, shop):
    data = gql.data(AGGREGATIONS, {"search": "", "filter": None})["products"]
    assert [a["attribute_code"] for a in data["aggregations"]] == ["price", "category_id", "color", "size"]
    by_code = {a["attribute_code"]: a for a in data["aggregations"]}
    # Highest price 120: ranges of 100 (two of them).
    assert by_code["price"] == {
        "attribute_code": "price",
        "label": "Price",
        "count": 2,
        "position": None,
        "options": [
            {"label": "0-100", "value": "0_100", "count": 3},
            {"label": "100-200", "value": "100_200", "count": 1},
        ],
    }
    assert by_code["category_id"]["label"] == "Category"
    assert by_code["category_id"]["options"] == [
        {"label": "Clothing", "value": str(shop["clothing"].pk), "count": 2},
        {"label": "Shirts", "value": str(shop["shirts"].pk), "count": 2},
        {"label": "Gifts", "value": str(shop["gifts"].pk), "count": 3},
    ]
    # ONE's Red is sold out: Red counts TWO only. Values in the attribute's order.
    assert by_code["color"] == {
        "attribute_code": "color",
        "label": "Color",
        "count": 2,
        "position": 0,
        "options": [
            {"label": "Blue", "value": "Blue", "count": 1},
            {"label": "Red", "value": "Red", "count": 1},
        ],
    }
    assert by_code["size"]["options"] == [
        {"label": "S", "value": "S", "count": 2},
        {"label": "M", "value": "M", "count": 1},
        {"label": "L", "value": "L", "count": 1},
    ]


def test_category_aggregation_of_a_category_and_its_direct_children_only(gql, shop):
    uid_filter = {"category_id": {"eq": str(shop["clothing"].pk)}}
    by_code, data = aggregations(gql, filter=uid_filter)
    assert data["total_count"] == 2
    assert [o["label"] for o in by_code["category_id"]["options"]] == ["Clothing", "Shirts", "Gifts"]
    by_code, _ = aggregations(gql, filter=uid_filter, direct=True)
    assert by_code["category_id"]["options"] == [
        {"label": "Shirts", "value": str(shop["shirts"].pk), "count": 2}
    ]
    # Price ranges narrow to tens when the highest price is 35.
    assert [o["value"] for o in by_code["price"]["options"]] == ["20_30", "30_40"]


def test_no_match_has_no_aggregations(gql, shop):
    by_code, data = aggregations(gql, search="no-such-thing")
    assert (data["total_count"], by_code) == (0, {})


def test_a_catalog_of_simple_products_has_no_attribute_aggregations(gql, make_product):
    make_product(sku="A", price="5.00")
    by_code, _ = aggregations(gql, search="")
    assert set(by_code) == {"price"}  # no categories, no variants
    assert by_code["price"]["options"] == [{"label": "5-6", "value": "5_6", "count": 1}]


@pytest.mark.parametrize(
    ("prices", "width"),
    [
        (["120"], 10),  # one range of 100 is too few: narrowed
        (["120", "150"], 10),  # one range of 100 would hold both: narrowed
        (["35", "20"], 10),
        (["9.99"], 1),
        (["0"], 1),
        (["1999", "5"], 1000),
        (["1999", "1500"], 100),
    ],
)
def test_price_range_width_follows_magentos_automatic_step(prices, width):
    values = [Decimal(p) for p in prices]
    assert price_range(max(values), values) == width


# --- colour and size filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter", "skus"),
    [
        ({"color": {"eq": "Blue"}}, ["ONE"]),
        ({"color": {"eq": "Red"}}, ["TWO"]),  # ONE's red is sold out
        ({"size": {"in": ["M", "L"]}}, ["ONE", "TWO"]),
        ({"color": {"eq": "Blue"}, "size": {"eq": "L"}}, []),
        ({"color": {"eq": "Green"}}, []),
        ({"color": {"eq": "Red"}, "category_id": {"eq": "0"}}, []),
    ],
)
def test_filter_by_color_and_size(gql, shop, filter, skus):
    data = gql.data(
        "query ($f: ProductAttributeFilterInput) { products(filter: $f) { items { sku } } }", {"f": filter}
    )
    assert sorted(item["sku"] for item in data["products"]["items"]) == skus


def test_an_aggregation_option_filters_to_its_count(gql, shop):
    by_code, _ = aggregations(gql, search="")
    for code in ("color", "size", "category_id"):
        for option in by_code[code]["options"]:
            _, data = aggregations(gql, filter={code: {"eq": option["value"]}})
            assert data["total_count"] == option["count"], (code, option)


# --- sort -----------------------------------------------------------------------------------------


def test_sort_fields_and_sort_by_price(gql, shop):
    data = gql.data(
        '{ products(search: "", sort: {price: DESC}) { items { sku } sort_fields { default options { label value } } } }'
    )["products"]
    assert [i["sku"] for i in data["items"]] == ["LAMP", "TWO", "ONE", "MUG"]
    assert data["sort_fields"] == {
        "default": "position",
        "options": [
            {"label": "Position", "value": "position"},
            {"label": "Product Name", "value": "name"},
            {"label": "Price", "value": "price"},
        ],
    }
    data = gql.data(
        '{ products(search: "shirt", sort: {price: ASC}) { items { sku } sort_fields { default } } }'
    )
    assert [i["sku"] for i in data["products"]["items"]] == ["ONE", "TWO"]
    assert data["products"]["sort_fields"]["default"] == "relevance"


# --- SQL budget -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_category_listing_with_aggregations_has_a_fixed_query_budget(
    gql, make_product, django_assert_max_num_queries, count
):
    root = Category.objects.create(name="Default Category", url_key="default-category")
    shirts = Category.objects.create(parent=root, name="Shirts", url_key="shirts")
    for n in range(count):
        parent = shirt(f"S{n}", [("Blue", "S", 1), ("Red", "M", 1)], price=str(10 + n))
        CategoryProduct.objects.create(category=shirts, product=parent)
        CategoryProduct.objects.create(category=shirts, product=make_product(price=str(5 + n)))
    query = """query ($uid: String) { products(filter: {category_uid: {eq: $uid}}, pageSize: 50) {
      total_count items { sku price_range { minimum_price { final_price { value } } } }
      aggregations { attribute_code options { value count } } } }"""
    import base64

    # count, page, configurable data (4), then the tree, prices, category links, variant values.
    with django_assert_max_num_queries(10):
        data = gql.data(query, {"uid": base64.b64encode(str(shirts.pk).encode()).decode()})
    assert data["products"]["total_count"] == 2 * count
    by_code = {a["attribute_code"]: a for a in data["products"]["aggregations"]}
    assert by_code["color"]["options"] == [
        {"value": "Blue", "count": count},
        {"value": "Red", "count": count},
    ]
    assert sum(o["count"] for o in by_code["price"]["options"]) == 2 * count
