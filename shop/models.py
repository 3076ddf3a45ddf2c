"""Catalog and tax configuration owned by the ``shop`` app."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Q

from .html_sanitizer import sanitize_html

_absolute_url = URLValidator(schemes=["http", "https"])


def validate_image_url(value: str) -> None:
    """An absolute http(s) URL, or a path on this site such as ``/static/img/products/mug.svg``."""
    if value.startswith("/") and not value.startswith("//") and " " not in value:
        return
    try:
        _absolute_url(value)
    except ValidationError:
        raise ValidationError(
            "Enter an http(s) URL or a path starting with /.", code="invalid_image_url"
        ) from None


class TaxClass(models.TextChoices):
    STANDARD = "standard", "Standard rate"
    REDUCED = "reduced", "Reduced rate"
    ZERO = "zero", "Zero rate"


class ProductType(models.TextChoices):
    SIMPLE = "simple", "Simple product"
    CONFIGURABLE = "configurable", "Configurable product"


class Product(models.Model):
    """A product. ``price`` is tax-inclusive when PRICES_INCLUDE_TAX, else net.

    Magento's configurable model: a ``configurable`` parent has configurable attributes
    (``ConfigurableAttribute``) and no stock of its own; its variants are simple products with
    ``parent`` set, their own SKU, price, stock and image, and one value per attribute
    (``VariantValue``). A variant is sold, never listed on its own. Changed only through
    ``shop.configurable``, which keeps those rules.
    """

    type = models.CharField(max_length=16, choices=ProductType.choices, default=ProductType.SIMPLE)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="variants",
        help_text="Set on a variant: the configurable product it is a choice of.",
    )
    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    url_key = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    # Site-relative paths are allowed so the demo images can be local static files.
    image_url = models.CharField(max_length=1024, blank=True, validators=[validate_image_url])
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    tax_class = models.CharField(max_length=16, choices=TaxClass.choices, default=TaxClass.STANDARD)
    stock_qty = models.IntegerField(
        default=0, help_text="Units on hand; decremented when an order is placed."
    )
    is_active = models.BooleanField(default=True)
    categories = models.ManyToManyField(
        "Category", through="CategoryProduct", related_name="products", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=Q(stock_qty__gte=0), name="product_stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.sku} {self.name}"

    def save(self, *args, **kwargs):
        """Saving a new url key keeps the old one as a permanent redirect (``UrlRewrite``)."""
        super().save(*args, **kwargs)
        old = getattr(self, "_loaded_url_key", None)
        if old and old != self.url_key:
            UrlRewrite.record(UrlRewrite.PRODUCT, old_path=old, new_path=self.url_key, entity_id=self.pk)
        self._loaded_url_key = self.url_key

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_url_key = instance.__dict__.get("url_key")  # no query to spot a change
        return instance

    @property
    def in_stock(self) -> bool:
        return self.is_active and self.stock_qty > 0

    @property
    def is_configurable(self) -> bool:
        return self.type == ProductType.CONFIGURABLE


class TaxRate(models.Model):
    """A tax rate for one country (optionally one region, e.g. a US state) and one tax class.

    A rate with an empty ``region`` applies to every region of the country that has no rate
    of its own.
    """

    country = models.CharField(max_length=2)
    region = models.CharField(
        max_length=8, blank=True, default="", help_text="ISO 3166-2 code without country"
    )
    tax_class = models.CharField(max_length=16, choices=TaxClass.choices)
    rate = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Percent, e.g. 19",
    )
    label = models.CharField(max_length=64, default="VAT")

    class Meta:
        ordering = ["country", "region", "tax_class"]
        constraints = [
            models.UniqueConstraint(fields=["country", "region", "tax_class"], name="taxrate_unique_scope"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=100), name="taxrate_rate_range"),
        ]

    def __str__(self):
        where = f"{self.country}-{self.region}" if self.region else self.country
        return f"{self.label} {self.rate}% ({where}, {self.tax_class})"


# --- Customer accounts ------------------------------------------------------------------------------
# A customer is django.contrib.auth's User: username = email lowercased, first_name/last_name
# are Magento's firstname/lastname. These two models hold what Magento adds to an account.


class CustomerToken(models.Model):
    """A bearer token for /graphql. Only its SHA-256 is stored: a database leak gives no
    usable token. Valid while not revoked and not expired."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="customer_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"Token {self.token_hash[:8]}… of user {self.user_id}"


