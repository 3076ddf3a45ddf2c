"""Configurable products (issue 19 part 2), Magento's model: a parent with configurable
attributes and values, variants that are simple products of their own (SKU, price, stock,
image), bought through the parent with ``selected_options`` or the deprecated
``addConfigurableProductsToCart``."""

import base64
from decimal import Decimal

import pytest
from django.core.management import call_command

from cart.fetch import load_cart_info
from cart.models import Cart
from cart.totals import compute_totals
from payments_klarna.order_lines import order_lines
from shop import configurable
from shop.configurable import AttributeSpec, add_variant, create_configurable
from shop.models import Product

pytestmark = pytest.mark.django_db


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def tshirt(db):
    """Blue/Red × S/M; Red M sold out; M costs more."""
    parent = create_configurable(
        sku="TEE",
        name="T-shirt",
        url_key="t-shirt",
        image_url="/static/img/products/tshirt-blue.svg",
        attributes=[
            AttributeSpec("color", "Color", [("Blue", "#1f4e9c"), ("Red", "#b3261e")]),
            AttributeSpec("size", "Size", [("S", ""), ("M", "")]),
        ],
    )
    for sku, color, size, price, stock in [
        ("TEE-BLUE-S", "Blue", "S", "20.00", 5),
        ("TEE-BLUE-M", "Blue", "M", "22.00", 3),
        ("TEE-RED-S", "Red", "S", "20.00", 4),
        ("TEE-RED-M", "Red", "M", "22.00", 0),
    ]:
        add_variant(
            parent,
            sku=sku,
            values={"color": color, "size": size},
            price=Decimal(price),
            stock_qty=stock,
            image_url=f"/static/img/products/tshirt-{color.lower()}.svg",
        )
    parent.refresh_from_db()
    return parent


def uids(parent, **chosen) -> list[str]:
    """The value uids of ``color="Blue", size="M"``, as a storefront reads them from the product."""
    found = []
    for attribute in parent.configurable_attributes.all():
        value = attribute.values.get(label=chosen[attribute.code])
        found.append(b64(f"configurable/{attribute.pk}/{value.pk}"))
    return found


def new_cart(gql) -> str:
    return gql.data("mutation { createGuestCart { cart { id } } }")["createGuestCart"]["cart"]["id"]


ADD = """
mutation($cartId: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $cartId, cartItems: $items) {
    cart {
      items {
        __typename uid quantity
        product { __typename sku name }
        prices { price_including_tax { value } row_total_including_tax { value } }
        ... on ConfigurableCartItem {
          configurable_options {
            id configurable_product_option_uid option_label
            value_id configurable_product_option_value_uid value_label
          }
          configured_variant { __typename sku name stock_status }
        }
      }
    }
    user_errors { code message }
  }
}"""


# --- model -----------------------------------------------------------------------------------------------
def test_variants_are_named_after_parent_and_values_and_parent_price_is_lowest(tshirt):
    assert [v.name for v in tshirt.variants.order_by("id")] == [
        "T-shirt - Blue, S",
        "T-shirt - Blue, M",
        "T-shirt - Red, S",
        "T-shirt - Red, M",
    ]
    assert tshirt.price == Decimal("20.00")
    assert tshirt.stock_qty == 0 and tshirt.is_configurable


def test_add_variant_refuses_a_combination_twice_and_unknown_values(tshirt):
    with pytest.raises(ValueError, match="TEE-BLUE-S already has these values"):
        add_variant(tshirt, sku="TEE-X", values={"color": "Blue", "size": "S"}, price=Decimal("1"))
    with pytest.raises(ValueError, match="'Green' is no value of color"):
        add_variant(tshirt, sku="TEE-X", values={"color": "Green", "size": "S"}, price=Decimal("1"))
    with pytest.raises(ValueError, match="exactly one value"):
        add_variant(tshirt, sku="TEE-X", values={"color": "Blue"}, price=Decimal("1"))


def test_variant_for_options_finds_the_variant_or_says_choose(tshirt):
    configurable.load_configurable_data([tshirt])
    assert configurable.variant_for_options(tshirt, uids(tshirt, color="Red", size="S")).sku == "TEE-RED-S"
    for bad in ([], uids(tshirt, color="Red", size="S")[:1], ["bm90IGEgdWlk"], [b64("configurable/0/0")]):
        with pytest.raises(Exception) as raised:
            configurable.variant_for_options(tshirt, bad)
        assert raised.value.code == "configurable_options_missing"


