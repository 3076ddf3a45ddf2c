"""Categories: the tree's url paths, the CSV ``categories`` column, ``seed_demo``'s tree, and
Magento's ``categories``/``categoryList`` queries, their filters and breadcrumbs, a product's
categories, ``products`` filtered by category, and the SQL budget of a menu query."""

import base64
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from shop.catalog_import import import_catalog
from shop.models import Category, CategoryProduct, Product

pytestmark = pytest.mark.django_db


def uid(pk: int) -> str:
    return base64.b64encode(str(pk).encode()).decode()


@pytest.fixture
def tree(make_product):
    """Default Category > Women (> Tops > Tees, > Pants), Men (> Shirts), Hidden (inactive,
    > Secret); products placed in Tees, Tops, Pants, Shirts and one inactive product in Tops."""
    root = Category.objects.create(name="Default Category", url_key="default-category")
    women = Category.objects.create(parent=root, name="Women", url_key="women", position=1)
    men = Category.objects.create(parent=root, name="Men", url_key="men", position=2)
    tops = Category.objects.create(parent=women, name="Tops", url_key="tops", position=1)
    pants = Category.objects.create(parent=women, name="Pants", url_key="pants", position=2)
    tees = Category.objects.create(parent=tops, name="Tees", url_key="tees", meta_title="All the tees")
    shirts = Category.objects.create(parent=men, name="Shirts", url_key="shirts")
    hidden = Category.objects.create(
        parent=root, name="Hidden", url_key="hidden", is_active=False, position=3
    )
    secret = Category.objects.create(parent=hidden, name="Secret", url_key="secret")
    tee = make_product(sku="TEE-1", name="Tee")
    blouse = make_product(sku="BLOUSE-1", name="Blouse")
    jeans = make_product(sku="JEANS-1", name="Jeans")
    shirt = make_product(sku="SHIRT-1", name="Shirt")
    old = make_product(sku="OLD-1", name="Old top", is_active=False)
    for category, product, position in [
        (tees, tee, 0),
        (tops, blouse, 0),
        (tops, tee, 1),  # also in Tops itself: counted once
        (pants, jeans, 0),
        (shirts, shirt, 0),
        (tops, old, 2),
        (secret, shirt, 0),
    ]:
        CategoryProduct.objects.create(category=category, product=product, position=position)
    return {
        "root": root,
        "women": women,
        "men": men,
        "tops": tops,
        "pants": pants,
        "tees": tees,
        "shirts": shirts,
        "hidden": hidden,
        "secret": secret,
    }


# --- the model ------------------------------------------------------------------------------------


def test_url_path_path_and_level_follow_the_tree(tree):
    tees, root, women, tops = tree["tees"], tree["root"], tree["women"], tree["tops"]
    assert (root.url_path, root.level, root.path) == ("", 1, str(root.pk))
    assert (women.url_path, women.level) == ("women", 2)
    assert (tees.url_path, tees.level) == ("women/tops/tees", 4)
    assert tees.path == f"{root.pk}/{women.pk}/{tops.pk}/{tees.pk}"


def test_renaming_or_moving_a_category_rewrites_its_subtree(tree):
    tops = tree["tops"]
    tops.url_key = "shirts-and-tops"
    tops.save()
    assert Category.objects.get(pk=tree["tees"].pk).url_path == "women/shirts-and-tops/tees"

    tops.parent = tree["men"]
    tops.save()
    tees = Category.objects.get(pk=tree["tees"].pk)
    assert tees.url_path == "men/shirts-and-tops/tees"
    assert tees.path == f"{tree['root'].pk}/{tree['men'].pk}/{tops.pk}/{tees.pk}"
    assert tees.level == 4


def test_url_key_is_unique_among_siblings_only(tree):
    Category.objects.create(parent=tree["men"], name="Tops", url_key="tops")  # a cousin may share it
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(parent=tree["women"], name="Tops again", url_key="tops")


def test_a_category_cannot_move_under_its_own_subcategory(tree):
    women = tree["women"]
    women.parent = tree["tees"]
    with pytest.raises(ValidationError) as error:
        women.full_clean()
    assert error.value.message_dict["parent"] == [
        "A category cannot be placed under itself or its own subcategory."
    ]


# --- import and demo data ---------------------------------------------------------------------------


