"""Cart totals -> Klarna Payments payload (purchase data, order lines, addresses).

Every amount comes from the one totals engine (``cart.totals.CartTotals``) converted to
integer minor units; nothing is recomputed here, so what Klarna sees is exactly what the
shopper sees. ``validate_payload`` checks Klarna's own rules (reference §2.8) before anything
is sent.

Tax modes (``CartTotals.prices_include_tax``):
- tax-inclusive (EU/AU style): each line carries ``tax_rate`` (basis points) and
  ``total_tax_amount`` (the engine's line tax, which satisfies Klarna's formula within 1);
  ``order_tax_amount`` = Σ line taxes.
- tax-exclusive (US style): lines carry no tax (``tax_rate`` 0, ``total_tax_amount`` 0) and
  one ``sales_tax`` line named "Sales Tax" carries the cart's tax; ``order_tax_amount`` is
  that line's amount.

Markets Klarna serves (purchase country -> currency, native locale, API region; the locale
sent is the store's language in that country when Klarna offers it, see ``klarna_locale``). A country absent
here, or whose currency is not the store currency, gets no Klarna method (CONTRACT §6):

    AT EUR de-AT eu   BE EUR nl-BE eu   CH CHF de-CH eu   CZ CZK cs-CZ eu   DE EUR de-DE eu
    DK DKK da-DK eu   ES EUR es-ES eu   FI EUR fi-FI eu   FR EUR fr-FR eu   GB GBP en-GB eu
    GR EUR el-GR eu   HU HUF hu-HU eu   IE EUR en-IE eu   IT EUR it-IT eu   NL EUR nl-NL eu
    NO NOK nb-NO eu   PL PLN pl-PL eu   PT EUR pt-PT eu   RO RON ro-RO eu   SE SEK sv-SE eu
    SK EUR sk-SK eu   US USD en-US na   CA CAD en-CA na   MX MXN es-MX na   AU AUD en-AU oc
    NZ NZD en-NZ oc
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from shop.money import store_language, to_minor_units

# country: (currency, locale, region)
MARKETS: dict[str, tuple[str, str, str]] = {
    "AT": ("EUR", "de-AT", "eu"),
    "BE": ("EUR", "nl-BE", "eu"),
    "CH": ("CHF", "de-CH", "eu"),
    "CZ": ("CZK", "cs-CZ", "eu"),
    "DE": ("EUR", "de-DE", "eu"),
    "DK": ("DKK", "da-DK", "eu"),
    "ES": ("EUR", "es-ES", "eu"),
    "FI": ("EUR", "fi-FI", "eu"),
    "FR": ("EUR", "fr-FR", "eu"),
    "GB": ("GBP", "en-GB", "eu"),
    "GR": ("EUR", "el-GR", "eu"),
    "HU": ("HUF", "hu-HU", "eu"),
    "IE": ("EUR", "en-IE", "eu"),
    "IT": ("EUR", "it-IT", "eu"),
    "NL": ("EUR", "nl-NL", "eu"),
    "NO": ("NOK", "nb-NO", "eu"),
    "PL": ("PLN", "pl-PL", "eu"),
    "PT": ("EUR", "pt-PT", "eu"),
    "RO": ("RON", "ro-RO", "eu"),
    "SE": ("SEK", "sv-SE", "eu"),
    "SK": ("EUR", "sk-SK", "eu"),
    "US": ("USD", "en-US", "na"),
    "CA": ("CAD", "en-CA", "na"),
    "MX": ("MXN", "es-MX", "na"),
    "AU": ("AUD", "en-AU", "oc"),
    "NZ": ("NZD", "en-NZ", "oc"),
}
# Countries whose addresses carry a state/province code in ``region``.
REGION_COUNTRIES = {"US", "CA", "AU", "MX"}
MAX_AMOUNT = 200_000_000
MAX_LINES = 1000
SALES_TAX_NAME = "Sales Tax"
INTEGER_FIELDS = (
    "quantity",
    "unit_price",
    "total_amount",
    "total_discount_amount",
    "total_tax_amount",
    "tax_rate",
)


@dataclass(frozen=True)
class KlarnaMarket:
    country: str
    currency: str
    locale: str
    account: str = ""  # the store's Klarna account name ("" = default), used for every call

    def as_tuple(self) -> tuple[str, str, str]:
        return (self.country, self.currency, self.locale)


class KlarnaPayloadInvalid(Exception):
    """The payload breaks one of Klarna's rules; sending it would only earn a BAD_VALUE."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def purchase_country(info) -> str:
    """Billing country, else shipping country, else the store's country."""
    for address in (info.billing_address, info.shipping_address):
        if address is not None and address.country_code:
            return address.country_code.upper()
    return info.store.country


