"""Catalog and tax configuration owned by the ``shop`` app."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q

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
            self._rebuild_subtree(old_path=old[0])

    def clean(self):
        if self.parent_id is not None and self.pk is not None:
            parent_path = self.parent.path.split("/")
            if str(self.pk) in parent_path:
                raise ValidationError(
                    {"parent": "A category cannot be placed under itself or its own subcategory."}
                )

    def _rebuild_subtree(self, *, old_path: str) -> None:
        nodes = {self.pk: self}
        descendants = list(Category.objects.filter(path__startswith=old_path + "/").order_by("level"))
        for node in descendants:
            parent = nodes[node.parent_id]
            node.level = parent.level + 1
            node.url_path = "/".join(p for p in (parent.url_path, node.url_key) if p)
            node.path = f"{parent.path}/{node.pk}"
            nodes[node.pk] = node
        Category.objects.bulk_update(descendants, ["level", "url_path", "path"])


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