def test_import_places_products_in_categories_creating_the_tree():
    result = import_catalog(
        "sku,name,price,categories\n"
        "TEE-1,Tee,10,Women/Tops|Sale\n"
        "TEE-2,Tee Two,12,women/tops;Women/Tops/Tees\n"
        "MUG-1,Mug,5,\n"
    )
    assert result.summary() == "created 3, updated 0, rejected 0"
    assert sorted(Category.objects.values_list("url_path", flat=True)) == [
        "",
        "sale",
        "women",
        "women/tops",
        "women/tops/tees",
    ]
    tee = Product.objects.get(sku="TEE-1")
    assert sorted(tee.categories.values_list("url_path", flat=True)) == ["sale", "women/tops"]
    # the second product goes after the first in Tops
    assert list(
        CategoryProduct.objects.filter(category__url_path="women/tops").values_list(
            "product__sku", "position"
        )
    ) == [("TEE-1", 0), ("TEE-2", 1)]
    assert not Product.objects.get(sku="MUG-1").categories.exists()


def test_import_replaces_categories_and_leaves_them_alone_without_the_column():
    import_catalog("sku,name,price,categories\nTEE-1,Tee,10,Women/Tops;Sale\n")
    import_catalog("sku,name,price,categories\nTEE-1,Tee,10,Sale\n")
    tee = Product.objects.get(sku="TEE-1")
    assert list(tee.categories.values_list("url_path", flat=True)) == ["sale"]

    import_catalog("sku,name,price\nTEE-1,Tee,11\n")  # an old file: categories untouched
    assert list(tee.categories.values_list("url_path", flat=True)) == ["sale"]

    import_catalog("sku,name,price,categories\nTEE-1,Tee,11,\n")
    assert not tee.categories.exists()


def test_import_rejects_an_empty_category_name_with_its_line_and_writes_nothing_of_the_row():
    result = import_catalog("sku,name,price,categories\nTEE-1,Tee,10,Women//Tops\nTEE-2,Tee,10,Sale\n")
    assert [str(r) for r in result.rejected] == [
        "line 2 (sku TEE-1): categories: 'Women//Tops' has an empty category name"
    ]
    assert not Product.objects.filter(sku="TEE-1").exists()
    assert Product.objects.get(sku="TEE-2").categories.get().url_path == "sale"


def test_seed_demo_builds_a_tree_and_places_every_demo_product():
    call_command("seed_demo", stdout=StringIO())
    menu = Category.objects.filter(level=2).order_by("position").values_list("url_path", flat=True)
    assert list(menu) == ["home-living", "books-paper", "gifts"]
    assert Category.objects.filter(level=3).count() == 4
    # Every listed product; variants are sold through their configurable product, never placed.
    assert not Product.objects.filter(category_links=None, parent=None).exists()
    assert Product.objects.get(sku="DEMO-THROW-01").categories.count() == 2


# --- GraphQL: categories / categoryList ------------------------------------------------------------------

TREE_FIELDS = """
  uid id name url_key url_path url_suffix position level path include_in_menu children_count
  product_count description image display_mode meta_title meta_description canonical_url
  breadcrumbs { category_uid category_name category_level category_url_key category_url_path }
"""


def test_categories_without_filters_answer_the_store_root_with_its_menu(gql, tree):
    data = gql.data(
        "{ categories { total_count page_info { current_page page_size total_pages }"
        "  items { uid name url_path level children_count product_count"
        "          children { name url_path position include_in_menu product_count } } } }"
    )
    assert data["categories"] == {
        "total_count": 1,
        "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
        "items": [
            {
                "uid": uid(tree["root"].pk),
                "name": "Default Category",
                "url_path": None,
                "level": 1,
                "children_count": "6",
                "product_count": 4,
                "children": [
                    {
                        "name": "Women",
                        "url_path": "women",
                        "position": 1,
                        "include_in_menu": 1,
                        "product_count": 3,
                    },
                    {
                        "name": "Men",
                        "url_path": "men",
                        "position": 2,
                        "include_in_menu": 1,
                        "product_count": 1,
                    },
                ],
            }
        ],
    }