def test_price_range_and_stock_come_from_in_stock_variants(tshirt):
    configurable.load_configurable_data([tshirt])
    # Red M (22.00) is sold out, Blue M (22.00) is not: the range is 20-22.
    assert configurable.price_range(tshirt) == configurable.PriceRange(Decimal("20.00"), Decimal("22.00"))
    assert configurable.is_in_stock(tshirt)
    Product.objects.filter(parent=tshirt).update(stock_qty=0)
    tshirt = Product.objects.get(pk=tshirt.pk)
    configurable.load_configurable_data([tshirt])
    assert not configurable.is_in_stock(tshirt)


# --- GraphQL: products ------------------------------------------------------------------------------------
PRODUCT_QUERY = """
{
  products(filter: {sku: {eq: "TEE"}}) {
    total_count
    items {
      __typename sku stock_status
      price_range { minimum_price { final_price { value } } maximum_price { final_price { value } } }
      ... on ConfigurableProduct {
        configurable_options {
          uid attribute_code attribute_uid attribute_id label position use_default
          values { uid value_index label default_label store_label use_default_value
                   swatch_data { __typename value } }
        }
        variants {
          attributes { uid code label value_index }
          product { __typename sku stock_status price_range { minimum_price { final_price { value } } } }
        }
      }
    }
  }
}"""


def test_configurable_product_in_magento_shape(gql, tshirt):
    item = gql.data(PRODUCT_QUERY)["products"]["items"][0]
    color, size = tshirt.configurable_attributes.all()
    blue, red = color.values.all()
    assert item["__typename"] == "ConfigurableProduct"
    assert item["stock_status"] == "IN_STOCK"
    assert item["price_range"] == {
        "minimum_price": {"final_price": {"value": 20.0}},
        "maximum_price": {"final_price": {"value": 22.0}},
    }
    options = item["configurable_options"]
    assert [o["attribute_code"] for o in options] == ["color", "size"]
    assert options[0] == {
        "uid": b64(f"configurable/{color.pk}"),
        "attribute_code": "color",
        "attribute_uid": b64(str(color.pk)),
        "attribute_id": str(color.pk),
        "label": "Color",
        "position": 0,
        "use_default": False,
        "values": [
            {
                "uid": b64(f"configurable/{color.pk}/{blue.pk}"),
                "value_index": blue.pk,
                "label": "Blue",
                "default_label": "Blue",
                "store_label": "Blue",
                "use_default_value": True,
                "swatch_data": {"__typename": "ColorSwatchData", "value": "#1f4e9c"},
            },
            {
                "uid": b64(f"configurable/{color.pk}/{red.pk}"),
                "value_index": red.pk,
                "label": "Red",
                "default_label": "Red",
                "store_label": "Red",
                "use_default_value": True,
                "swatch_data": {"__typename": "ColorSwatchData", "value": "#b3261e"},
            },
        ],
    }
    assert options[1]["values"][0]["swatch_data"] is None  # sizes have no swatch
    assert [v["product"]["sku"] for v in item["variants"]] == [
        "TEE-BLUE-S",
        "TEE-BLUE-M",
        "TEE-RED-S",
        "TEE-RED-M",
    ]
    red_m = item["variants"][3]
    assert red_m["product"] == {
        "__typename": "SimpleProduct",
        "sku": "TEE-RED-M",
        "stock_status": "OUT_OF_STOCK",
        "price_range": {"minimum_price": {"final_price": {"value": 22.0}}},
    }
    assert [(a["code"], a["label"]) for a in red_m["attributes"]] == [("color", "Red"), ("size", "M")]
    assert red_m["attributes"][0]["uid"] == b64(f"configurable/{color.pk}/{red.pk}")
    assert red_m["attributes"][0]["value_index"] == red.pk


def test_variants_are_not_listed_on_their_own(gql, tshirt, make_product):
    make_product(sku="MUG", name="Mug")
    data = gql.data('{ products(search: "") { total_count items { sku } } }')
    assert sorted(i["sku"] for i in data["products"]["items"]) == ["MUG", "TEE"]
    data = gql.data('{ products(filter: {sku: {eq: "TEE-BLUE-S"}}) { total_count } }')
    assert data["products"]["total_count"] == 0


