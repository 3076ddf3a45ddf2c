"""Klarna's server-side checks on a session or order payload (reference §2.2–§2.4, §2.8).

Every failure raises ``KlarnaError`` (400 ``BAD_VALUE``) listing *all* bad fields, in Klarna's
"Bad value: <path>" wording.
"""

import re
from fractions import Fraction

from .errors import KlarnaError
from .markets import MARKETS

MAX_AMOUNT = 200_000_000
LINE_TYPES = {
    "physical",
    "discount",
    "shipping_fee",
    "sales_tax",
    "digital",
    "gift_card",
    "store_credit",
    "surcharge",
}
# Line types whose amounts are negative.
NEGATIVE_TYPES = {"discount", "gift_card", "store_credit"}
ADDRESS_LIMITS = {
    "given_name": 99,
    "family_name": 99,
    "email": 99,
    "street_address": 99,
    "street_address2": 99,
    "city": 99,
    "region": 99,
    "phone": 99,
    "attention": 99,
    "organization_name": 99,
    "postal_code": 10,
    "title": 20,
    "country": 2,
}
LINE_STRING_LIMITS = {
    "reference": 255,
    "image_url": 1024,
    "product_url": 1024,
    "merchant_data": 1024,
}
COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")
LOCALE_RE = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z]{2})*$")
COLOR_RE = re.compile(r"^#[A-Fa-f0-9]{6}$")
LOOPBACK_RE = re.compile(r"^http://(localhost|127\.0\.0\.1|\[::1\]|testserver)(:\d+)?(/|$)")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def expected_line_tax(total_amount: int, tax_rate: int) -> Fraction:
    """Klarna's formula: total_amount - total_amount * 10000 / (10000 + tax_rate)."""
    return total_amount - Fraction(total_amount * 10000, 10000 + tax_rate)


