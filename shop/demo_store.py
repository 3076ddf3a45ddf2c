"""The demo store: a small catalog and tax rates for the markets of CONTRACT §6 (the coupon
``WELCOME10`` is the cart's, ``cart.demo_coupons``). Loaded by ``manage.py seed_demo``.

Every record is keyed on its natural key (SKU, country/region/tax class, coupon code) and saved
only when it differs from the demo values, so seeding twice changes nothing the second time.
Running it again after edits restores the demo values of the seeded records (stock included);
records it does not know are left alone.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction

from shop.categories import ROOT_NAME, ROOT_URL_KEY
from shop.configurable import variant_label
from shop.models import (
    AttributeValue,
    Category,
    CategoryProduct,
    CmsBlock,
    CmsPage,
    ConfigurableAttribute,
    Product,
    ProductPrice,
    ProductType,
    Store,
    TaxClass,
    TaxRate,
    VariantValue,
)
from shop.money import quantize

STANDARD, REDUCED, ZERO = TaxClass.STANDARD, TaxClass.REDUCED, TaxClass.ZERO


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    price: str
    stock: int
    tax_class: str
    image: str
    description: str


PRODUCTS = [
    DemoProduct(
        "DEMO-MUG-01",
        "Stoneware Coffee Mug",
        "14.90",
        120,
        STANDARD,
        "mug",
        "A hand-glazed 350 ml stoneware mug in speckled oat. Dishwasher and microwave safe.",
    ),
    DemoProduct(
        "DEMO-TOTE-01",
        "Waxed Canvas Tote Bag",
        "49.00",
        40,
        STANDARD,
        "tote",
        "Heavy waxed cotton canvas with leather handles and an inner zip pocket. Fits a 15-inch laptop.",
    ),
    DemoProduct(
        "DEMO-BOTTLE-01",
        "Insulated Steel Water Bottle",
        "29.95",
        75,
        STANDARD,
        "bottle",
        "Double-walled stainless steel, 750 ml. Keeps drinks cold for 24 hours and hot for 12.",
    ),
    DemoProduct(
        "DEMO-LAMP-01",
        "Oak Desk Lamp",
        "89.00",
        15,
        STANDARD,
        "lamp",
        "Solid oak base and an adjustable linen shade. Warm 2700 K LED bulb included.",
    ),
    DemoProduct(
        "DEMO-THROW-01",
        "Merino Wool Throw",
        "129.00",
        8,
        STANDARD,
        "throw",
        "A 130 × 170 cm throw woven from soft merino wool in a herringbone pattern.",
    ),
    DemoProduct(
        "DEMO-NOTE-01",
        "Dot Grid Notebook A5",
        "12.50",
        200,
        STANDARD,
        "notebook",
        "192 numbered pages of 100 g/m² ivory paper, lay-flat binding and two ribbon markers.",
    ),
    DemoProduct(
        "DEMO-HEAD-01",
        "Wireless Over-Ear Headphones",
        "179.00",
        12,
        STANDARD,
        "headphones",
        "Active noise cancelling, 30 hours of battery and a foldable design with a travel case.",
    ),
    DemoProduct(
        "DEMO-BOOK-01",
        "The Art of Slow Travel",
        "24.00",
        30,
        REDUCED,
        "book-travel",
        "A hardcover guide to journeys by train, boat and bicycle across Europe, with 120 photographs.",
    ),
    DemoProduct(
        "DEMO-BOOK-02",
        "Baking with Sourdough",
        "32.00",
        25,
        REDUCED,
        "book-baking",
        "From starter to crusty loaf: 60 tested recipes for breads, buns and pastries.",
    ),
    DemoProduct(
        "DEMO-COFFEE-01",
        "Single-Origin Coffee Beans 500 g",
        "16.80",
        60,
        REDUCED,
        "coffee",
        "Washed Ethiopian Yirgacheffe, medium roast, with notes of bergamot and apricot.",
    ),
    DemoProduct(
        "DEMO-TEA-01",
        "Organic Green Tea Tin",
        "9.90",
        0,
        REDUCED,
        "tea",
        "100 g of loose-leaf Japanese sencha in a resealable tin. Back in stock soon.",
    ),
    DemoProduct(
        "DEMO-GIFT-25",
        "Gift Card 25",
        "25.00",
        9999,
        ZERO,
        "gift-card",
        "A gift card worth 25 in store credit, delivered with a printed card. No expiry date.",
    ),
]


@dataclass(frozen=True)
class DemoConfigurable:
    """A configurable product: its attributes (code, label, [(value, swatch)]) and its variants
    (SKU, {code: value}, price, stock, image)."""

    sku: str
    name: str
    tax_class: str
    image: str
    description: str
    attributes: list[tuple[str, str, list[tuple[str, str]]]]
    variants: list[tuple[str, dict[str, str], str, int, str]]


CONFIGURABLES = [
    DemoConfigurable(
        "DEMO-TEE-01",
        "Organic Cotton T-shirt",
        STANDARD,
        "tshirt-blue",
        "A heavyweight organic cotton crew-neck T-shirt with a relaxed fit. Pre-washed; keeps its shape.",
        attributes=[
            ("color", "Color", [("Blue", "#1f4e9c"), ("Red", "#b3261e")]),
            ("size", "Size", [("S", ""), ("M", ""), ("L", "")]),
        ],
        variants=[
            ("DEMO-TEE-01-BLUE-S", {"color": "Blue", "size": "S"}, "24.90", 15, "tshirt-blue"),
            ("DEMO-TEE-01-BLUE-M", {"color": "Blue", "size": "M"}, "24.90", 20, "tshirt-blue"),
            ("DEMO-TEE-01-BLUE-L", {"color": "Blue", "size": "L"}, "26.90", 8, "tshirt-blue"),
            ("DEMO-TEE-01-RED-S", {"color": "Red", "size": "S"}, "24.90", 12, "tshirt-red"),
            ("DEMO-TEE-01-RED-M", {"color": "Red", "size": "M"}, "24.90", 6, "tshirt-red"),
            ("DEMO-TEE-01-RED-L", {"color": "Red", "size": "L"}, "26.90", 0, "tshirt-red"),  # sold out
        ],
    ),
]

# The category tree below the store's root: (url_key, name, children); then each category's
# products by SKU, in listing order (a product may sit in several categories).
CATEGORIES = [
    ("home-living", "Home & Living", [("kitchen", "Kitchen", []), ("living-room", "Living Room", [])]),
    ("books-paper", "Books & Paper", [("books", "Books", []), ("stationery", "Stationery", [])]),
    ("gifts", "Gifts", []),
]
CATEGORY_PRODUCTS = {
    "home-living/kitchen": ["DEMO-MUG-01", "DEMO-BOTTLE-01", "DEMO-COFFEE-01", "DEMO-TEA-01"],
    "home-living/living-room": ["DEMO-LAMP-01", "DEMO-THROW-01"],
    "books-paper/books": ["DEMO-BOOK-01", "DEMO-BOOK-02"],
    "books-paper/stationery": ["DEMO-NOTE-01"],
    "gifts": ["DEMO-GIFT-25", "DEMO-THROW-01", "DEMO-TOTE-01", "DEMO-HEAD-01", "DEMO-BOOK-01", "DEMO-TEE-01"],
}

# The CMS: the home page (Magento's ``home``) and a block. The HTML is already what the sanitiser
# keeps, so seeding twice changes nothing.
CMS_PAGES = [
    {
        "identifier": "home",
        "title": "Home",
        "content_heading": "Welcome to the demo shop",
        "content": (
            '<div class="home-intro"><p>Mugs, lamps, books and T-shirts in sizes and colours: '
            "a small catalog to try the shop with.</p>"
            '<ul><li><a href="/home-living">Home &amp; Living</a></li>'
            '<li><a href="/books-paper">Books &amp; Paper</a></li>'
            '<li><a href="/gifts">Gifts</a></li></ul></div>'
        ),
        "page_layout": "1column",
        "meta_title": "Demo shop",
        "meta_keywords": "demo, shop",
        "meta_description": "The demo shop: home, books, gifts and apparel.",
    },
]
CMS_BLOCKS = [
    {
        "identifier": "footer-about",
        "title": "About the demo shop",
        "content": "<p>A demo store: orders are test orders, paid in Klarna's playground.</p>",
    },
]

# (country, region, standard, reduced, zero, label); an empty region covers the whole country.
TAX_RATES = [
    ("DE", "", "19", "7", "0", "VAT"),
    ("AT", "", "20", "10", "0", "VAT"),
    ("NL", "", "21", "9", "0", "VAT"),
    ("SE", "", "25", "12", "0", "VAT"),
    ("FI", "", "25.5", "14", "0", "VAT"),  # 25.5 % since 1 September 2024
    ("GB", "", "20", "5", "0", "VAT"),
    ("US", "", "0", "0", "0", "Sales Tax"),  # states without a rate of their own
    ("US", "CA", "7.25", "7.25", "0", "Sales Tax"),
    ("US", "NY", "4", "4", "0", "Sales Tax"),
    ("US", "TX", "6.25", "6.25", "0", "Sales Tax"),
    ("US", "WA", "6.5", "6.5", "0", "Sales Tax"),
    ("US", "FL", "6", "6", "0", "Sales Tax"),
]


# The markets (issue 17): (code, name, countries, currency, locales, prices include tax, flat
# rate, free shipping from, Klarna account). The default store leaves currency, tax mode and
# shipping empty: they come from STORE_CURRENCY (EUR), PRICES_INCLUDE_TAX and SHIPPING_*.
STORES = [
    ("default", "", "DE", "", "de_DE,en_DE", None, None, None, ""),
    ("at", "Österreich", "AT", "EUR", "de_AT,en_AT", True, "5.90", "100.00", ""),
    ("nl", "Nederland", "NL", "EUR", "nl_NL,en_NL", True, "4.95", "75.00", ""),
    ("fi", "Suomi", "FI", "EUR", "fi_FI,sv_FI,en_FI", True, "6.90", "100.00", ""),
    ("se", "Sverige", "SE", "SEK", "sv_SE,en_SE", True, "59.00", "1000.00", ""),
    ("gb", "United Kingdom", "GB", "GBP", "en_GB", True, "4.50", "80.00", ""),
    ("us", "United States", "US", "USD", "en_US", False, "6.00", "100.00", "US"),
]
# Demo prices in the other currencies, from the EUR price (gross): SEK whole kronor ending in 9,
# GBP and USD (net, US sales tax added at checkout) ending in .99. Coffee and tea are not sold in
# the US (no USD price): they are absent from the us store's catalog.
NOT_SOLD_IN = {"USD": {"DEMO-COFFEE-01", "DEMO-TEA-01"}}


def demo_price(eur: Decimal, currency: str) -> Decimal:
    if eur == 0:
        return Decimal("0.00")
    if currency == "SEK":
        return Decimal(int((eur * Decimal("11.5") / 10).to_integral_value(rounding="ROUND_CEILING")) * 10 - 1)
    factor = {"GBP": Decimal("0.86"), "USD": Decimal("1.08") / Decimal("1.19")}[currency]
    return (eur * factor).to_integral_value(rounding="ROUND_CEILING") - Decimal("0.01")


def image_path(name: str) -> str:
    """Where a demo image is served: a path on this site under STATIC_URL."""
    static_url = settings.STATIC_URL
    if not static_url.startswith(("/", "http://", "https://")):
        static_url = "/" + static_url
    return f"{static_url}img/products/{name}.svg"


def seed_demo_store() -> dict[str, Counter]:
    """Create or restore the demo records. Idempotent; one transaction. Returns, per kind of
    record, how many were ``created``, ``updated`` and ``unchanged``."""
    report = {"products": Counter(), "categories": Counter(), "cms": Counter(), "tax rates": Counter()}
    with transaction.atomic():
        for product in PRODUCTS:
            outcome = upsert(
                Product,
                {"sku": product.sku},
                {
                    "name": product.name,
                    "url_key": product.sku.lower(),
                    "description": product.description,
                    "image_url": image_path(product.image),
                    "price": quantize(Decimal(product.price)),
                    "tax_class": product.tax_class,
                    "stock_qty": product.stock,
                    "is_active": True,
                },
            )
            report["products"][outcome] += 1
        for product in CONFIGURABLES:
            _seed_configurable(product, report["products"])
        _seed_categories(report["categories"])
        for model, records in ((CmsPage, CMS_PAGES), (CmsBlock, CMS_BLOCKS)):
            for record in records:
                values = {**record, "is_active": True}
                report["cms"][upsert(model, {"identifier": values.pop("identifier")}, values)] += 1
        for country, region, standard, reduced, zero, label in TAX_RATES:
            for tax_class, rate in ((STANDARD, standard), (REDUCED, reduced), (ZERO, zero)):
                outcome = upsert(
                    TaxRate,
                    {"country": country, "region": region, "tax_class": tax_class},
                    {"rate": Decimal(rate), "label": label},
                )
                report["tax rates"][outcome] += 1
        report["stores"] = _seed_stores()
        report["prices"] = _seed_prices()
    return report


def _seed_stores() -> Counter:
    counts = Counter()
    for sort, (code, name, countries, currency, locales, inclusive, flat, free, account) in enumerate(STORES):
        if code == "default":
            code = settings.STORE_CODE
        outcome = upsert(
            Store,
            {"code": code},
            {
                "name": name,
                "sort_order": sort,
                "countries": countries,
                "currency": currency,
                "locales": locales,
                "prices_include_tax": inclusive,
                "flatrate_price": Decimal(flat) if flat else None,
                "free_shipping_threshold": Decimal(free) if free else None,
                "klarna_account": account,
                "is_active": True,
            },
        )
        counts[outcome] += 1
    return counts


def _seed_prices() -> Counter:
    counts = Counter()
    products = Product.objects.filter(sku__startswith="DEMO-").order_by("id")
    for product in products:
        for currency in ("SEK", "GBP", "USD"):
            if product.sku in NOT_SOLD_IN.get(currency, ()):
                continue
            outcome = upsert(
                ProductPrice,
                {"product": product, "currency": currency},
                {"price": demo_price(product.price, currency)},
            )
            counts[outcome] += 1
    return counts


def _seed_configurable(demo: DemoConfigurable, counts: Counter) -> None:
    """The parent (counted), its attributes and values, and its variants (counted) with their
    values. The parent's price is its cheapest variant's, as ``shop.configurable`` keeps it."""
    lowest = min(quantize(Decimal(price)) for _, _, price, _, _ in demo.variants)
    counts[
        upsert(
            Product,
            {"sku": demo.sku},
            {
                "type": ProductType.CONFIGURABLE,
                "parent": None,
                "name": demo.name,
                "url_key": demo.sku.lower(),
                "description": demo.description,
                "image_url": image_path(demo.image),
                "price": lowest,
                "tax_class": demo.tax_class,
                "stock_qty": 0,
                "is_active": True,
            },
        )
    ] += 1
    parent = Product.objects.get(sku=demo.sku)
    values = {}
    for position, (code, label, options) in enumerate(demo.attributes):
        upsert(
            ConfigurableAttribute, {"product": parent, "code": code}, {"label": label, "position": position}
        )
        attribute = ConfigurableAttribute.objects.get(product=parent, code=code)
        for n, (value, swatch) in enumerate(options):
            upsert(
                AttributeValue, {"attribute": attribute, "label": value}, {"swatch": swatch, "position": n}
            )
            values[code, value] = (attribute, AttributeValue.objects.get(attribute=attribute, label=value))
    for sku, chosen, price, stock, image in demo.variants:
        counts[
            upsert(
                Product,
                {"sku": sku},
                {
                    "type": ProductType.SIMPLE,
                    "parent": parent,
                    "name": variant_label(demo.name, [chosen[code] for code, _, _ in demo.attributes]),
                    "url_key": sku.lower(),
                    "description": demo.description,
                    "image_url": image_path(image),
                    "price": quantize(Decimal(price)),
                    "tax_class": demo.tax_class,
                    "stock_qty": stock,
                    "is_active": True,
                },
            )
        ] += 1
        variant = Product.objects.get(sku=sku)
        for code, _, _ in demo.attributes:
            attribute, value = values[code, chosen[code]]
            upsert(VariantValue, {"variant": variant, "attribute": attribute}, {"value": value})


def _seed_categories(counts: Counter) -> None:
    """The demo tree below the store's root (created when missing) and its products."""
    root = Category.objects.filter(parent=None).order_by("position", "id").first()
    if root is None:
        root = Category.objects.create(name=ROOT_NAME, url_key=ROOT_URL_KEY)
        counts["created"] += 1
    else:
        counts["unchanged"] += 1  # any root will do; its name and url key are the shop's
    by_path = {}

    def seed(parent, nodes):
        for position, (url_key, name, children) in enumerate(nodes):
            values = {"name": name, "position": position, "is_active": True, "include_in_menu": True}
            counts[upsert(Category, {"parent": parent, "url_key": url_key}, values)] += 1
            category = Category.objects.get(parent=parent, url_key=url_key)
            by_path[category.url_path] = category
            seed(category, children)

    seed(root, CATEGORIES)
    products = {
        p.sku: p for p in Product.objects.filter(sku__in={s for v in CATEGORY_PRODUCTS.values() for s in v})
    }
    for url_path, skus in CATEGORY_PRODUCTS.items():
        for position, sku in enumerate(skus):
            upsert(
                CategoryProduct,
                {"category": by_path[url_path], "product": products[sku]},
                {"position": position},
            )


def upsert(model: type[models.Model], key: dict, values: dict) -> str:
    """update_or_create that writes only when something differs ("created"/"updated"/"unchanged")."""
    instance = model.objects.filter(**key).first()
    if instance is None:
        model.objects.create(**key, **values)
        return "created"
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.save()
    return "updated"
