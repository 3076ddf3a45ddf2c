"""Catalog CSV import (CONTRACT §5): the rules, free of the management command.

File-level problems (missing file, not UTF-8, no header, missing or unknown columns) raise
``CatalogFileError`` before anything is written. Otherwise every row is checked on its own: a bad
row is reported with its CSV line number (header = line 1) and nothing of it is written; each
good row is created or updated by SKU in its own transaction.

On update, a column absent from the file leaves that field alone, and an empty ``url_key`` keeps
the product's current URL key (changing it would break links); other empty cells take the
column's default (an empty ``categories`` cell takes the product out of every category).

Configurable products (``type``, ``configurable_attributes``, ``parent_sku``, ``attributes``): a
row with ``type`` ``configurable`` is a parent and names its attribute codes
(``configurable_attributes``: ``size,color``); a variant row names its parent (``parent_sku``, a
configurable product of an earlier row or already in the catalog) and one value per attribute
of it (``attributes``: ``size=M;color=Blue``). Values are created on first use; a combination
may belong to one variant only. A variant without a ``url_key`` gets the slug of its SKU (its
name is often its parent's). The parent's price becomes its cheapest variant's.

``price_<ISO 4217>`` columns (``price_SEK``, ``price_GBP``; any case) give the price in another
store currency (``price`` is the default store's, ``STORE_CURRENCY``), as that store sells it
(gross where its prices include tax, net for a US-style store). An empty cell removes the
product from the stores of that currency (it has no price there); a file without the column
leaves that currency's prices alone.

``categories`` holds ``;``-separated paths of ``/``-separated names below the store's root
category (``Home/Kitchen;Sale``; ``|`` separates paths too). A name is matched case-insensitively
among its parent's children; a missing category is created with the slug of its name as url key.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from babel.numbers import get_currency_name
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from shop import categories as category_tree
from shop.models import (
    AttributeValue,
    Category,
    ConfigurableAttribute,
    Product,
    ProductPrice,
    ProductType,
    TaxClass,
    VariantValue,
    validate_image_url,
)
from shop.money import precision, store_currency

REQUIRED_COLUMNS = ("sku", "name", "price")
OPTIONAL_COLUMNS = (
    "qty",
    "tax_class",
    "url_key",
    "description",
    "image_url",
    "categories",
    "type",
    "configurable_attributes",
    "parent_sku",
    "attributes",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

_PRICE_COLUMN = re.compile(r"^price_([a-z]{3})$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_INTEGER = re.compile(r"^-?\d+$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_MAX_PRICE_INTEGER_DIGITS = 10  # Product.price: max_digits 12, 2 decimal places
_MAX_QTY = 2**31 - 1


class CatalogFileError(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass(frozen=True)
class RejectedRow:
    line: int
    sku: str
    reason: str

    def __str__(self):
        sku = f" (sku {self.sku})" if self.sku else ""
        return f"line {self.line}{sku}: {self.reason}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, rejected {len(self.rejected)}"


class RowError(Exception):
    pass


def import_catalog_file(path: str | Path) -> ImportResult:
    """Read ``path`` as UTF-8 (a BOM is accepted) and import it; see ``import_catalog``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CatalogFileError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CatalogFileError(f"the file is not UTF-8 (line {line}: invalid byte sequence)") from None
    return import_catalog(text)


