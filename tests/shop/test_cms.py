"""The minimal CMS: ``cmsPage`` and ``cmsBlocks`` in Magento's shapes and messages, HTML
sanitised on save (``shop.html_sanitizer``), the admin, and seed_demo's home page."""

import pytest
from django.core.management import call_command

from shop.html_sanitizer import sanitize_html
from shop.models import CmsBlock, CmsPage

pytestmark = pytest.mark.django_db

PAGE_QUERY = """query ($identifier: String!) { cmsPage(identifier: $identifier) {
  identifier url_key title content content_heading page_layout meta_title meta_description
  meta_keywords relative_url redirect_code type __typename } }"""

BLOCKS_QUERY = """query ($identifiers: [String]) { cmsBlocks(identifiers: $identifiers) {
  items { identifier title content } } }"""


@pytest.fixture
def home():
    return CmsPage.objects.create(
        identifier="home",
        title="Home",
        content_heading="Welcome",
        content="<p>Hello <strong>shoppers</strong></p>",
        meta_title="Demo shop",
        meta_description="All the things",
    )


# --- sanitiser ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Plain <em>text</em></p>", "<p>Plain <em>text</em></p>"),
        ("<script>alert(1)</script><p>after</p>", "<p>after</p>"),
        ("<style>p{}</style>x", "x"),
        ('<img src="x.png" onerror="alert(1)" alt="a">', '<img src="x.png" alt="a">'),
        ('<a href="javascript:alert(1)">go</a>', "<a>go</a>"),
        ('<a href="java\tscript:alert(1)">go</a>', "<a>go</a>"),
        # A scheme-relative link is an https link to another site, as allowed as one spelled out.
        ('<a href="//shop.example/x">go</a>', '<a href="//shop.example/x">go</a>'),
        (
            '<a href="https://example.com/?a=1&amp;b=2" target="_blank">go</a>',
            '<a href="https://example.com/?a=1&amp;b=2">go</a>',
        ),
        ('<a href="/gifts">Gifts</a>', '<a href="/gifts">Gifts</a>'),
        ('<p style="color:red" onclick="x()">hi', "<p>hi</p>"),
        ("<div><p>unclosed</div>", "<div><p>unclosed</p></div>"),
        ("stray</p> end", "stray<p></p> end"),  # HTML5 parsing: a stray </p> opens an empty one
        ("<!-- note --><b>bold</b>", "<b>bold</b>"),
        ("<iframe src=https://x><p>in</p></iframe>out", "out"),
        ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
        ('<p title="a&quot;b">q</p>', '<p title="a&quot;b">q</p>'),
        ("<form><input name=x></form>text", "text"),
        ("", ""),
        ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
        ('<SCRIPT SRC="x.js"></SCRIPT><B>b</B>', "<b>b</b>"),
        ('<img id="location" name="x" src="/a.png">', '<img src="/a.png">'),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ("<noscript><p>x</p></noscript>ok", "ok"),
    ],
)
def test_sanitizer_keeps_only_allowed_markup(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_sanitizer_output_is_stable():
    dirty = '<div class="x"><p>a &amp; b <a href="/c?d=1&amp;e=2">c</a></p><br><img src="/i.png"></div>'
    once = sanitize_html(dirty)
    assert sanitize_html(once) == once


def test_page_and_block_content_is_sanitised_on_save():
    page = CmsPage.objects.create(
        identifier="about", title="About", content='<p onclick="x()">Hi</p><script>x()</script>'
    )
    block = CmsBlock.objects.create(
        identifier="promo", title="Promo", content="<b>Sale</b><script>x()</script>"
    )
    page.refresh_from_db()
    block.refresh_from_db()
    assert page.content == "<p>Hi</p>"
    assert block.content == "<b>Sale</b>"


# --- cmsPage --------------------------------------------------------------------------------------


def test_cms_page_by_identifier_in_magentos_shape(gql, home):
    data = gql.data(PAGE_QUERY, {"identifier": "home"})
    assert data["cmsPage"] == {
        "identifier": "home",
        "url_key": "home",
        "title": "Home",
        "content": "<p>Hello <strong>shoppers</strong></p>",
        "content_heading": "Welcome",
        "page_layout": "1column",
        "meta_title": "Demo shop",
        "meta_description": "All the things",
        "meta_keywords": None,
        "relative_url": "home",
        "redirect_code": 0,
        "type": "CMS_PAGE",
        "__typename": "CmsPage",
    }


def test_cms_page_by_deprecated_id(gql, home):
    data = gql.data("query ($id: Int) { cmsPage(id: $id) { identifier } }", {"id": home.pk})
    assert data["cmsPage"] == {"identifier": "home"}


@pytest.mark.parametrize("identifier", ["nope", "", "home/x", "'; drop table x"])
def test_unknown_cms_page_is_magentos_no_such_entity(gql, home, identifier):
    error = gql.error(PAGE_QUERY, {"identifier": identifier})
    assert error["message"] == f'The CMS page with the "{identifier}" ID doesn\'t exist.'
    assert error["extensions"]["category"] == "graphql-no-such-entity"
    assert error["path"] == ["cmsPage"]


def test_inactive_cms_page_is_not_found(gql, home):
    CmsPage.objects.filter(pk=home.pk).update(is_active=False)
    error = gql.error(PAGE_QUERY, {"identifier": "home"})
    assert error["message"] == 'The CMS page with the "home" ID doesn\'t exist.'


def test_cms_page_without_identifier_or_id_is_magentos_input_error(gql, home):
    error = gql.error("{ cmsPage { title } }")
    assert error["message"] == '"Page id/identifier should be specified'
    assert error["extensions"]["category"] == "graphql-input"


def test_unknown_cms_page_id_is_not_found(gql, home):
    error = gql.error("{ cmsPage(id: 999) { title } }")
    assert error["message"] == 'The CMS page with the "999" ID doesn\'t exist.'


# --- cmsBlocks ------------------------------------------------------------------------------------


def test_cms_blocks_in_the_order_asked(gql):
    a = CmsBlock.objects.create(identifier="a", title="A", content="<p>a</p>")
    CmsBlock.objects.create(identifier="b", title="B", content="<p>b</p>")
    data = gql.data(BLOCKS_QUERY, {"identifiers": ["b", str(a.pk)]})
    assert data["cmsBlocks"]["items"] == [
        {"identifier": "b", "title": "B", "content": "<p>b</p>"},
        {"identifier": "a", "title": "A", "content": "<p>a</p>"},
    ]


def test_missing_cms_block_is_a_null_item_with_magentos_error_the_others_answered(gql):
    CmsBlock.objects.create(identifier="a", title="A", content="<p>a</p>")
    CmsBlock.objects.create(identifier="off", title="Off", content="x", is_active=False)
    result = gql.post(BLOCKS_QUERY, {"identifiers": ["a", "missing", "off"]})
    assert result["data"]["cmsBlocks"]["items"] == [
        {"identifier": "a", "title": "A", "content": "<p>a</p>"},
        None,
        None,
    ]
    assert [(e["message"], e["path"], e["extensions"]["category"]) for e in result["errors"]] == [
        (
            'The CMS block with the "missing" ID doesn\'t exist.',
            ["cmsBlocks", "items", 1],
            "graphql-no-such-entity",
        ),
        (
            'The CMS block with the "off" ID doesn\'t exist.',
            ["cmsBlocks", "items", 2],
            "graphql-no-such-entity",
        ),
    ]


@pytest.mark.parametrize("identifiers", [[], None, [None]])
def test_cms_blocks_without_identifiers_is_magentos_input_error(gql, identifiers):
    error = gql.error(BLOCKS_QUERY, {"identifiers": identifiers})
    assert error["message"] == '"identifiers" of CMS blocks should be specified'
    assert error["extensions"]["category"] == "graphql-input"


def test_cms_queries_cost_one_query(gql, home, django_assert_max_num_queries):
    CmsBlock.objects.create(identifier="a", title="A", content="a")
    with django_assert_max_num_queries(1):
        gql.data(PAGE_QUERY, {"identifier": "home"})
    with django_assert_max_num_queries(1):
        gql.post(BLOCKS_QUERY, {"identifiers": ["a", "b", "c"]})  # two missing: still one query


# --- admin and demo data --------------------------------------------------------------------------


def test_admin_edits_a_page_and_sanitises_it(client, django_user_model, home):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-password-123")
    client.force_login(user)
    assert client.get("/admin/shop/cmspage/").status_code == 200
    response = client.post(
        f"/admin/shop/cmspage/{home.pk}/change/",
        {
            "identifier": "home",
            "title": "New home",
            "is_active": "on",
            "page_layout": "1column",
            "content_heading": "",
            "content": '<p>New</p><img src="x" onerror="steal()">',
            "meta_title": "",
            "meta_keywords": "",
            "meta_description": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    home.refresh_from_db()
    assert (home.title, home.content) == ("New home", '<p>New</p><img src="x">')
    assert client.get("/admin/shop/cmsblock/add/").status_code == 200
    assert client.get("/admin/shop/urlrewrite/").status_code == 200
    assert client.get("/admin/shop/urlrewrite/add/").status_code == 403  # recorded, never typed
    assert b"landing_page" in client.get("/admin/shop/category/add/").content


def test_seed_demo_has_a_home_page_venia_can_render(gql):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    data = gql.data(PAGE_QUERY, {"identifier": "home"})
    assert data["cmsPage"]["title"] == "Home"
    assert '<a href="/gifts">Gifts</a>' in data["cmsPage"]["content"]
    page = CmsPage.objects.get(identifier="home")
    assert sanitize_html(page.content) == page.content  # the seed is already clean: idempotent


# --- a category's landing page (CategoryInterface.cms_block) --------------------------------------


def test_category_cms_block_is_its_landing_page(gql, django_assert_max_num_queries):
    from shop.models import Category

    block = CmsBlock.objects.create(identifier="sale", title="Sale", content="<p>All shirts -20 %</p>")
    off = CmsBlock.objects.create(identifier="off", title="Off", content="x", is_active=False)
    root = Category.objects.create(name="Default Category", url_key="default-category")
    Category.objects.create(parent=root, name="Shirts", url_key="shirts", landing_page=block)
    Category.objects.create(parent=root, name="Hats", url_key="hats", landing_page=off)
    Category.objects.create(parent=root, name="Socks", url_key="socks")
    query = '{ categories(filters: {parent_id: {eq: "%d"}}) { items { name display_mode cms_block { identifier content } } } }'
    gql.data("{ storeConfig { store_code } }")  # the stores, cached per process once read
    with django_assert_max_num_queries(2):  # the tree, the landing pages
        items = gql.data(query % root.pk)["categories"]["items"]
    assert items == [
        {
            "name": "Shirts",
            "display_mode": "PRODUCTS_AND_PAGE",
            "cms_block": {"identifier": "sale", "content": "<p>All shirts -20 %</p>"},
        },
        {"name": "Hats", "display_mode": "PRODUCTS", "cms_block": None},
        {"name": "Socks", "display_mode": "PRODUCTS", "cms_block": None},
    ]


# --- contactUs: the shop has no contact form --------------------------------------------------------


def test_contact_us_is_magentos_answer_for_a_disabled_form(gql, mailoutbox):
    assert gql.data("{ storeConfig { contact_enabled } }") == {"storeConfig": {"contact_enabled": False}}
    result = gql.post(
        "mutation ($i: ContactUsInput!) { contactUs(input: $i) { status } }",
        {"i": {"email": "a@example.com", "name": "A", "comment": "Hello", "telephone": None}},
    )
    assert result["data"] == {"contactUs": None}
    assert [(e["message"], e["extensions"]["category"]) for e in result["errors"]] == [
        ("The contact form is unavailable.", "graphql-input")
    ]
    assert mailoutbox == []