def _round(value: Fraction) -> int:
    """Half away from zero, as shown in Klarna's messages."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


class _Checker:
    def __init__(self):
        self.messages: list[str] = []

    def bad(self, path: str, detail: str = ""):
        self.messages.append(f"Bad value: {path}{detail}")

    def string(self, obj: dict, key: str, path: str, max_len: int, *, required=False, min_len=0):
        if key not in obj or obj[key] is None:
            if required:
                self.bad(path)
            return
        value = obj[key]
        if not isinstance(value, str) or not (min_len <= len(value) <= max_len):
            self.bad(path)

    def integer(self, obj: dict, key: str, path: str, *, required=False, minimum=0, maximum=MAX_AMOUNT):
        if key not in obj or obj[key] is None:
            if required:
                self.bad(path)
            return None
        value = obj[key]
        if not _is_int(value) or not (minimum <= value <= maximum):
            self.bad(path)
            return None
        return value


def normalise_country(payload: dict) -> str:
    """Klarna lets a billing country override purchase_country."""
    billing = payload.get("billing_address") or {}
    country = billing.get("country") if isinstance(billing, dict) else None
    return str(country or payload.get("purchase_country") or "").upper()


def validate_payload(payload, *, partial_ok: bool = False) -> dict:
    """Check a create-session / update-session / create-order body; returns it with defaults set.

    Raises ``KlarnaError`` 400 BAD_REQUEST when it is not a JSON object, BAD_VALUE otherwise.
    """
    if not isinstance(payload, dict):
        raise KlarnaError(400, "BAD_REQUEST", "Malformed request: body must be a JSON object")
    c = _Checker()
    for key in ("purchase_country", "purchase_currency", "order_amount", "order_lines"):
        if payload.get(key) is None:
            c.bad(key)
    country = payload.get("purchase_country")
    currency = payload.get("purchase_currency")
    if country is not None and (not isinstance(country, str) or not COUNTRY_RE.match(country)):
        c.bad("purchase_country")
    if currency is not None and (not isinstance(currency, str) or not CURRENCY_RE.match(currency)):
        c.bad("purchase_currency")
    locale = payload.get("locale")
    if locale is not None and (not isinstance(locale, str) or not LOCALE_RE.match(locale)):
        c.bad("locale")
    order_amount = c.integer(payload, "order_amount", "order_amount")
    order_tax_amount = c.integer(payload, "order_tax_amount", "order_tax_amount")
    for key in ("merchant_reference1", "merchant_reference2"):
        c.string(payload, key, key, 255)
    c.string(payload, "merchant_data", "merchant_data", 6000)
    if payload.get("intent") is not None and payload["intent"] not in ("buy", "tokenize", "buy_and_tokenize"):
        c.bad("intent")
    if payload.get("acquiring_channel") is not None and payload["acquiring_channel"] not in (
        "ECOMMERCE",
        "IN_STORE",
        "TELESALES",
    ):
        c.bad("acquiring_channel")
    _check_merchant_urls(c, payload.get("merchant_urls"))
    _check_options(c, payload.get("options"))
    for key in ("billing_address", "shipping_address"):
        _check_address(c, payload.get(key), key)
    _check_customer(c, payload.get("customer"))
    if "auto_capture" in payload and not isinstance(payload["auto_capture"], bool):
        c.bad("auto_capture")
    lines = payload.get("order_lines")
    if lines is not None:
        _check_lines(c, lines, order_amount, order_tax_amount)
    if c.messages:
        raise KlarnaError(400, "BAD_VALUE", *c.messages)

    # Market: currency and locale must fit the (billing-)country.
    effective_country = normalise_country(payload)
    market = MARKETS.get(effective_country)
    if market is None:
        raise KlarnaError(400, "BAD_VALUE", "Bad value: purchase_country")
    if currency.upper() != market.currency:
        raise KlarnaError(400, "BAD_VALUE", "Bad value: purchase_currency")
    if locale is not None and locale.lower() not in {loc.lower() for loc in market.locales}:
        raise KlarnaError(400, "BAD_VALUE", "Bad value: locale")
    normalised = dict(payload)
    normalised["purchase_country"] = country.upper()
    normalised["purchase_currency"] = currency.upper()
    normalised["locale"] = locale or market.locales[0]
    return normalised


def _check_merchant_urls(c: _Checker, urls):
    if urls is None:
        return
    if not isinstance(urls, dict):
        c.bad("merchant_urls")
        return
    for key in ("confirmation", "notification", "push", "authorization"):
        value = urls.get(key)
        if value is None:
            continue
        # Klarna demands https; the emulator also accepts http on loopback for local shops.
        if (
            not isinstance(value, str)
            or len(value) > 2000
            or not (value.startswith("https://") or LOOPBACK_RE.match(value))
        ):
            c.bad(f"merchant_urls.{key}")


def _check_options(c: _Checker, options):
    if options is None:
        return
    if not isinstance(options, dict):
        c.bad("options")
        return
    for key in ("color_border", "color_border_selected", "color_details", "color_text"):
        value = options.get(key)
        if value is not None and (not isinstance(value, str) or not COLOR_RE.match(value)):
            c.bad(f"options.{key}")


def _check_address(c: _Checker, address, path: str):
    if address is None:
        return
    if not isinstance(address, dict):
        c.bad(path)
        return
    for key, limit in ADDRESS_LIMITS.items():
        c.string(address, key, f"{path}.{key}", limit)
    country = address.get("country")
    if isinstance(country, str) and not COUNTRY_RE.match(country):
        c.bad(f"{path}.country")
    for key in ("given_name", "family_name"):
        name = address.get(key)
        if isinstance(name, str) and name and (len(name) < 2 or name.isdigit()):
            c.bad(f"{path}.{key}")
    email = address.get("email")
    if isinstance(email, str) and email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        c.bad(f"{path}.email")
    if (
        isinstance(country, str)
        and country.upper() in ("US", "AU")
        and any(address.get(k) for k in ("street_address", "city", "postal_code"))
    ):
        if not address.get("region"):
            c.bad(f"{path}.region")


def _check_customer(c: _Checker, customer):
    if customer is None:
        return
    if not isinstance(customer, dict):
        c.bad("customer")
        return
    dob = customer.get("date_of_birth")
    if dob is not None and (not isinstance(dob, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", dob)):
        c.bad("customer.date_of_birth")
    if customer.get("type") is not None and customer["type"] not in ("person", "organization"):
        c.bad("customer.type")
    if customer.get("gender") is not None and customer["gender"] not in ("male", "female"):
        c.bad("customer.gender")
    ssn = customer.get("last_four_ssn")
    if ssn is not None and (not isinstance(ssn, str) or not re.match(r"^([0-9]{4}|[0-9]{9})$", ssn)):
        c.bad("customer.last_four_ssn")


def _check_lines(c: _Checker, lines, order_amount, order_tax_amount):
    if not isinstance(lines, list) or not (1 <= len(lines) <= 1000):
        c.bad("order_lines")
        return
    sum_total = 0
    sum_tax = Fraction(0)
    sums_ok = True
    for i, line in enumerate(lines):
        p = f"order_lines[{i}]"
        if not isinstance(line, dict):
            c.bad(p)
            sums_ok = False
            continue
        before = len(c.messages)
        line_type = line.get("type", "physical")
        if line_type not in LINE_TYPES:
            c.bad(f"{p}.type")
        negative = line_type in NEGATIVE_TYPES
        low = -MAX_AMOUNT if negative else 0
        c.string(line, "name", f"{p}.name", 255, required=True, min_len=1)
        quantity = c.integer(line, "quantity", f"{p}.quantity", required=True, maximum=2**31)
        unit_price = c.integer(line, "unit_price", f"{p}.unit_price", required=True, minimum=low)
        total = c.integer(line, "total_amount", f"{p}.total_amount", required=True, minimum=low)
        discount = c.integer(line, "total_discount_amount", f"{p}.total_discount_amount") or 0
        tax_rate = c.integer(line, "tax_rate", f"{p}.tax_rate", maximum=10000) or 0
        tax = c.integer(line, "total_tax_amount", f"{p}.total_tax_amount", minimum=-MAX_AMOUNT)
        if "quantity_unit" in line:
            c.string(line, "quantity_unit", f"{p}.quantity_unit", 8, min_len=1)
        for key, limit in LINE_STRING_LIMITS.items():
            c.string(line, key, f"{p}.{key}", limit)
        if len(c.messages) > before:
            sums_ok = False
            continue
        if total != quantity * unit_price - discount:
            c.bad(f"{p}.total_amount")
            sums_ok = False
            continue
        sum_total += total
        if line_type == "sales_tax":
            # US style: the sales-tax line *is* the tax; other lines carry tax_rate 0.
            sum_tax += total
            continue
        tax = tax or 0
        calculated = expected_line_tax(total, tax_rate)
        if abs(tax - calculated) > 1:
            c.messages.append(
                f"Bad value: {p}.total_tax_amount differs from the calculated value "
                f"[{_round(calculated)}] by more than [1]"
            )
            sums_ok = False
        sum_tax += tax
    if not sums_ok:
        return
    if order_amount is not None and order_amount != sum_total:
        c.bad("order_amount")
    # Order-level tax tolerance: ±(number of lines), the emulator's reading of Klarna's docs.
    if order_tax_amount is not None and abs(order_tax_amount - sum_tax) > len(lines):
        c.bad("order_tax_amount")
