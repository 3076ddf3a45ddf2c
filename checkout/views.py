"""Checkout and confirmation pages.

The checkout page's order summary is rendered by the server (``cart.page``: lines with
thumbnails and options, totals); the rest is driven by its script (static/js/checkout.js),
which reads and changes the cart through ``/graphql`` like any PWA client and runs the Klarna
widget. The page gives it what only the server knows: the cart id, the countries and regions
the API accepts (the same ISO data ``cart.addresses`` validates with) and the Klarna SDK to load.
"""

from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from cart.addresses import POSTCODE_OPTIONAL, REGION_REQUIRED, allowed_countries, country_name, regions_of
from cart.customer_carts import prefill_default_addresses
from cart.page import cart_summary
from cart.postcodes import postcode_rules
from cart.session_carts import session_cart, session_owns_cart
from cart.shipping import storefront_name, storefront_names_for_pages
from shop.accounts import storefront_customer
from shop.views import format_price

from .models import Order
from .offline_payments import CHECKMO, checkmo_instructions
from .payment_display import payment_shown

KLARNA_CDN_SDK_URL = "https://x.klarnacdn.net/kp/lib/v1/api.js"
EMULATOR_SDK_PATH = "/klarna-emulator/kp/lib/v1/api.js"

# Order states shown as "on hold": Klarna's PENDING fraud decision (Magento's payment review).
ON_HOLD_STATUSES = {"payment_review", "holded"}


def klarna_sdk_url() -> str:
    """KLARNA_JS_SDK_URL when set; else the emulator's SDK in emulator mode, Klarna's CDN otherwise."""
    if settings.KLARNA_JS_SDK_URL:
        return settings.KLARNA_JS_SDK_URL
    if settings.KLARNA_ENVIRONMENT == "emulator":
        return EMULATOR_SDK_PATH
    return KLARNA_CDN_SDK_URL


def address_options() -> dict:
    """Countries (code, name) and, per country, its regions, for the address forms."""
    countries = sorted(
        ((code, country_name(code) or code) for code in allowed_countries()), key=lambda pair: pair[1]
    )
    regions = {
        code: [{"id": r.id, "code": r.code, "name": r.name} for r in regions_of(code)]
        for code, _ in countries
    }
    return {
        "countries": countries,
        "address_rules": {
            "regions": regions,
            "region_required": sorted(REGION_REQUIRED),
            "postcode_optional": sorted(POSTCODE_OPTIONAL),
            # Checked by the page only; GraphQL accepts any postcode, as Magento does.
            "postcodes": postcode_rules(code for code, _ in countries),
        },
    }


def checkout_page(request):
    cart = session_cart(request)
    has_items = cart is not None and cart.items.exists()
    customer = storefront_customer(request)
    if has_items and customer is not None:
        prefill_default_addresses(cart, customer)
    context = {
        "cart_id": cart.masked_id if has_items else "",
        "has_items": has_items,
        "default_country": settings.STORE_COUNTRY,
        "klarna_sdk_url": klarna_sdk_url(),
    }
    if has_items:
        context.update(address_options())
        context["shipping_names"] = storefront_names_for_pages()
        context["checkmo"] = checkmo_instructions()
        context["summary"] = summary = cart_summary(cart)
        context["cart_item_count"] = summary.total_quantity
    return render(request, "checkout/checkout.html", context)


def order_summary(order: Order, *, shipped_at=None) -> dict:
    """What the confirmation shows, with amounts as the order stored them; ``shipped_at``
    (the first shipment's) dates the payment's terms (checkout.payment_display)."""
    incl = order.prices_include_tax

    def money(amount):
        return format_price(amount, order.currency)

    items = [
        {
            "name": item.name,
            "sku": item.sku,
            "quantity": item.quantity,
            "row_total": money(item.row_total_incl_tax if incl else item.row_total_excl_tax),
        }
        for item in order.items.all()
    ]
    addresses = {address.kind: address for address in order.addresses.all()}
    shipping = addresses.get("shipping")
    return {
        "items": items,
        "subtotal": money(order.subtotal_incl_tax if incl else order.subtotal_excl_tax),
        "discount": money(order.discount_total) if order.discount_total else "",
        "shipping": money(order.shipping_incl_tax if incl else order.shipping_excl_tax),
        "taxes": [
            {"title": t.get("title", ""), "amount": money(Decimal(t["amount"]))} for t in order.applied_taxes
        ],
        "grand_total": money(order.grand_total),
        "payment": payment_shown(order, shipped_at),
        "shipping_name": storefront_name(
            order.shipping_carrier_code, order.shipping_method_code, fallback=order.shipping_title
        ),
        # How to pay, for an order still waiting for its check or money order.
        "checkmo": checkmo_instructions()
        if order.payment_method_code == CHECKMO.code and order.status == "pending"
        else None,
        "shipping_address": shipping,
        "shipping_country": (country_name(shipping.country_code) or shipping.country_code)
        if shipping
        else "",
    }


def success_page(request, order_number):
    """The confirmation, shown only to the session whose cart became this order."""
    order = Order.objects.select_related("cart").filter(number=order_number).first()
    customer = storefront_customer(request)
    mine = order is not None and customer is not None and order.customer_id == customer.pk
    if order is None or not (mine or session_owns_cart(request, order.cart.masked_id)):
        raise Http404("No such order")
    return render(
        request,
        "checkout/success.html",
        {"order": order, "summary": order_summary(order), "on_hold": order.status in ON_HOLD_STATUSES},
    )
