"""``manage.py seed_demo``: demo catalog, tax rates and coupon; idempotent."""

from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from cart.models import Coupon
from shop.models import Product, TaxRate

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return (Product.objects.count(), TaxRate.objects.count(), Coupon.objects.count())


def test_seed_demo_creates_catalog_tax_rates_and_coupon():
    out = seed()
    assert out.splitlines() == [
        "products: created 19, updated 0, unchanged 0",
        "categories: created 8, updated 0, unchanged 0",
        "cms: created 2, updated 0, unchanged 0",
        "tax rates: created 36, updated 0, unchanged 0",
        "coupons: created 1, updated 0, unchanged 0",
    ]
    assert counts() == (19, 36, 1)
    assert set(Product.objects.values_list("tax_class", flat=True)) == {"standard", "reduced", "zero"}
    assert Product.objects.filter(sku__startswith="DEMO-BOOK", tax_class="reduced").count() == 2


def test_seed_demo_twice_changes_nothing():
    seed()
    before = counts()
    snapshot = list(Product.objects.values())
    out = seed()
    assert counts() == before
    assert list(Product.objects.values()) == snapshot  # not even updated_at
    assert out.splitlines() == [
        "products: created 0, updated 0, unchanged 19",
        "categories: created 0, updated 0, unchanged 8",
        "cms: created 0, updated 0, unchanged 2",
        "tax rates: created 0, updated 0, unchanged 36",
        "coupons: created 0, updated 0, unchanged 1",
    ]


def test_seed_demo_restores_edited_demo_values_without_duplicates():
    seed()
    Product.objects.filter(sku="DEMO-MUG-01").update(price=Decimal("1.00"))
    out = seed()
    assert "products: created 0, updated 1, unchanged 18" in out
    assert Product.objects.get(sku="DEMO-MUG-01").price == Decimal("14.90")
    assert counts() == (19, 36, 1)


@pytest.mark.parametrize(
    ("country", "region", "standard", "reduced", "label"),
    [
        ("DE", "", "19", "7", "VAT"),
        ("AT", "", "20", "10", "VAT"),
        ("NL", "", "21", "9", "VAT"),
        ("SE", "", "25", "12", "VAT"),
        ("FI", "", "25.5", "14", "VAT"),
        ("GB", "", "20", "5", "VAT"),
        ("US", "", "0", "0", "Sales Tax"),
        ("US", "CA", "7.25", "7.25", "Sales Tax"),
        ("US", "NY", "4", "4", "Sales Tax"),
        ("US", "TX", "6.25", "6.25", "Sales Tax"),
        ("US", "WA", "6.5", "6.5", "Sales Tax"),
        ("US", "FL", "6", "6", "Sales Tax"),
    ],
)
def test_seed_demo_tax_rates_per_market(country, region, standard, reduced, label):
    seed()
    rates = {
        rate.tax_class: (rate.rate, rate.label)
        for rate in TaxRate.objects.filter(country=country, region=region)
    }
    assert rates == {
        "standard": (Decimal(standard), label),
        "reduced": (Decimal(reduced), label),
        "zero": (Decimal("0"), label),
    }


def test_seed_demo_coupon_welcome10_is_ten_percent_off():
    seed()
    coupon = Coupon.objects.get(code="WELCOME10")
    assert (coupon.discount_type, coupon.value, coupon.is_active) == ("percent", Decimal("10.00"), True)
    assert coupon.is_usable_now()


def test_seed_demo_images_are_local_static_files():
    seed()
    for image_url in Product.objects.values_list("image_url", flat=True):
        assert image_url.startswith("/static/img/products/")
        assert (settings.BASE_DIR / image_url.lstrip("/")).is_file(), image_url


def test_seed_demo_products_are_valid_models():
    seed()
    for product in Product.objects.all():
        product.full_clean()