@pytest.mark.parametrize("parents", [1, 10])
def test_products_with_variants_stay_within_a_fixed_query_budget(gql, django_assert_max_num_queries, parents):
    for n in range(parents):
        parent = create_configurable(
            sku=f"P{n}",
            name=f"Shirt {n}",
            attributes=[
                AttributeSpec("color", "Color", [("Blue", "#00f"), ("Red", "#f00")]),
                AttributeSpec("size", "Size", [("S", ""), ("M", "")]),
            ],
        )
        for color in ("Blue", "Red"):
            for size in ("S", "M"):
                add_variant(
                    parent,
                    sku=f"P{n}-{color}-{size}",
                    values={"color": color, "size": size},
                    price=Decimal("5"),
                )
    query = PRODUCT_QUERY.replace('filter: {sku: {eq: "TEE"}}', 'search: "Shirt", pageSize: 50')
    # count + page, then attributes, values, variants, variant values: the same for 1 and 10.
    with django_assert_max_num_queries(6):
        data = gql.data(query)
    assert data["products"]["total_count"] == parents
    assert all(len(item["variants"]) == 4 for item in data["products"]["items"])


# --- cart: addProductsToCart with selected_options ----------------------------------------------------------
def test_add_by_parent_sku_and_selected_options_adds_the_variant(gql, tshirt, tax_rates):
    cart_id = new_cart(gql)
    color = tshirt.configurable_attributes.get(code="color")
    size = tshirt.configurable_attributes.get(code="size")
    blue, m = color.values.get(label="Blue"), size.values.get(label="M")
    items = [{"sku": "TEE", "quantity": 2, "selected_options": uids(tshirt, color="Blue", size="M")}]
    result = gql.data(ADD, {"cartId": cart_id, "items": items})["addProductsToCart"]
    assert result["user_errors"] == []
    [line] = result["cart"]["items"]
    assert line["__typename"] == "ConfigurableCartItem"
    assert line["quantity"] == 2
    assert line["product"] == {"__typename": "ConfigurableProduct", "sku": "TEE", "name": "T-shirt"}
    assert line["configured_variant"] == {
        "__typename": "SimpleProduct",
        "sku": "TEE-BLUE-M",
        "name": "T-shirt - Blue, M",
        "stock_status": "IN_STOCK",
    }
    # The variant's price (tax-inclusive catalog prices, DE VAT).
    assert line["prices"]["price_including_tax"]["value"] == 22.0
    assert line["prices"]["row_total_including_tax"]["value"] == 44.0
    assert line["configurable_options"] == [
        {
            "id": color.pk,
            "configurable_product_option_uid": b64(f"configurable/{color.pk}"),
            "option_label": "Color",
            "value_id": blue.pk,
            "configurable_product_option_value_uid": b64(f"configurable/{color.pk}/{blue.pk}"),
            "value_label": "Blue",
        },
        {
            "id": size.pk,
            "configurable_product_option_uid": b64(f"configurable/{size.pk}"),
            "option_label": "Size",
            "value_id": m.pk,
            "configurable_product_option_value_uid": b64(f"configurable/{size.pk}/{m.pk}"),
            "value_label": "M",
        },
    ]
    # Adding the same choice again grows the line (to Blue M's 3 units); another choice is its
    # own line.
    items[0]["quantity"] = 1
    assert gql.data(ADD, {"cartId": cart_id, "items": items})["addProductsToCart"]["user_errors"] == []
    items[0]["selected_options"] = uids(tshirt, color="Blue", size="S")
    lines = gql.data(ADD, {"cartId": cart_id, "items": items})["addProductsToCart"]["cart"]["items"]
    assert [(i["configured_variant"]["sku"], i["quantity"]) for i in lines] == [
        ("TEE-BLUE-M", 3.0),
        ("TEE-BLUE-S", 1.0),
    ]


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(None, id="no options"),
        pytest.param("color only", id="an attribute left out"),
        pytest.param([b64("configurable/0/0")], id="unknown uid"),
        pytest.param(["not base64!"], id="garbage"),
        pytest.param("other product", id="another product's values"),
    ],
)
def test_missing_or_foreign_options_are_magentos_choose_options_error(gql, tshirt, options):
    other = create_configurable(
        sku="CAP", name="Cap", attributes=[AttributeSpec("color", "Color", [("Blue", "")])]
    )
    add_variant(other, sku="CAP-BLUE", values={"color": "Blue"}, price=Decimal("9"), stock_qty=3)
    if options == "color only":
        options = uids(tshirt, color="Blue", size="S")[:1]
    elif options == "other product":
        options = uids(other, color="Blue") + uids(tshirt, color="Blue", size="S")[1:]
    item = {"sku": "TEE", "quantity": 1}
    if options is not None:
        item["selected_options"] = options
    result = gql.data(ADD, {"cartId": new_cart(gql), "items": [item]})["addProductsToCart"]
    assert result["user_errors"] == [
        {"code": "UNDEFINED", "message": "You need to choose options for your item."}
    ]
    assert result["cart"]["items"] == []


