"""What must hold before a cart can become an order, stated once and reused by the checkout
page and by placeOrder (django-oscar's step pre-conditions, Magento's messages)."""

from dataclasses import dataclass

from shop.errors import DomainError


@dataclass(frozen=True)
class Step:
    code: str  # DomainError code (Magento's placeOrder message)
    page: str  # where the checkout page sends the shopper to fix it


# Magento's order: the guest email (GetCartForCheckout), an empty cart, then QuoteValidator's
# validateBeforeSubmit: the quote's own errors (stock) before the addresses and methods
# (PlaceOrderTest::testPlaceOrderWithOutOfStockProduct has no payment method and expects stock).
STEPS = [
    Step("place_guest_email_missing", "email"),
    Step("place_empty_cart", "cart"),
    Step("place_out_of_stock", "cart"),
    Step("place_shipping_address_missing", "shipping-address"),
    Step("place_shipping_method_missing", "shipping-method"),
    Step("place_billing_address_missing", "billing-address"),
    Step("place_payment_missing", "payment"),
]


def unmet_steps(info, totals, *, is_guest: bool) -> list[Step]:
    """Every precondition the cart does not meet yet, in the order the shopper fixes them."""
    cart = info.cart
    failed = {
        "place_guest_email_missing": is_guest and not cart.email,
        "place_empty_cart": not info.items,
        "place_shipping_address_missing": info.shipping_address is None and not info.is_virtual,
        "place_shipping_method_missing": totals.shipping is None and not info.is_virtual,
        "place_billing_address_missing": info.billing_address is None,
        "place_payment_missing": not cart.payment_method_code,
        "place_out_of_stock": any(
            not item.product.is_active or item.quantity > item.product.stock_qty for item in info.items
        ),
    }
    return [step for step in STEPS if failed[step.code]]


def check_can_place(info, totals, *, is_guest: bool) -> None:
    """Raise the first unmet precondition as Magento's placeOrder error."""
    unmet = unmet_steps(info, totals, is_guest=is_guest)
    if unmet:
        raise DomainError(unmet[0].code)