def import_catalog(text: str) -> ImportResult:
    """Create or update products from CSV ``text``. Not one transaction: each good row is
    committed on its own, so a rejected row never undoes the others. Idempotent for a given file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header, header_end = _read_header(reader)

    known = Product.objects.values_list("sku", "url_key")
    url_key_owner = {url_key: sku for sku, url_key in known}
    current_url_key = {sku: url_key for sku, url_key in known}
    seen_skus: dict[str, int] = {}

    result = ImportResult()
    previous_end = header_end
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.rejected.append(RejectedRow(previous_end + 1, "", f"malformed CSV: {error}"))
            break  # the reader cannot resynchronise after a broken quote
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank line
        sku = row[header.index("sku")].strip() if len(row) > header.index("sku") else ""
        try:
            values = _row_values(header, row)
            sku = values["sku"]
            if sku in seen_skus:
                raise RowError(f"sku: {sku} already appears on line {seen_skus[sku]}")
            seen_skus[sku] = line
            shape = _shape(values, header)
            if shape.parent_sku and not values.get("url_key") and sku not in current_url_key:
                values = {**values, "url_key": slugify(sku)}
            fields = _clean(values, header, exists=sku in current_url_key)
            url_key = fields.get("url_key") or current_url_key.get(sku)
            owner = url_key_owner.get(url_key)
            if owner is not None and owner != sku:
                raise RowError(f"url_key: {url_key} is already used by sku {owner}")
            paths = _category_paths(values["categories"]) if "categories" in header else None
            created = _write(sku, fields, paths, shape)
        except RowError as error:
            result.rejected.append(RejectedRow(line, sku, str(error)))
            continue
        if sku in current_url_key:
            url_key_owner.pop(current_url_key[sku], None)
        url_key_owner[url_key] = sku
        current_url_key[sku] = url_key
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


def _read_header(reader) -> tuple[list[str], int]:
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise CatalogFileError(f"line 1: malformed header: {error}") from None
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise CatalogFileError("the file is empty; a header row is required")
    header = [name.strip().lower() for name in header]
    unknown = [name for name in header if name not in COLUMNS and _price_currency(name) is None]
    if unknown:
        raise CatalogFileError(
            f"unknown column(s): {', '.join(repr(name) for name in unknown)}; allowed: {', '.join(COLUMNS)}"
        )
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise CatalogFileError(f"duplicate column(s): {', '.join(duplicates)}")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CatalogFileError(f"missing required column(s): {', '.join(missing)}")
    return header, reader.line_num


def _row_values(header: list[str], row: list[str]) -> dict[str, str]:
    if len(row) != len(header):
        raise RowError(f"expected {len(header)} fields, found {len(row)}")
    return {name: cell.strip() for name, cell in zip(header, row, strict=True)}


def _clean(values: dict[str, str], header: list[str], *, exists: bool) -> dict:
    """Model field values for the columns present in the file. Raises RowError."""
    sku, name = values["sku"], values["name"]
    if not sku:
        raise RowError("sku: required")
    _check_length("sku", sku, Product._meta.get_field("sku").max_length)
    if not name:
        raise RowError("name: required")
    _check_length("name", name, Product._meta.get_field("name").max_length)
    fields = {"name": name, "price": _price(values["price"])}
    prices = {}
    for column in header:
        currency = _price_currency(column)
        if currency is not None:
            cell = values[column]
            prices[currency] = _price(cell, currency, f"price_{currency}") if cell else None
    if prices:
        fields["_prices"] = prices

    if "qty" in header:
        fields["stock_qty"] = _qty(values["qty"])
    if "tax_class" in header:
        tax_class = values["tax_class"].lower() or TaxClass.STANDARD
        if tax_class not in TaxClass.values:
            raise RowError(f"tax_class: {values['tax_class']} is not one of {', '.join(TaxClass.values)}")
        fields["tax_class"] = tax_class
    if "description" in header:
        fields["description"] = values["description"]
    if "image_url" in header:
        image_url = values["image_url"]
        _check_length("image_url", image_url, Product._meta.get_field("image_url").max_length)
        if image_url:
            try:
                validate_image_url(image_url)
            except ValidationError:
                raise RowError(f"image_url: {image_url} is not a valid URL") from None
        fields["image_url"] = image_url

    url_key = values.get("url_key", "")
    if url_key:
        if not _SLUG.match(url_key):
            raise RowError(f"url_key: {url_key} may hold only letters, digits, hyphens and underscores")
    elif not exists:
        url_key = slugify(name)
        if not url_key:
            raise RowError("url_key: cannot be derived from the name; give one")
    if url_key:
        _check_length("url_key", url_key, Product._meta.get_field("url_key").max_length)
        fields["url_key"] = url_key
    return fields


def _price_currency(column: str) -> str | None:
    """The currency of a ``price_<ISO 4217>`` column; None for any other column. The default
    store's currency has the ``price`` column (``price_EUR`` is unknown when it is EUR)."""
    match = _PRICE_COLUMN.match(column)
    if not match:
        return None
    currency = match.group(1).upper()
    if currency == store_currency() or get_currency_name(currency, locale="en") == currency:
        return None
    return currency