def klarna_locale(store, country: str, market_locale: str) -> str:
    """Klarna's ``locale``: the store's language in the purchase country (``sv-SE``, ``en-GB``,
    ``en-DE`` for the English pages of the German store) when that language is the market's own
    or English, else the market's locale (``de-DE``). For the store's own country it is exactly
    the page's money locale (``shop.money.store_locale``), so the widget writes amounts as the
    page does. The default store's language comes from settings (STORE_LOCALE/LANGUAGE_CODE)."""
    language = store.locale.split("_")[0].lower() if store.explicit_locales else store_language()
    if language in (market_locale.split("-")[0], "en"):
        return f"{language}-{country}"
    return market_locale


def market_for(info, currency: str | None = None) -> KlarnaMarket | None:
    """The Klarna market of the cart, or None when Klarna does not serve its country in the
    store currency (or outside the API region of the store's Klarna account, whose credentials
    would not work there)."""
    from .accounts import find_account

    country = purchase_country(info)
    currency = currency or info.store.currency
    entry = MARKETS.get(country)
    if entry is None or entry[0] != currency:
        return None
    store = info.store  # the default store's from settings (no query): the default account
    account = find_account(store.klarna_account)
    if account is None:
        return None
    if settings.KLARNA_ENVIRONMENT != "emulator" and entry[2] != account.region:
        return None
    return KlarnaMarket(
        country=country,
        currency=currency,
        locale=klarna_locale(store, country, entry[1]),
        account=store.klarna_account,
    )