def test_category_tree_fields_in_magento_shape(gql, tree):
    tees = tree["tees"]
    data = gql.data(
        "query ($uid: String!) { categories(filters: {category_uid: {eq: $uid}}) { items {"
        + TREE_FIELDS
        + "} } }",
        {"uid": uid(tees.pk)},
    )
    root, women, tops = tree["root"], tree["women"], tree["tops"]
    assert data["categories"]["items"] == [
        {
            "uid": uid(tees.pk),
            "id": tees.pk,
            "name": "Tees",
            "url_key": "tees",
            "url_path": "women/tops/tees",
            "url_suffix": "",
            "position": 0,
            "level": 4,
            "path": f"{root.pk}/{women.pk}/{tops.pk}/{tees.pk}",
            "include_in_menu": 1,
            "children_count": "0",
            "product_count": 1,
            "description": None,
            "image": None,
            "display_mode": "PRODUCTS",
            "meta_title": "All the tees",
            "meta_description": None,
            "canonical_url": None,
            "breadcrumbs": [
                {
                    "category_uid": uid(women.pk),
                    "category_name": "Women",
                    "category_level": 2,
                    "category_url_key": "women",
                    "category_url_path": "women",
                },
                {
                    "category_uid": uid(tops.pk),
                    "category_name": "Tops",
                    "category_level": 3,
                    "category_url_key": "tops",
                    "category_url_path": "women/tops",
                },
            ],
        }
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('{url_path: {eq: "women/tops"}}', ["Tops"]),
        ('{url_key: {in: ["tops", "shirts"]}}', ["Tops", "Shirts"]),
        ('{name: {match: "t"}}', ["Default Category", "Tops", "Tees", "Pants", "Shirts"]),  # tree order
        ('{url_path: {eq: "hidden"}}', []),  # inactive
        ('{url_path: {eq: "hidden/secret"}}', []),  # under an inactive category
        ('{category_uid: {eq: "not-a-uid"}}', []),
        ('{url_key: {eq: "women"}, name: {match: "men"}}', ["Women"]),  # every field must match
    ],
)
def test_categories_filters(gql, tree, filters, expected):
    data = gql.data("{ categories(filters: " + filters + ") { total_count items { name } } }")
    assert [item["name"] for item in data["categories"]["items"]] == expected
    assert data["categories"]["total_count"] == len(expected)


def test_categories_filter_by_ids_and_parents(gql, tree):
    women, men = tree["women"], tree["men"]
    by_parent_uid = gql.data(
        "query ($p: String!) { categories(filters: {parent_category_uid: {eq: $p}}) { items { name } } }",
        {"p": uid(women.pk)},
    )
    by_parent_id = gql.data(
        "query ($p: [String]) { categories(filters: {parent_id: {in: $p}}) { items { name } } }",
        {"p": [str(women.pk), str(men.pk)]},
    )
    by_ids = gql.data(
        "query ($id: String) { categoryList(filters: {ids: {eq: $id}}) { name children { name } } }",
        {"id": str(men.pk)},
    )
    assert by_parent_uid["categories"]["items"] == [{"name": "Tops"}, {"name": "Pants"}]
    assert by_parent_id["categories"]["items"] == [{"name": "Tops"}, {"name": "Pants"}, {"name": "Shirts"}]
    assert by_ids["categoryList"] == [{"name": "Men", "children": [{"name": "Shirts"}]}]


def test_category_list_without_filters_is_the_root_tree_as_venias_mega_menu_reads_it(gql, tree):
    data = gql.data("{ categoryList { name children { name children { name children { name } } } } }")
    assert data["categoryList"] == [
        {
            "name": "Default Category",
            "children": [
                {
                    "name": "Women",
                    "children": [
                        {"name": "Tops", "children": [{"name": "Tees"}]},
                        {"name": "Pants", "children": []},
                    ],
                },
                {"name": "Men", "children": [{"name": "Shirts", "children": []}]},
            ],
        }
    ]


def test_categories_paging_and_magento_paging_errors(gql, tree):
    page2 = gql.data(
        '{ categories(filters: {name: {match: "t"}}, pageSize: 3, currentPage: 2) {'
        " total_count page_info { current_page page_size total_pages } items { name } } }"
    )
    assert page2["categories"] == {
        "total_count": 5,
        "page_info": {"current_page": 2, "page_size": 3, "total_pages": 2},
        "items": [{"name": "Pants"}, {"name": "Shirts"}],
    }
    beyond = gql.error(
        '{ categories(filters: {name: {match: "t"}}, pageSize: 3, currentPage: 3) { total_count } }'
    )
    assert beyond["message"] == "currentPage value 3 specified is greater than the 2 page(s) available."
    zero = gql.error("{ categories(pageSize: 0) { total_count } }")
    assert zero["message"] == "pageSize value must be greater than 0."
    assert zero["extensions"]["category"] == "graphql-input"