def _price(value: str, currency: str | None = None, column: str = "price") -> Decimal:
    currency = currency or store_currency()
    if not value:
        raise RowError(f"{column}: required")
    if not _DECIMAL.match(value):
        raise RowError(f"{column}: {value} is not a decimal number (use a dot, e.g. 19.99)")
    amount = Decimal(value)
    if amount < 0:
        raise RowError(f"{column}: {value} is negative")
    places = precision(currency)
    if -amount.as_tuple().exponent > places:
        raise RowError(f"{column}: {value} has more than {places} decimal places for {currency}")
    if len(value.split(".")[0].lstrip("-").lstrip("0")) > _MAX_PRICE_INTEGER_DIGITS:
        raise RowError(f"{column}: {value} is too large")
    return amount


def _qty(value: str) -> int:
    if not value:
        return 0
    if not _INTEGER.match(value):
        raise RowError(f"qty: {value} is not a whole number")
    qty = int(value)
    if qty < 0:
        raise RowError(f"qty: {value} is negative")
    if qty > _MAX_QTY:
        raise RowError(f"qty: {value} is too large")
    return qty


def _check_length(column: str, value: str, max_length: int) -> None:
    if len(value) > max_length:
        raise RowError(f"{column}: longer than {max_length} characters")


def _category_paths(value: str) -> list[list[str]]:
    try:
        paths = category_tree.parse_category_paths(value)
    except ValueError as error:
        raise RowError(f"categories: {error}") from None
    max_name = Category._meta.get_field("name").max_length
    if any(len(name) > max_name for path in paths for name in path):
        raise RowError(f"categories: a category name is longer than {max_name} characters")
    return paths


@dataclass(frozen=True)
class _Shape:
    """What the configurable columns say about a row: a configurable parent with its attribute
    codes, a variant with its parent and values, or neither (None when the file leaves the
    product's shape alone: no configurable column)."""

    type: str | None = None
    attribute_codes: tuple[str, ...] = ()
    parent_sku: str = ""
    values: tuple[tuple[str, str], ...] = ()


def _shape(values: dict[str, str], header: list[str]) -> _Shape:
    kind = values.get("type", "").lower()
    if kind and kind not in ProductType.values:
        raise RowError(f"type: {values['type']} is not one of {', '.join(ProductType.values)}")
    codes_cell = values.get("configurable_attributes", "")
    parent_sku = values.get("parent_sku", "")
    attributes_cell = values.get("attributes", "")
    if kind == ProductType.CONFIGURABLE:
        if parent_sku or attributes_cell:
            raise RowError("parent_sku: a configurable product cannot be a variant of another")
        codes = [code.strip().lower() for code in codes_cell.split(",") if code.strip()]
        if not codes:
            raise RowError("configurable_attributes: required for a configurable product, e.g. size,color")
        bad = [code for code in codes if not _SLUG.match(code)]
        if bad:
            raise RowError(
                f"configurable_attributes: {bad[0]} is not an attribute code (letters, digits, _ or -)"
            )
        if len(set(codes)) != len(codes):
            raise RowError("configurable_attributes: an attribute appears twice")
        return _Shape(type=ProductType.CONFIGURABLE, attribute_codes=tuple(codes))
    if codes_cell:
        raise RowError("configurable_attributes: only a configurable product has them (type configurable)")
    if parent_sku:
        pairs = []
        for part in attributes_cell.split(";"):
            if not part.strip():
                continue
            code, sep, label = part.partition("=")
            if not sep or not code.strip() or not label.strip():
                raise RowError(f"attributes: {part.strip()!r} is not code=value")
            pairs.append((code.strip().lower(), label.strip()))
        if not pairs:
            raise RowError(
                "attributes: a variant needs one value per attribute of its parent, e.g. size=M;color=Blue"
            )
        if len({code for code, _ in pairs}) != len(pairs):
            raise RowError("attributes: an attribute appears twice")
        return _Shape(type=ProductType.SIMPLE, parent_sku=parent_sku, values=tuple(pairs))
    if attributes_cell:
        raise RowError("attributes: only a variant has them (give its parent_sku)")
    configurable_columns = {"type", "configurable_attributes", "parent_sku", "attributes"}
    return _Shape(type=ProductType.SIMPLE) if configurable_columns & set(header) else _Shape()