def tax_rate_basis_points(rate: Decimal) -> int:
    """19 % -> 1900 (Klarna's integer with two implied decimals)."""
    return int((rate * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _line(name, reference, line_type, quantity, unit_price, discount, tax_rate, tax_amount) -> dict:
    line = {
        "type": line_type,
        "reference": reference[:255],
        "name": (name or reference)[:255],
        "quantity": quantity,
        "quantity_unit": "pcs",
        "unit_price": unit_price,
        "tax_rate": tax_rate,
        "total_amount": quantity * unit_price - discount,
        "total_discount_amount": discount,
        "total_tax_amount": tax_amount,
    }
    if line_type != "physical":
        del line["quantity_unit"]
    return line


def order_lines(totals) -> list[dict]:
    currency = totals.currency
    inclusive = totals.prices_include_tax

    def minor(amount: Decimal) -> int:
        return to_minor_units(amount, currency)

    lines = []
    for line in totals.lines:
        lines.append(
            _line(
                line.name,
                line.sku,
                "physical",
                line.quantity,
                minor(line.catalog_price),
                minor(line.discount),
                tax_rate_basis_points(line.tax.rate) if inclusive else 0,
                minor(line.tax_amount) if inclusive else 0,
            )
        )
    shipping = totals.shipping
    if shipping is not None:
        lines.append(
            _line(
                " - ".join(part for part in (shipping.carrier_title, shipping.method_title) if part),
                f"{shipping.carrier_code}_{shipping.method_code}",
                "shipping_fee",
                1,
                minor(shipping.incl_tax if inclusive else shipping.excl_tax),
                0,
                tax_rate_basis_points(shipping.tax.rate) if inclusive else 0,
                minor(shipping.tax_amount) if inclusive else 0,
            )
        )
    if not inclusive:
        lines.append(_line(SALES_TAX_NAME, "sales_tax", "sales_tax", 1, minor(totals.tax_total), 0, 0, 0))
    return lines


def _street(address) -> tuple[str, str]:
    street = [part for part in (address.street or []) if part]
    return (street[0] if street else "", " ".join(street[1:]))


def klarna_address(address, email: str) -> dict:
    """A cart address in Klarna's field names; empty fields are left out."""
    street, street2 = _street(address)
    country = address.country_code.upper()
    fields = {
        "given_name": address.firstname,
        "family_name": address.lastname,
        "email": email,
        "street_address": street,
        "street_address2": street2,
        "postal_code": address.postcode,
        "city": address.city,
        "region": address.region_code if country in REGION_COUNTRIES else "",
        "phone": address.telephone,
        "country": country,
        "organization_name": address.company,
    }
    return {key: value.strip() for key, value in fields.items() if value and value.strip()}


def cart_email(cart) -> str:
    if cart.email:
        return cart.email
    customer = cart.customer if cart.customer_id else None
    return getattr(customer, "email", "") or ""


def build_payload(info, totals, market: KlarnaMarket) -> dict:
    """The create/update-session payload (and the base of create order) for this cart state."""
    lines = order_lines(totals)
    if totals.prices_include_tax:
        order_tax = sum(line["total_tax_amount"] for line in lines)
    else:
        order_tax = sum(line["total_amount"] for line in lines if line["type"] == "sales_tax")
    payload = {
        "purchase_country": market.country,
        "purchase_currency": market.currency,
        "locale": market.locale,
        "order_amount": sum(line["total_amount"] for line in lines),
        "order_tax_amount": order_tax,
        "order_lines": lines,
    }
    email = cart_email(info.cart)
    if info.billing_address is not None:
        payload["billing_address"] = klarna_address(info.billing_address, email)
    if info.shipping_address is not None:
        payload["shipping_address"] = klarna_address(info.shipping_address, email)
    return payload


def klarna_line_tax(total_amount: int, tax_rate: int) -> Decimal:
    """Klarna's expected line tax: total - total·10000/(10000+tax_rate), exact."""
    return Decimal(total_amount) - Decimal(total_amount) * 10000 / (10000 + tax_rate)


def validate_payload(payload: dict) -> None:
    """Raise ``KlarnaPayloadInvalid`` listing every rule of reference §2.8 the payload breaks."""
    problems: list[str] = []
    lines = payload.get("order_lines") or []
    if not 1 <= len(lines) <= MAX_LINES:
        problems.append(f"order_lines: {len(lines)} lines, Klarna takes 1 to {MAX_LINES}")
    for index, line in enumerate(lines):
        where = f"order_lines[{index}]"
        if not 1 <= len(line.get("name") or "") <= 255:
            problems.append(f"{where}.name: 1 to 255 characters")
        not_integers = [
            f"{where}.{key}: not an integer"
            for key in INTEGER_FIELDS
            if not isinstance(line.get(key), int) or isinstance(line.get(key), bool)
        ]
        if not_integers:
            problems.extend(not_integers)
            continue
        if line["quantity"] < 0:
            problems.append(f"{where}.quantity: negative")
        if line["total_discount_amount"] < 0:
            problems.append(f"{where}.total_discount_amount: negative")
        if not 0 <= line["tax_rate"] <= 10000:
            problems.append(f"{where}.tax_rate: outside 0..10000")
        for key in ("unit_price", "total_amount"):
            if abs(line[key]) > MAX_AMOUNT:
                problems.append(f"{where}.{key}: above {MAX_AMOUNT}")
        if line["total_amount"] != line["quantity"] * line["unit_price"] - line["total_discount_amount"]:
            problems.append(f"{where}.total_amount: not quantity*unit_price - total_discount_amount")
        expected_tax = klarna_line_tax(line["total_amount"], line["tax_rate"]) if 0 <= line["tax_rate"] else 0
        if abs(line["total_tax_amount"] - expected_tax) > 1:
            problems.append(f"{where}.total_tax_amount: differs from {expected_tax:.2f} by more than 1")
    if not problems:
        amount = payload.get("order_amount")
        if amount != sum(line["total_amount"] for line in lines):
            problems.append("order_amount: not the sum of order_lines[].total_amount")
        if not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
            problems.append(f"order_amount: outside 0..{MAX_AMOUNT}")
        sales_tax = [line for line in lines if line.get("type") == "sales_tax"]
        if sales_tax:
            if any(line["tax_rate"] or line["total_tax_amount"] for line in lines):
                problems.append("order_lines: with a sales_tax line no line may carry tax")
            if payload.get("order_tax_amount") != sum(line["total_amount"] for line in sales_tax):
                problems.append("order_tax_amount: not the sales_tax line's amount")
        elif payload.get("order_tax_amount") != sum(line["total_tax_amount"] for line in lines):
            problems.append("order_tax_amount: not the sum of order_lines[].total_tax_amount")
    if problems:
        raise KlarnaPayloadInvalid(problems)


def payload_hash(payload: dict) -> str:
    """sha256 of the canonical JSON (sorted keys, no whitespace): equal carts, equal hashes."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
