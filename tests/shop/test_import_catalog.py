"""``manage.py import_catalog``: CONTRACT §5 rules, line-numbered rejections, file-level errors."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from shop.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str | bytes, name="catalog.csv"):
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def run_import(path):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_catalog", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_catalog_creates_products_from_a_good_file(csv_file):
    path = csv_file(
        "sku,name,price,qty,tax_class,url_key,description,image_url\n"
        "MUG-1,Stoneware Mug,14.90,120,standard,stoneware-mug,A mug.,https://cdn.example.com/mug.png\n"
        'BOOK-1,Baking with Sourdough,32,5,reduced,,"Recipes, 60 of them",/static/img/products/book.svg\n'
        "GIFT-1,Gift Card 25,25.00,,zero,,,\n"
    )
    out, err = run_import(path)
    assert out == "created 3, updated 0, rejected 0\n"
    assert err == ""
    mug = Product.objects.get(sku="MUG-1")
    assert (mug.name, mug.price, mug.stock_qty, mug.tax_class, mug.url_key) == (
        "Stoneware Mug",
        Decimal("14.90"),
        120,
        "standard",
        "stoneware-mug",
    )
    assert mug.image_url == "https://cdn.example.com/mug.png"
    book = Product.objects.get(sku="BOOK-1")
    assert (book.price, book.url_key, book.description) == (
        Decimal("32.00"),
        "baking-with-sourdough",
        "Recipes, 60 of them",
    )
    gift = Product.objects.get(sku="GIFT-1")
    assert (gift.stock_qty, gift.tax_class, gift.image_url) == (0, "zero", "")


def test_import_catalog_defaults_for_missing_optional_columns(csv_file):
    out, _ = run_import(csv_file("sku,name,price\nA-1,Oak Desk Lamp,89.00\n"))
    assert out == "created 1, updated 0, rejected 0\n"
    lamp = Product.objects.get(sku="A-1")
    assert (lamp.stock_qty, lamp.tax_class, lamp.url_key, lamp.description) == (
        0,
        "standard",
        "oak-desk-lamp",
        "",
    )


def test_import_catalog_reports_bad_rows_with_line_numbers_and_writes_good_ones(csv_file):
    path = csv_file(
        "sku,name,price,qty,tax_class,image_url\n"  # line 1
        "OK-1,Good One,10.00,1,standard,\n"  # 2
        ",No Sku,10.00,1,standard,\n"  # 3
        "BAD-NAME,,10.00,1,standard,\n"  # 4
        "BAD-PRICE,Bad Price,ten,1,standard,\n"  # 5
        "NEG-PRICE,Negative,-1.00,1,standard,\n"  # 6
        "FINE-PRICE,Too Fine,1.999,1,standard,\n"  # 7
        "BAD-QTY,Bad Qty,1.00,1.5,standard,\n"  # 8
        "NEG-QTY,Neg Qty,1.00,-2,standard,\n"  # 9
        "BAD-TAX,Bad Tax,1.00,1,luxury,\n"  # 10
        "BAD-URL,Bad Url,1.00,1,standard,not a url\n"  # 11
        "OK-1,Duplicate,1.00,1,standard,\n"  # 12
        "SHORT,Too Few Fields\n"  # 13
        "\n"  # 14 (blank, skipped)
        '"OK-2","Good\nTwo",5,2,reduced,\n'  # 15-16
        "NO-PRICE,No Price,,1,standard,\n"  # 17
    )
    out, err = run_import(path)
    assert out == "created 2, updated 0, rejected 12\n"
    assert err.splitlines() == [
        f"{path}: line 3: sku: required",
        f"{path}: line 4 (sku BAD-NAME): name: required",
        f"{path}: line 5 (sku BAD-PRICE): price: ten is not a decimal number (use a dot, e.g. 19.99)",
        f"{path}: line 6 (sku NEG-PRICE): price: -1.00 is negative",
        f"{path}: line 7 (sku FINE-PRICE): price: 1.999 has more than 2 decimal places for EUR",
        f"{path}: line 8 (sku BAD-QTY): qty: 1.5 is not a whole number",
        f"{path}: line 9 (sku NEG-QTY): qty: -2 is negative",
        f"{path}: line 10 (sku BAD-TAX): tax_class: luxury is not one of standard, reduced, zero",
        f"{path}: line 11 (sku BAD-URL): image_url: not a url is not a valid URL",
        f"{path}: line 12 (sku OK-1): sku: OK-1 already appears on line 2",
        f"{path}: line 13 (sku SHORT): expected 6 fields, found 2",
        f"{path}: line 17 (sku NO-PRICE): price: required",
    ]
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["OK-1", "OK-2"]
    assert Product.objects.get(sku="OK-1").name == "Good One"
    assert Product.objects.get(sku="OK-2").name == "Good\nTwo"


def test_import_catalog_updates_existing_products_by_sku(csv_file, make_product):
    make_product(sku="MUG-1", name="Old Mug", price="9.00", stock=3, description="old")
    out, _ = run_import(csv_file("sku,name,price,qty\nMUG-1,New Mug,12.50,40\nNEW-1,Brand New,1.00,1\n"))
    assert out == "created 1, updated 1, rejected 0\n"
    mug = Product.objects.get(sku="MUG-1")
    # Columns absent from the file (description) and the URL key are left alone.
    assert (mug.name, mug.price, mug.stock_qty, mug.description, mug.url_key) == (
        "New Mug",
        Decimal("12.50"),
        40,
        "old",
        "mug-1",
    )
    assert Product.objects.count() == 2


def test_import_catalog_twice_creates_nothing_new(csv_file):
    path = csv_file("sku,name,price\nA,Alpha,1.00\nB,Beta,2.00\n")
    assert run_import(path)[0] == "created 2, updated 0, rejected 0\n"
    assert run_import(path)[0] == "created 0, updated 2, rejected 0\n"
    assert Product.objects.count() == 2


def test_import_catalog_rejects_url_key_used_by_another_product(csv_file, make_product):
    make_product(sku="EXISTING", name="Existing")  # url_key "existing"
    path = csv_file(
        "sku,name,price,url_key\n"
        "NEW-1,Something,1.00,existing\n"  # clashes with the database
        "NEW-2,Desk Lamp,1.00,\n"  # takes desk-lamp
        "NEW-3,Desk Lamp,2.00,\n"  # clashes with line 3
        "NEW-4,Other,1.00,bad key!\n"
    )
    out, err = run_import(path)
    assert out == "created 1, updated 0, rejected 3\n"
    assert err.splitlines() == [
        f"{path}: line 2 (sku NEW-1): url_key: existing is already used by sku EXISTING",
        f"{path}: line 4 (sku NEW-3): url_key: desk-lamp is already used by sku NEW-2",
        f"{path}: line 5 (sku NEW-4): url_key: bad key! may hold only letters, digits, hyphens and underscores",
    ]
    assert Product.objects.get(sku="NEW-2").url_key == "desk-lamp"


def test_import_catalog_unknown_column_rejects_the_whole_file(csv_file):
    path = csv_file("sku,name,price,colour\nA,Alpha,1.00,red\n")
    with pytest.raises(CommandError) as raised:
        run_import(path)
    assert str(raised.value) == (
        f"{path}: unknown column(s): 'colour'; allowed: sku, name, price, qty, tax_class, url_key, "
        "description, image_url, categories, type, configurable_attributes, parent_sku, attributes; "
        "nothing was imported"
    )
    assert Product.objects.count() == 0


def test_import_catalog_missing_required_column_rejects_the_whole_file(csv_file):
    path = csv_file("sku,name\nA,Alpha\n")
    with pytest.raises(CommandError, match=r"missing required column\(s\): price; nothing was imported"):
        run_import(path)
    assert Product.objects.count() == 0


def test_import_catalog_without_header_rejects_the_file(csv_file):
    with pytest.raises(CommandError, match="the file is empty; a header row is required"):
        run_import(csv_file(""))


def test_import_catalog_non_utf8_file_is_rejected_whole(csv_file):
    path = csv_file("sku,name,price\nA,Alpha,1.00\nB,Caf\xe9,2.00\n".encode("latin-1"))
    with pytest.raises(CommandError) as raised:
        run_import(path)
    assert (
        str(raised.value)
        == f"{path}: the file is not UTF-8 (line 3: invalid byte sequence); nothing was imported"
    )
    assert Product.objects.count() == 0


def test_import_catalog_accepts_utf8_with_bom_and_non_ascii(csv_file):
    out, _ = run_import(csv_file("\ufeffsku,name,price\nA,Café Crème,3.20\n"))
    assert out == "created 1, updated 0, rejected 0\n"
    assert Product.objects.get(sku="A").url_key == "cafe-creme"


def test_import_catalog_missing_file_is_a_file_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run_import(str(tmp_path / "nope.csv"))


def test_import_catalog_header_is_case_and_space_insensitive(csv_file):
    out, _ = run_import(csv_file(" SKU , Name ,PRICE\nA,Alpha,1.00\n"))
    assert out == "created 1, updated 0, rejected 0\n"


# --- configurable products (CONTRACT §5: type, configurable_attributes, parent_sku, attributes) ---------
CONFIGURABLE_CSV = (
    "sku,name,price,qty,type,configurable_attributes,parent_sku,attributes\n"
    'TEE,T-shirt,0,,configurable,"color,size",,\n'
    "TEE-BLUE-S,T-shirt - Blue S,20.00,5,,,TEE,color=Blue;size=S\n"
    "TEE-BLUE-M,T-shirt - Blue M,22.00,3,,,TEE,size=M;color=Blue\n"
    "TEE-RED-S,T-shirt - Red S,21.00,0,simple,,TEE,color=Red;size=S\n"
)


def test_import_catalog_creates_a_configurable_product_and_its_variants(csv_file):
    out, err = run_import(csv_file(CONFIGURABLE_CSV))
    assert err == ""
    assert "created 4, updated 0, rejected 0" in out
    tee = Product.objects.get(sku="TEE")
    assert tee.is_configurable and tee.stock_qty == 0
    assert tee.price == Decimal("20.00")  # its cheapest variant's
    assert [(a.code, a.label) for a in tee.configurable_attributes.all()] == [
        ("color", "Color"),
        ("size", "Size"),
    ]
    assert [v.label for v in tee.configurable_attributes.get(code="color").values.all()] == ["Blue", "Red"]
    variant = Product.objects.get(sku="TEE-BLUE-M")
    assert variant.parent == tee and variant.url_key == "tee-blue-m" and variant.stock_qty == 3
    assert [(vv.attribute.code, vv.value.label) for vv in variant.variant_values.all()] == [
        ("color", "Blue"),
        ("size", "M"),
    ]
    # Importing the same file again changes nothing.
    out, _ = run_import(csv_file(CONFIGURABLE_CSV))
    assert "created 0, updated 4, rejected 0" in out
    assert Product.objects.get(sku="TEE-BLUE-M").variant_values.count() == 2
    # The parent alone keeps its cheapest variant's price, not the file's.
    run_import(csv_file(CONFIGURABLE_CSV.splitlines()[0] + "\n" + CONFIGURABLE_CSV.splitlines()[1] + "\n"))
    assert Product.objects.get(sku="TEE").price == Decimal("20.00")


def test_import_catalog_rejects_bad_configurable_rows_by_line(csv_file):
    path = csv_file(
        CONFIGURABLE_CSV
        + "BAD-1,Orphan,5,1,,,NOPE,color=Blue;size=S\n"
        + "BAD-2,Twin,5,1,,,TEE,color=Blue;size=S\n"
        + "BAD-3,Half,5,1,,,TEE,color=Blue\n"
        + "BAD-4,Loose,5,1,,,,color=Blue\n"
        + "BAD-5,Parent,5,,configurable,,,\n"
        + "BAD-6,Kind,5,,bundle,,,\n"
    )
    out, err = run_import(path)
    assert "created 4, updated 0, rejected 6" in out
    assert [line.split(": ", 1)[1] for line in err.splitlines()] == [
        "line 6 (sku BAD-1): parent_sku: NOPE is no configurable product (a parent's row must come before its variants)",
        "line 7 (sku BAD-2): attributes: TEE-BLUE-S already has these values",
        "line 8 (sku BAD-3): attributes: TEE needs one value for each of color, size",
        "line 9 (sku BAD-4): attributes: only a variant has them (give its parent_sku)",
        "line 10 (sku BAD-5): configurable_attributes: required for a configurable product, e.g. size,color",
        "line 11 (sku BAD-6): type: bundle is not one of simple, configurable",
    ]
    assert not Product.objects.filter(sku__startswith="BAD").exists()