def _write_configurable(product: Product, shape: _Shape) -> None:
    """The parent's attributes as the row names them (attributes its variants use stay)."""
    existing = {a.code: a for a in product.configurable_attributes.all()}
    for position, code in enumerate(shape.attribute_codes):
        attribute = existing.get(code)
        if attribute is None:
            label = code.replace("_", " ").replace("-", " ").capitalize()
            ConfigurableAttribute.objects.create(product=product, code=code, label=label, position=position)
        elif attribute.position != position:
            attribute.position = position
            attribute.save(update_fields=["position"])
    dropped = [a for code, a in existing.items() if code not in shape.attribute_codes]
    if dropped and product.variants.exists():
        raise RowError(f"configurable_attributes: {dropped[0].code} is used by the variants; keep it")
    for attribute in dropped:
        attribute.delete()
    prices = list(product.variants.values_list("price", flat=True))
    if prices:  # the price column of a parent with variants is overridden by its cheapest variant
        Product.objects.filter(pk=product.pk).update(price=min(prices))


def _write_variant(variant: Product, parent: Product, shape: _Shape) -> None:
    attributes = {a.code: a for a in parent.configurable_attributes.all()}
    given = dict(shape.values)
    if set(given) != set(attributes):
        raise RowError(
            f"attributes: {parent.sku} needs one value for each of {', '.join(sorted(attributes))}"
        )
    chosen = {}
    for code, label in given.items():
        attribute = attributes[code]
        value = AttributeValue.objects.filter(attribute=attribute, label=label).first()
        if value is None:
            value = AttributeValue.objects.create(
                attribute=attribute, label=label, position=attribute.values.count()
            )
        chosen[attribute.pk] = value
    combination = {pk: value.pk for pk, value in chosen.items()}
    for other in parent.variants.exclude(pk=variant.pk).prefetch_related("variant_values"):
        if {vv.attribute_id: vv.value_id for vv in other.variant_values.all()} == combination:
            raise RowError(f"attributes: {other.sku} already has these values")
    VariantValue.objects.filter(variant=variant).delete()
    VariantValue.objects.bulk_create(
        [VariantValue(variant=variant, attribute_id=pk, value=value) for pk, value in chosen.items()]
    )
    lowest = min(parent.variants.values_list("price", flat=True))
    Product.objects.filter(pk=parent.pk).update(price=lowest)


def _write(
    sku: str, fields: dict, category_paths: list[list[str]] | None = None, shape: _Shape | None = None
) -> bool:
    """Create or update one product atomically, with its categories when the file has the
    column (missing categories are created under the store's root) and its configurable
    attributes or variant values when the row names them; True when created."""
    shape = shape or _Shape()
    fields = dict(fields)
    prices = fields.pop("_prices", {})
    try:
        with transaction.atomic():
            parent = None
            if shape.type is not None:
                fields = {**fields, "type": shape.type, "parent": None}
            if shape.type == ProductType.CONFIGURABLE:
                fields["stock_qty"] = 0  # a parent's stock is its variants'
            if shape.parent_sku:
                parent = Product.objects.filter(sku=shape.parent_sku, type=ProductType.CONFIGURABLE).first()
                if parent is None:
                    raise RowError(
                        f"parent_sku: {shape.parent_sku} is no configurable product "
                        "(a parent's row must come before its variants)"
                    )
                fields["parent"] = parent
            product, created = Product.objects.update_or_create(sku=sku, defaults=fields)
            for currency, amount in prices.items():
                if amount is None:
                    ProductPrice.objects.filter(product=product, currency=currency).delete()
                else:
                    ProductPrice.objects.update_or_create(
                        product=product, currency=currency, defaults={"price": amount}
                    )
            if shape.type == ProductType.CONFIGURABLE:
                _write_configurable(product, shape)
            elif parent is not None:
                _write_variant(product, parent, shape)
            if category_paths is not None:
                root = category_tree.ensure_store_root()
                found = [category_tree.category_at(root, names) for names in category_paths]
                category_tree.set_product_categories(product, found)
    except IntegrityError as error:
        # A concurrent writer took the SKU or URL key between our check and the write.
        raise RowError(f"could not be saved: {error}") from None
    return created