class AbstractAddress(models.Model):
    """The fields of a postal address, listed once: a cart's, an order's and an address book's
    addresses are each their own table with these columns (``ADDRESS_FIELDS``)."""

    firstname = models.CharField(max_length=255)
    lastname = models.CharField(max_length=255)
    company = models.CharField(max_length=255, blank=True)
    street = models.JSONField(default=list)
    city = models.CharField(max_length=255)
    region_code = models.CharField(max_length=8, blank=True)
    region_label = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=32, blank=True)
    country_code = models.CharField(max_length=2)
    telephone = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


ADDRESS_FIELDS = tuple(field.name for field in AbstractAddress._meta.fields)


def address_values(source) -> dict:
    """The address fields of any address-like object (a cart, order or address-book address,
    a validated ``cart.addresses.Address``), the street list copied: what a copy of that
    address is made of."""
    values = {name: getattr(source, name) for name in ADDRESS_FIELDS}
    values["street"] = list(values["street"])
    return values


class CustomerAddress(AbstractAddress):
    """An address in a customer's address book (Magento's customer address)."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="customer_addresses")
    # Magento's further address attributes, kept as given (Venia's address book shows them).
    middlename = models.CharField(max_length=255, blank=True)
    prefix = models.CharField(max_length=40, blank=True)
    suffix = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=64, blank=True)
    vat_id = models.CharField(max_length=64, blank=True)
    default_shipping = models.BooleanField(default=False)
    default_billing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(default_shipping=True),
                name="customeraddress_one_default_shipping",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(default_billing=True), name="customeraddress_one_default_billing"
            ),
        ]

    def __str__(self):
        return f"{self.firstname} {self.lastname}, {self.city} {self.country_code}"


class NewsletterSubscription(models.Model):
    """A customer's newsletter consent (Magento's ``is_subscribed``): one row per customer,
    kept when they unsubscribe so the last change is known."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="newsletter_subscription")
    is_subscribed = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Newsletter {'on' if self.is_subscribed else 'off'} for user {self.user_id}"


class NewsletterGuestSubscriber(models.Model):
    """An email subscribed to the newsletter without an account of its own (Magento's guest
    subscriber, ``subscribeEmailToNewsletter``); a customer's own consent is
    ``NewsletterSubscription``."""

    email = models.EmailField(max_length=254, unique=True)
    subscribed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Newsletter guest subscriber {self.pk}"


# --- Categories -------------------------------------------------------------------------------------
# Magento's tree: a category without a parent is a store's root ("Default Category", never shown
# as a page); its children are the top of the menu. ``path`` ("1/2/5", the ids from the root) and
# ``level`` (1 for a root) are Magento's columns, kept with ``url_path`` by
# ``shop.categories.save_category``, so a subtree or the breadcrumbs are one query away.