def test_out_of_stock_variant_and_too_many_are_refused_per_variant(gql, tshirt):
    cart_id = new_cart(gql)
    sold_out = [{"sku": "TEE", "quantity": 1, "selected_options": uids(tshirt, color="Red", size="M")}]
    result = gql.data(ADD, {"cartId": cart_id, "items": sold_out})["addProductsToCart"]
    assert result["user_errors"] == [
        {"code": "INSUFFICIENT_STOCK", "message": "This product is out of stock."}
    ]
    # Blue M has 3 of its own, whatever the other variants hold.
    too_many = [{"sku": "TEE", "quantity": 4, "selected_options": uids(tshirt, color="Blue", size="M")}]
    result = gql.data(ADD, {"cartId": cart_id, "items": too_many})["addProductsToCart"]
    assert result["user_errors"] == [
        {"code": "INSUFFICIENT_STOCK", "message": "The requested qty is not available"}
    ]
    assert result["cart"]["items"] == []


def test_unknown_parent_sku_is_product_not_found(gql, tshirt):
    items = [{"sku": "configurable_no_exist", "quantity": 1, "selected_options": []}]
    result = gql.data(ADD, {"cartId": new_cart(gql), "items": items})["addProductsToCart"]
    assert result["user_errors"] == [
        {"code": "PRODUCT_NOT_FOUND", "message": 'Could not find a product with SKU "configurable_no_exist"'}
    ]


# --- cart: addConfigurableProductsToCart --------------------------------------------------------------------
ADD_CONFIGURABLE = """
mutation($cartId: String!, $parent: String, $sku: String!, $qty: Float!) {
  addConfigurableProductsToCart(input: {cart_id: $cartId, cart_items: [
    {parent_sku: $parent, data: {sku: $sku, quantity: $qty}}
  ]}) {
    cart { items { quantity product { sku } ... on ConfigurableCartItem {
      configurable_options { option_label value_label } configured_variant { sku } } } }
  }
}"""


def test_add_configurable_products_to_cart_adds_the_named_variant(gql, tshirt):
    cart_id = new_cart(gql)
    variables = {"cartId": cart_id, "parent": "TEE", "sku": "TEE-RED-S", "qty": 2}
    items = gql.data(ADD_CONFIGURABLE, variables)["addConfigurableProductsToCart"]["cart"]["items"]
    assert items == [
        {
            "quantity": 2.0,
            "product": {"sku": "TEE"},
            "configurable_options": [
                {"option_label": "Color", "value_label": "Red"},
                {"option_label": "Size", "value_label": "S"},
            ],
            "configured_variant": {"sku": "TEE-RED-S"},
        }
    ]


@pytest.mark.parametrize(
    "parent, sku, qty, message",
    [
        (
            "TEE",
            "simple_no_exist",
            1,
            "Could not add the product with SKU TEE to the shopping cart: Could not find specified product.",
        ),
        (
            "configurable_no_exist",
            "TEE-RED-S",
            1,
            'Could not find a product with SKU "configurable_no_exist"',
        ),
        (
            "TEE",
            "TEE-RED-M",
            1,
            "Could not add the product with SKU TEE to the shopping cart: This product is out of stock.",
        ),
        (
            "TEE",
            "TEE-BLUE-M",
            4,  # Blue M holds 3
            "Could not add the product with SKU TEE to the shopping cart: The requested qty is not available",
        ),
    ],
)
def test_add_configurable_products_to_cart_errors_are_magentos(gql, tshirt, parent, sku, qty, message):
    cart_id = new_cart(gql)
    error = gql.error(ADD_CONFIGURABLE, {"cartId": cart_id, "parent": parent, "sku": sku, "qty": qty})
    assert error["message"] == message
    assert Cart.objects.get(masked_id=cart_id).items.count() == 0