def test_no_categories_answer_empty_results(gql, db):
    data = gql.data("{ categories { total_count items { uid } } categoryList { uid } }")
    assert data == {"categories": {"total_count": 0, "items": []}, "categoryList": []}


def test_category_products_are_its_subtrees_active_products_in_category_order(gql, tree):
    data = gql.data(
        "query ($uid: String!) { categories(filters: {category_uid: {eq: $uid}}) { items {"
        "  products(pageSize: 2) { total_count page_info { total_pages } items { sku } } } } }",
        {"uid": uid(tree["tops"].pk)},
    )
    products = data["categories"]["items"][0]["products"]
    assert products == {
        "total_count": 2,
        "page_info": {"total_pages": 1},
        "items": [{"sku": "BLOUSE-1"}, {"sku": "TEE-1"}],
    }


def test_store_config_names_the_root_category(gql, tree):
    data = gql.data("{ storeConfig { root_category_uid root_category_id } }")
    assert data["storeConfig"] == {
        "root_category_uid": uid(tree["root"].pk),
        "root_category_id": tree["root"].pk,
    }


# --- GraphQL: products and categories ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        # anchor: the subtree's products; none linked to Women itself, so by creation
        ("category_uid", "women", ["TEE-1", "BLOUSE-1", "JEANS-1"]),
        ("category_uid", "tops", ["BLOUSE-1", "TEE-1"]),  # in Tops' own order
        ("category_id", "shirts", ["SHIRT-1"]),
        ("category_id", "hidden", []),
    ],
)
def test_products_filter_by_category(gql, tree, key, value, expected):
    pk = tree[value].pk
    filter_value = uid(pk) if key == "category_uid" else str(pk)
    data = gql.data(
        "query ($f: ProductAttributeFilterInput) { products(filter: $f) { total_count items { sku } } }",
        {"f": {key: {"eq": filter_value}}},
    )
    assert [item["sku"] for item in data["products"]["items"]] == expected
    assert data["products"]["total_count"] == len(expected)


def test_products_filter_by_several_categories_and_unknown_uid(gql, tree):
    data = gql.data(
        "query ($f: ProductAttributeFilterInput) { products(filter: $f, sort: {name: ASC}) { items { sku } } }",
        {"f": {"category_uid": {"in": [uid(tree["pants"].pk), uid(tree["shirts"].pk)]}}},
    )
    unknown = gql.data('{ products(filter: {category_uid: {eq: "bm9wZQ=="}}) { total_count items { sku } } }')
    assert [item["sku"] for item in data["products"]["items"]] == ["JEANS-1", "SHIRT-1"]
    assert unknown["products"] == {"total_count": 0, "items": []}


def test_product_categories_with_breadcrumbs(gql, tree):
    data = gql.data(
        '{ products(filter: {sku: {eq: "TEE-1"}}) { items { sku categories {'
        " __typename uid name url_path breadcrumbs { category_name } } } } }"
    )
    assert data["products"]["items"][0]["categories"] == [
        {
            "__typename": "CategoryTree",
            "uid": uid(tree["tops"].pk),
            "name": "Tops",
            "url_path": "women/tops",
            "breadcrumbs": [{"category_name": "Women"}],
        },
        {
            "__typename": "CategoryTree",
            "uid": uid(tree["tees"].pk),
            "name": "Tees",
            "url_path": "women/tops/tees",
            "breadcrumbs": [{"category_name": "Women"}, {"category_name": "Tops"}],
        },
    ]


# --- SQL budget -------------------------------------------------------------------------------------------

MENU_QUERY = """
{ categories { items { uid name children_count product_count breadcrumbs { category_uid }
    children { uid name url_path children_count product_count breadcrumbs { category_name }
      children { uid name product_count children { uid name product_count } } } } } }
"""