class Category(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text="Empty only for a store's root category; the menu starts at the root's children.",
    )
    name = models.CharField(max_length=255)
    url_key = models.SlugField(max_length=255, help_text="Unique among the category's siblings.")
    url_path = models.CharField(
        max_length=1024,
        editable=False,
        db_index=True,
        help_text='The url keys from the top, e.g. "home/kitchen".',
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.PositiveSmallIntegerField(editable=False, default=1)
    position = models.IntegerField(default=0, help_text="Order among siblings, lowest first.")
    is_active = models.BooleanField(default=True)
    include_in_menu = models.BooleanField(default=True)
    description = models.TextField(blank=True, help_text="Shown above the category's products.")
    image_url = models.CharField(max_length=1024, blank=True, validators=[validate_image_url])
    landing_page = models.ForeignKey(
        "CmsBlock",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A CMS block shown above the category's products (Magento's landing page).",
    )
    meta_title = models.CharField(max_length=255, blank=True)
    meta_keywords = models.TextField(blank=True)
    meta_description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "url_key"], name="category_url_key_unique_among_siblings"
            ),
            models.UniqueConstraint(
                fields=["url_key"], condition=Q(parent__isnull=True), name="category_root_url_key_unique"
            ),
        ]

    def __str__(self):
        return self.url_path or self.name

    def save(self, *args, **kwargs):
        """Keep ``level``, ``url_path`` and ``path`` true for this category and, when it moved
        or its url key changed, for its whole subtree."""
        old = None
        if self.pk is not None:
            old = Category.objects.filter(pk=self.pk).values_list("path", "url_path").first()
        parent = self.parent
        self.level = parent.level + 1 if parent else 1
        # A root is no page: its children's url paths start at their own url key.
        self.url_path = "/".join(p for p in (parent.url_path, self.url_key) if p) if parent else ""
        super().save(*args, **kwargs)
        path = f"{parent.path}/{self.pk}" if parent else str(self.pk)
        if path != self.path:
            self.path = path
            Category.objects.filter(pk=self.pk).update(path=path)
        if old is not None and old != (self.path, self.url_path):
            moved = self._rebuild_subtree(old_path=old[0])
            # Old url paths stay as permanent redirects (``UrlRewrite``), the subtree's too.
            for pk, old_url_path, new_url_path in [(self.pk, old[1], self.url_path), *moved]:
                UrlRewrite.record(
                    UrlRewrite.CATEGORY, old_path=old_url_path, new_path=new_url_path, entity_id=pk
                )

    def clean(self):
        if self.parent_id is not None and self.pk is not None:
            parent_path = self.parent.path.split("/")
            if str(self.pk) in parent_path:
                raise ValidationError(
                    {"parent": "A category cannot be placed under itself or its own subcategory."}
                )

    def _rebuild_subtree(self, *, old_path: str) -> list[tuple[int, str, str]]:
        """Rewrite the descendants' level, url path and path; (pk, old url path, new url path)
        of each."""
        nodes = {self.pk: self}
        descendants = list(Category.objects.filter(path__startswith=old_path + "/").order_by("level"))
        old_url_paths = {node.pk: node.url_path for node in descendants}
        for node in descendants:
            parent = nodes[node.parent_id]
            node.level = parent.level + 1
            node.url_path = "/".join(p for p in (parent.url_path, node.url_key) if p)
            node.path = f"{parent.path}/{node.pk}"
            nodes[node.pk] = node
        Category.objects.bulk_update(descendants, ["level", "url_path", "path"])
        return [(node.pk, old_url_paths[node.pk], node.url_path) for node in descendants]