def test_a_variant_of_another_parent_is_not_found(gql, tshirt):
    other = create_configurable(
        sku="CAP", name="Cap", attributes=[AttributeSpec("color", "Color", [("Blue", "")])]
    )
    add_variant(other, sku="CAP-BLUE", values={"color": "Blue"}, price=Decimal("9"), stock_qty=3)
    error = gql.error(
        ADD_CONFIGURABLE, {"cartId": new_cart(gql), "parent": "TEE", "sku": "CAP-BLUE", "qty": 1}
    )
    assert error["message"] == (
        "Could not add the product with SKU TEE to the shopping cart: Could not find specified product."
    )


# --- cart query budget, order lines -----------------------------------------------------------------------
CART_ITEMS = """
    items {
      uid quantity
      product { uid sku name stock_status thumbnail { url }
        ... on ConfigurableProduct { variants { attributes { uid code value_index }
                                                product { uid stock_status small_image { url } } } } }
      prices { price { value } }
      ... on ConfigurableCartItem {
        configurable_options { id configurable_product_option_uid option_label
                               configurable_product_option_value_uid value_label value_id }
        configured_variant { sku }
      }
    }
"""
CART_QUERY = "query($cartId: String!) { cart(cart_id: $cartId) { " + CART_ITEMS + " } }"


@pytest.mark.parametrize("parents", [1, 8])
def test_cart_with_configurable_lines_has_a_fixed_query_budget(gql, django_assert_max_num_queries, parents):
    cart_id = new_cart(gql)
    for n in range(parents):
        parent = create_configurable(
            sku=f"P{n}", name=f"Shirt {n}", attributes=[AttributeSpec("size", "Size", [("S", ""), ("M", "")])]
        )
        for size in ("S", "M"):
            add_variant(parent, sku=f"P{n}-{size}", values={"size": size}, price=Decimal("5"), stock_qty=9)
            items = [{"sku": f"P{n}", "quantity": 1, "selected_options": uids(parent, size=size)}]
            assert (
                gql.data(ADD, {"cartId": cart_id, "items": items})["addProductsToCart"]["user_errors"] == []
            )
    # cart, items, addresses, tax rates + parents, variant values, then the parents' attributes,
    # values, variants and variants' values.
    with django_assert_max_num_queries(11):
        data = gql.data(CART_QUERY, {"cartId": cart_id})
    lines = data["cart"]["items"]
    assert len(lines) == 2 * parents
    assert all(len(line["configurable_options"]) == 1 for line in lines)
    assert all(len(line["product"]["variants"]) == 2 for line in lines)


@pytest.mark.parametrize("parents", [1, 25])
def test_adding_a_variant_to_a_cart_of_variants_has_a_fixed_query_budget(
    gql, django_assert_max_num_queries, parents
):
    """1 or 50 configurable lines: the add, with the cart Venia's mini cart reads back."""
    cart_id = new_cart(gql)
    for n in range(parents + 1):
        parent = create_configurable(
            sku=f"P{n}", name=f"Shirt {n}", attributes=[AttributeSpec("size", "Size", [("S", ""), ("M", "")])]
        )
        for size in ("S", "M"):
            add_variant(parent, sku=f"P{n}-{size}", values={"size": size}, price=Decimal("5"), stock_qty=9)
            if n < parents:
                items = [{"sku": f"P{n}", "quantity": 1, "selected_options": uids(parent, size=size)}]
                gql.data(ADD, {"cartId": cart_id, "items": items})
    items = [{"sku": f"P{parents}", "quantity": 1, "selected_options": uids(parent, size="M")}]
    mutation = (
        "mutation($cartId: String!, $items: [CartItemInput!]!) { addProductsToCart(cartId: $cartId,"
        " cartItems: $items) { user_errors { message } cart { " + CART_ITEMS + " } } }"
    )
    with django_assert_max_num_queries(20):  # the cart mutations' budget (tests/cart)
        data = gql.data(mutation, {"cartId": cart_id, "items": items})
    result = data["addProductsToCart"]
    assert result["user_errors"] == []
    assert len(result["cart"]["items"]) == 2 * parents + 1