@pytest.mark.parametrize("width", [1, 25])
def test_categories_query_with_children_and_counts_stays_at_two_queries(
    gql, make_product, django_assert_max_num_queries, width
):
    root = Category.objects.create(name="Default Category", url_key="default-category")
    for n in range(width):
        top = Category.objects.create(parent=root, name=f"Top {n}", url_key=f"top-{n}")
        child = Category.objects.create(parent=top, name=f"Child {n}", url_key="child")
        grandchild = Category.objects.create(parent=child, name=f"Grandchild {n}", url_key="grandchild")
        for category in (top, child, grandchild):
            CategoryProduct.objects.create(category=category, product=make_product())

    with django_assert_max_num_queries(2):  # the tree, the product links
        data = gql.data(MENU_QUERY)

    (root_item,) = data["categories"]["items"]
    assert root_item["product_count"] == 3 * width
    assert len(root_item["children"]) == width
    assert [c["product_count"] for c in root_item["children"]] == [3] * width


@pytest.mark.parametrize("count", [1, 30])
def test_products_by_category_with_their_categories_stays_at_four_queries(
    gql, tree, make_product, django_assert_max_num_queries, count
):
    for _ in range(count):
        CategoryProduct.objects.create(category=tree["pants"], product=make_product())

    with django_assert_max_num_queries(4):  # count, page, the page's category links, the tree
        data = gql.data(
            "query ($uid: String) { products(filter: {category_uid: {eq: $uid}}, pageSize: 50) {"
            " total_count items { sku categories { uid breadcrumbs { category_uid } } } } }",
            {"uid": uid(tree["pants"].pk)},
        )

    assert data["products"]["total_count"] == count + 1
    assert all(item["categories"][0]["uid"] == uid(tree["pants"].pk) for item in data["products"]["items"])


# --- admin ----------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-password-123")
    client.force_login(user)
    return client


def test_admin_lists_categories_as_a_tree(staff_client, tree):
    html = staff_client.get(reverse("admin:shop_category_changelist")).content.decode()
    names = re.findall(r'<th class="field-indented_name"><a [^>]*>([^<]+)</a>', html)
    assert names == [
        "Default Category",
        "— Women",
        "— — Tops",
        "— — — Tees",
        "— — Pants",
        "— Men",
        "— — Shirts",
        "— Hidden",
        "— — Secret",
    ]


def test_admin_category_form_refuses_a_duplicate_sibling_url_key(staff_client, tree):
    response = staff_client.post(
        reverse("admin:shop_category_add"),
        {"parent": tree["women"].pk, "name": "Tops 2", "url_key": "tops", "position": "0", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Category with this Parent and Url key already exists." in response.content.decode()
    assert Category.objects.filter(name="Tops 2").count() == 0


def test_admin_is_for_staff_only(client, tree):
    response = client.get(reverse("admin:shop_category_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_product_form_places_the_product_in_categories(staff_client, tree):
    product = Product.objects.get(sku="JEANS-1")
    response = staff_client.post(
        reverse("admin:shop_product_change", args=[product.pk]),
        {
            "sku": product.sku,
            "name": product.name,
            "url_key": product.url_key,
            "is_active": "on",
            "price": "10.00",
            "tax_class": "standard",
            "stock_qty": "5",
            "description": "",
            "image_url": "",
            "category_links-TOTAL_FORMS": "2",
            "category_links-INITIAL_FORMS": "1",
            "category_links-0-id": product.category_links.get().pk,
            "category_links-0-product": product.pk,
            "category_links-0-category": tree["pants"].pk,
            "category_links-0-position": "3",
            "category_links-1-product": product.pk,
            "category_links-1-category": tree["men"].pk,
            "category_links-1-position": "0",
        },
    )
    assert response.status_code == 302
    assert sorted(product.category_links.values_list("category__url_path", "position")) == [
        ("men", 0),
        ("women/pants", 3),
    ]


@pytest.mark.parametrize("typed", ["0\x1f", "²", " 12 ", "-1", "1e3"])
def test_category_ids_a_client_mistyped_are_no_match_not_a_crash(gql, typed):
    data = gql.data("query($id: String) { categoryList(filters: {ids: {eq: $id}}) { uid } }", {"id": typed})
    assert data["categoryList"] == [] or all(c["uid"] for c in data["categoryList"])