class CategoryProduct(models.Model):
    """A product's place in a category (Magento's ``catalog_category_product``)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="product_links")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="category_links")
    position = models.IntegerField(default=0, help_text="Order in the category's listing, lowest first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "product"], name="categoryproduct_unique")]

    def __str__(self):
        return f"{self.product_id} in {self.category_id}"


# --- Configurable products ------------------------------------------------------------------------
# Magento's super attributes, kept per parent product: the attribute (``color``) with its values
# (Blue, Red) is the parent's; each variant names one value per attribute. Uids follow Magento:
# an option is base64("configurable/<attribute id>"), a value base64("configurable/<attribute
# id>/<value id>") (``shop.configurable``).


class ConfigurableAttribute(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="configurable_attributes")
    code = models.SlugField(max_length=64, help_text='Attribute code, e.g. "color" or "size".')
    label = models.CharField(max_length=255)
    position = models.IntegerField(default=0, help_text="Order on the product page, lowest first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="configurableattribute_code_unique")
        ]

    def __str__(self):
        return f"{self.code} of {self.product_id}"


class AttributeValue(models.Model):
    attribute = models.ForeignKey(ConfigurableAttribute, on_delete=models.CASCADE, related_name="values")
    label = models.CharField(max_length=255)
    swatch = models.CharField(
        max_length=64, blank=True, help_text='Optional swatch: a colour such as "#1f4e9c", or a short text.'
    )
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "label"], name="attributevalue_label_unique")
        ]

    def __str__(self):
        return self.label


class VariantValue(models.Model):
    """A variant's value for one of its parent's configurable attributes."""

    variant = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variant_values")
    attribute = models.ForeignKey(ConfigurableAttribute, on_delete=models.CASCADE, related_name="+")
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["attribute__position", "attribute_id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "attribute"], name="variantvalue_one_per_attribute")
        ]

    def __str__(self):
        return f"{self.variant_id}: {self.value_id}"


# --- CMS and url rewrites -------------------------------------------------------------------------
# Magento's minimal CMS: pages (the home page is ``home``) and blocks, edited in the admin, their
# HTML sanitised on every save. ``UrlRewrite`` keeps the old url of a product, category or page
# whose url key changed, answered by ``route``/``urlResolver`` as a 301 to the current url.

_identifier = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9_-]+)*$",
    "Lowercase letters, digits, hyphens and underscores, in parts separated by /.",
)


class PageLayout(models.TextChoices):
    EMPTY = "empty", "Empty"
    ONE_COLUMN = "1column", "1 column"
    TWO_COLUMNS_LEFT = "2columns-left", "2 columns with left bar"
    TWO_COLUMNS_RIGHT = "2columns-right", "2 columns with right bar"
    THREE_COLUMNS = "3columns", "3 columns"
    CMS_FULL_WIDTH = "cms-full-width", "Page -- Full Width"


class CmsPage(models.Model):
    identifier = models.CharField(
        max_length=255,
        unique=True,
        validators=[_identifier],
        help_text='The url of the page, e.g. "about-us"; the home page is "home".',
    )
    title = models.CharField(max_length=255)
    content_heading = models.CharField(max_length=255, blank=True)
    content = models.TextField(
        blank=True, help_text="HTML; sanitised on save (scripts, styles and events removed)."
    )
    page_layout = models.CharField(max_length=32, choices=PageLayout.choices, default=PageLayout.ONE_COLUMN)
    meta_title = models.CharField(max_length=255, blank=True)
    meta_keywords = models.TextField(blank=True)
    meta_description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = "CMS page"

    def __str__(self):
        return self.identifier

    def save(self, *args, **kwargs):
        self.content = sanitize_html(self.content)
        super().save(*args, **kwargs)
        old = getattr(self, "_loaded_identifier", None)
        if old and old != self.identifier:
            UrlRewrite.record(UrlRewrite.CMS_PAGE, old_path=old, new_path=self.identifier, entity_id=self.pk)
        self._loaded_identifier = self.identifier

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_identifier = instance.__dict__.get("identifier")
        return instance


class CmsBlock(models.Model):
    identifier = models.CharField(max_length=255, unique=True, validators=[_identifier])
    title = models.CharField(max_length=255)
    content = models.TextField(
        blank=True, help_text="HTML; sanitised on save (scripts, styles and events removed)."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = "CMS block"

    def __str__(self):
        return self.identifier

    def save(self, *args, **kwargs):
        self.content = sanitize_html(self.content)
        super().save(*args, **kwargs)


class UrlRewrite(models.Model):
    """An old url (without the store's url suffix) of an entity: answered as a permanent
    redirect to the entity's current url. Recorded by the models' ``save`` when a url key or a
    category's place changes."""

    PRODUCT = "product"
    CATEGORY = "category"
    CMS_PAGE = "cms-page"
    ENTITY_TYPES = [(PRODUCT, "Product"), (CATEGORY, "Category"), (CMS_PAGE, "CMS page")]

    entity_type = models.CharField(max_length=16, choices=ENTITY_TYPES)
    request_path = models.CharField(max_length=1024, help_text="The old url key or url path, without suffix.")
    entity_id = models.PositiveIntegerField()
    redirect_type = models.PositiveSmallIntegerField(default=301)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity_type", "request_path"]
        constraints = [
            models.UniqueConstraint(fields=["entity_type", "request_path"], name="urlrewrite_path_unique")
        ]

    def __str__(self):
        return f"{self.request_path} -> {self.entity_type} {self.entity_id}"

    @classmethod
    def record(cls, entity_type: str, *, old_path: str, new_path: str, entity_id: int) -> None:
        """``old_path`` now redirects to the entity; its new path is live again, no redirect."""
        if old_path:
            cls.objects.update_or_create(
                entity_type=entity_type,
                request_path=old_path,
                defaults={"entity_id": entity_id, "redirect_type": 301},
            )
        cls.objects.filter(entity_type=entity_type, request_path=new_path).delete()


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Store(models.Model):
    """A market (Magento's store view): where a shopper buys, in which currency and language.

    Read through ``shop.store`` (cached per process), never directly. The store whose code is
    ``STORE_CODE`` is the default one: its currency, tax mode and shipping are today's settings
    (``STORE_CURRENCY``, ``PRICES_INCLUDE_TAX``, ``SHIPPING_*``; left empty on its row) and its
    empty name, countries and locales fall back to ``STORE_NAME``, ``STORE_COUNTRY`` and
    ``LANGUAGE_CODE``, so a deployment without rows behaves as before. Every other store states its own. Its tax rules
    are the ``TaxRate`` rows of the countries it sells to, applied with its ``prices_include_tax``.
    Klarna credentials are never stored: ``klarna_account`` names an account read from the
    environment (``KLARNA_<NAME>_API_USERNAME`` …; empty: the default ``KLARNA_API_USERNAME``).
    """

    code = models.SlugField(
        max_length=32, unique=True, help_text="The `Store` header's value; /<code>/ URLs."
    )
    name = models.CharField(max_length=128, blank=True, help_text="Empty on the default store: STORE_NAME.")
    sort_order = models.IntegerField(default=0)
    countries = models.CharField(
        max_length=255,
        blank=True,
        help_text="ISO 3166 codes it sells to, comma-separated; the first is its home country.",
    )
    currency = models.CharField(
        max_length=3, blank=True, help_text="ISO 4217; empty on the default store (STORE_CURRENCY)."
    )
    locales = models.CharField(
        max_length=255, blank=True, help_text="Locales such as sv_SE,en_SE; the first is the default."
    )
    prices_include_tax = models.BooleanField(
        null=True, blank=True, help_text="Catalog and shipping prices include tax (EU) or not (US)."
    )
    flatrate_price = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    free_shipping_threshold = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    klarna_account = models.CharField(
        max_length=32,
        blank=True,
        help_text="Name of the Klarna account in the environment (KLARNA_<NAME>_API_USERNAME, "
        "_API_PASSWORD, _REGION); empty: the default account.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self):
        return f"{self.code} ({self.name or 'default'})"

    @property
    def country_list(self) -> list[str]:
        return [c.upper() for c in _codes(self.countries)]

    @property
    def locale_list(self) -> list[str]:
        return _codes(self.locales)

    def clean(self):
        from django.conf import settings

        from .regions import country_name

        errors = {}
        self.currency = self.currency.strip().upper()
        self.klarna_account = self.klarna_account.strip().upper()
        if self.code == settings.STORE_CODE:
            from_settings = "The default store's {} comes from the {} setting: leave it empty."
            for name, setting in (
                ("currency", "STORE_CURRENCY"),
                ("prices_include_tax", "PRICES_INCLUDE_TAX"),
                ("flatrate_price", "SHIPPING_FLATRATE_PRICE"),
                ("free_shipping_threshold", "SHIPPING_FREESHIPPING_THRESHOLD"),
            ):
                if getattr(self, name) not in (None, ""):
                    errors[name] = from_settings.format(name.replace("_", " "), setting)
            if self.klarna_account:
                errors["klarna_account"] = (
                    "The default store uses the default account (KLARNA_API_USERNAME …)."
                )
        else:
            for name in ("countries", "currency", "locales"):
                if not getattr(self, name):
                    errors[name] = "Required on every store but the default one."
            if self.prices_include_tax is None:
                errors["prices_include_tax"] = "Required on every store but the default one."
        bad = [c for c in self.country_list if country_name(c) is None]
        if bad:
            errors["countries"] = f"Unknown country codes: {', '.join(bad)}."
        if self.currency:
            from babel.numbers import get_currency_name

            if len(self.currency) != 3 or get_currency_name(self.currency) == self.currency:
                errors["currency"] = "Not an ISO 4217 currency code."
        if self.klarna_account and not self.klarna_account.replace("_", "").isalnum():
            errors["klarna_account"] = "Letters, digits and _ only."
        if errors:
            raise ValidationError(errors)


class ProductPrice(models.Model):
    """A product's price in another currency than the default store's (``Product.price``).

    Stated as the store sells it (gross for stores whose prices include tax, net otherwise); a
    product without a price in a store's currency is not sold in that store."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["product_id", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["product", "currency"], name="productprice_one_per_currency"),
            models.CheckConstraint(condition=Q(price__gte=0), name="productprice_not_negative"),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.price} {self.currency}"
