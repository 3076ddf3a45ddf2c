"""import_catalog's price_<currency> columns (markets, issue 17)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shop.models import Product, ProductPrice

pytestmark = pytest.mark.django_db


def run_import(tmp_path, text):
    path = tmp_path / "catalog.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_catalog", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def prices(sku):
    return dict(ProductPrice.objects.filter(product__sku=sku).values_list("currency", "price"))


def test_price_columns_per_currency(tmp_path):
    out, err = run_import(
        tmp_path,
        "sku,name,price,price_SEK,price_gbp\n"
        "MUG-1,Mug,14.90,179,12.99\n"
        "LAMP-1,Lamp,89.00,,74.50\n"
        "BAD-1,Bad,5.00,12.345,1\n",
    )
    assert "created 2" in out and "rejected 1" in out
    assert "line 4" in err and "price_SEK: 12.345 has more than 2 decimal places for SEK" in err
    assert prices("MUG-1") == {"SEK": Decimal("179.00"), "GBP": Decimal("12.99")}
    assert prices("LAMP-1") == {"GBP": Decimal("74.50")}  # not sold in SEK stores
    assert not Product.objects.filter(sku="BAD-1").exists()

    # Update: an empty cell removes the price; a file without the column leaves it alone.
    run_import(tmp_path, "sku,name,price,price_SEK\nMUG-1,Mug,14.90,\n")
    assert prices("MUG-1") == {"GBP": Decimal("12.99")}
    run_import(tmp_path, "sku,name,price\nMUG-1,Mug,15.90\n")
    assert prices("MUG-1") == {"GBP": Decimal("12.99")}
    assert Product.objects.get(sku="MUG-1").price == Decimal("15.90")


@pytest.mark.parametrize("column", ["price_eur", "price_xyz", "price_sekk"])
def test_unknown_price_columns_are_refused(tmp_path, column):
    # price_EUR: the default store's currency has the price column
    with pytest.raises(CommandError, match="unknown column"):
        run_import(tmp_path, f"sku,name,price,{column}\nMUG-1,Mug,14.90,1\n")
    assert not Product.objects.exists()