def test_klarna_order_lines_and_totals_name_the_variant(gql, tshirt, tax_rates):
    cart_id = new_cart(gql)
    items = [{"sku": "TEE", "quantity": 2, "selected_options": uids(tshirt, color="Red", size="S")}]
    gql.data(ADD, {"cartId": cart_id, "items": items})
    totals = compute_totals(load_cart_info(Cart.objects.get(masked_id=cart_id)))
    [line] = [line for line in order_lines(totals) if line["type"] == "physical"]
    assert line["reference"] == "TEE-RED-S"
    assert line["name"] == "T-shirt - Red, S"
    assert line["quantity"] == 2
    assert line["unit_price"] == 2000


# --- storefront -------------------------------------------------------------------------------------------
def test_product_page_offers_a_select_per_attribute_and_each_variants_stock(client, tshirt):
    page = client.get("/products/t-shirt/").content.decode()
    assert '<select id="option-color" name="selected_options" required data-option>' in page
    assert '<select id="option-size" name="selected_options" required data-option>' in page
    blue_uid = uids(tshirt, color="Blue", size="S")[0]
    assert f'<option value="{blue_uid}" data-swatch="#1f4e9c">Blue</option>' in page
    assert "20,00\xa0€ – 22,00\xa0€" in page
    assert "Blue, M" in page and "3 in stock" in page
    assert "Red, M" in page and "Out of stock" in page
    # A variant has no page of its own.
    assert client.get("/products/tee-blue-s/").status_code == 404


def test_product_page_form_adds_the_chosen_variant_without_script(client, tshirt):
    client.get("/products/t-shirt/")
    response = client.post(
        "/cart/add/",
        {"sku": "TEE", "quantity": "2", "selected_options": uids(tshirt, color="Red", size="S")},
    )
    assert response.status_code == 302
    cart = Cart.objects.get()
    assert [(i.product.sku, i.quantity) for i in cart.items.all()] == [("TEE-RED-S", 2)]


def test_product_page_form_without_a_choice_says_choose(client, tshirt):
    response = client.post(
        "/cart/add/", {"sku": "TEE", "quantity": "1", "selected_options": ["", ""]}, follow=True
    )
    assert "You need to choose options for your item." in response.content.decode()


def test_listing_shows_the_parents_price_range_and_stock(client, tshirt):
    page = client.get("/").content.decode()
    assert "T-shirt" in page and "20,00\xa0€ – 22,00\xa0€" in page
    assert "TEE-BLUE-S" not in page and "T-shirt - Blue" not in page


def test_seed_demo_has_a_tshirt_in_two_colours_and_three_sizes_one_sold_out(gql):
    call_command("seed_demo", verbosity=0)
    tee = Product.objects.get(sku="DEMO-TEE-01")
    assert tee.is_configurable
    assert [a.code for a in tee.configurable_attributes.all()] == ["color", "size"]
    variants = list(tee.variants.all())
    assert len(variants) == 6
    assert [v.name for v in variants if v.stock_qty == 0] == ["Organic Cotton T-shirt - Red, L"]
    item = gql.data('{ products(filter: {sku: {eq: "DEMO-TEE-01"}}) { items { __typename stock_status } } }')
    assert item["products"]["items"] == [{"__typename": "ConfigurableProduct", "stock_status": "IN_STOCK"}]


