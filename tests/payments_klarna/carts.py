"""Unsaved carts for order-line tests: the totals engine needs no database."""

from decimal import Decimal

from cart.fetch import CartInfo
from cart.models import Cart, CartAddress, CartItem, Coupon
from shop.models import Product, TaxRate


def address(kind="shipping", country="DE", region="", company="", street=("Heidestraße 17",), shipping=True):
    return CartAddress(
        kind=kind,
        firstname="Erika",
        lastname="Mustermann",
        company=company,
        street=list(street),
        city="Köln",
        region_code=region,
        postcode="51147",
        country_code=country,
        telephone="+49 221 1234567",
        shipping_carrier_code="flatrate" if shipping and kind == "shipping" else "",
        shipping_method_code="flatrate" if shipping and kind == "shipping" else "",
    )


def cart_info(
    lines,
    *,
    rates,
    country="DE",
    region="",
    coupon=None,
    shipping=True,
    billing=True,
    email="erika@example.com",
):
    """``lines``: (price, quantity, tax_class); ``rates``: {tax_class: percent}."""
    cart = Cart(email=email)
    if coupon is not None:
        kind, value = coupon
        cart.coupon = Coupon(code="TEST", discount_type=kind, value=Decimal(value))
    items = [
        CartItem(
            pk=index + 1,
            cart=cart,
            quantity=quantity,
            product=Product(
                sku=f"SKU-{index}", name=f"Product {index}", price=Decimal(price), tax_class=tax_class
            ),
        )
        for index, (price, quantity, tax_class) in enumerate(lines)
    ]
    tax_rates = [
        TaxRate(country=country, region="", tax_class=tax_class, rate=Decimal(rate), label="Tax")
        for tax_class, rate in rates.items()
    ]
    return CartInfo(
        cart=cart,
        items=items,
        shipping_address=address("shipping", country, region, shipping=shipping),
        billing_address=address("billing", country, region) if billing else None,
        tax_rates=tax_rates,
    )