def test_placing_an_order_names_the_variant_and_takes_its_stock(gql, tshirt, tax_rates):
    from checkout.models import Order
    from tests.checkout_fixtures import ADDRESS, PLACE_ORDER

    cart_id = new_cart(gql)
    items = [{"sku": "TEE", "quantity": 2, "selected_options": uids(tshirt, color="Blue", size="S")}]
    assert gql.data(ADD, {"cartId": cart_id, "items": items})["addProductsToCart"]["user_errors"] == []
    gql.data(
        """mutation($c: String!, $a: CartAddressInput!) {
          setGuestEmailOnCart(input: {cart_id: $c, email: "erika@example.com"}) { cart { id } }
          setShippingAddressesOnCart(input: {cart_id: $c, shipping_addresses: [{address: $a}]}) { cart { id } }
          setBillingAddressOnCart(input: {cart_id: $c, billing_address: {same_as_shipping: true}}) { cart { id } }
          setShippingMethodsOnCart(input: {cart_id: $c, shipping_methods:
            [{carrier_code: "flatrate", method_code: "flatrate"}]}) { cart { id } }
          setPaymentMethodOnCart(input: {cart_id: $c, payment_method: {code: "checkmo"}}) { cart { id } }
        }""",
        {"c": cart_id, "a": ADDRESS},
    )
    result = gql.data(PLACE_ORDER, {"cart": cart_id})["placeOrder"]
    assert result["orderV2"]["items"] == [{"product_sku": "TEE-BLUE-S", "quantity_ordered": 2.0}]
    order = Order.objects.get(number=result["order"]["order_number"])
    assert [(i.sku, i.name, i.quantity) for i in order.items.all()] == [
        ("TEE-BLUE-S", "T-shirt - Blue, S", 2)
    ]
    stock = dict(Product.objects.filter(sku__startswith="TEE").values_list("sku", "stock_qty"))
    assert stock == {"TEE": 0, "TEE-BLUE-S": 3, "TEE-BLUE-M": 3, "TEE-RED-S": 4, "TEE-RED-M": 0}

    # The customer's order history shows the options and the product's (parent's) url key.
    from shop import customers

    anna = customers.create_customer(
        email="anna@example.com", firstname="Anna", lastname="Muster", password="a-long-password-123"
    )
    order.customer = anna
    order.save(update_fields=["customer"])
    token = customers.issue_token(anna).token
    history = gql.data(
        "{ customer { orders { items { items { product_sku product_name product_url_key"
        " selected_options { label value } } } } } }",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert history["customer"]["orders"]["items"][0]["items"] == [
        {
            "product_sku": "TEE-BLUE-S",
            "product_name": "T-shirt - Blue, S",
            "product_url_key": "t-shirt",
            "selected_options": [{"label": "Color", "value": "Blue"}, {"label": "Size", "value": "S"}],
        }
    ]


SELECTION = """
query($uids: [ID!]) {
  products(filter: {sku: {eq: "TEE"}}) { items { ... on ConfigurableProduct {
    configurable_product_options_selection(configurableOptionValueUids: $uids) {
      options_available_for_selection { attribute_code option_value_uids }
      configurable_options { attribute_code values { label is_available } }
      media_gallery { url label }
      variant { sku }
    }
  } } }
}"""


def _selection(gql, uids):
    items = gql.data(SELECTION, {"uids": uids})["products"]["items"]
    return items[0]["configurable_product_options_selection"]


def test_options_selection_narrows_to_in_stock_variants_and_names_the_chosen_one(gql, tshirt):
    red, m = uids(tshirt, color="Red", size="M")
    blue, s = uids(tshirt, color="Blue", size="S")
    # Nothing chosen: every value leads somewhere in stock, no variant yet.
    nothing = _selection(gql, [])
    assert nothing["variant"] is None
    assert [len(o["option_value_uids"]) for o in nothing["options_available_for_selection"]] == [2, 2]
    # Red chosen: only S (Red M is sold out); Blue stays available for colour.
    after_red = _selection(gql, [red])
    assert after_red["options_available_for_selection"] == [
        {"attribute_code": "color", "option_value_uids": [blue, red]},
        {"attribute_code": "size", "option_value_uids": [s]},
    ]
    assert after_red["configurable_options"][1] == {
        "attribute_code": "size",
        "values": [{"label": "S", "is_available": True}, {"label": "M", "is_available": False}],
    }
    # Everything chosen: the variant and its image.
    chosen = _selection(gql, [red, s])
    assert chosen["variant"] == {"sku": "TEE-RED-S"}
    assert chosen["media_gallery"] == [
        {"url": "http://testserver/static/img/products/tshirt-red.svg", "label": "T-shirt - Red, S"}
    ]


def test_admin_shows_a_parents_attributes_and_a_variants_values(client, django_user_model, tshirt):
    from django.urls import reverse

    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-password-123")
    client.force_login(user)
    parent_page = client.get(reverse("admin:shop_product_change", args=[tshirt.pk])).content.decode()
    assert "Configurable attributes" in parent_page and 'value="color"' in parent_page
    variant = Product.objects.get(sku="TEE-RED-S")
    variant_page = client.get(reverse("admin:shop_product_change", args=[variant.pk])).content.decode()
    assert "Variant values" in variant_page and "Red" in variant_page
    color = tshirt.configurable_attributes.get(code="color")
    attribute_page = client.get(reverse("admin:shop_configurableattribute_change", args=[color.pk]))
    assert attribute_page.status_code == 200 and 'value="#1f4e9c"' in attribute_page.content.decode()
