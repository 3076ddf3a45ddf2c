"""Everything the totals engine and the API need about one cart, fetched once.

``load_cart_info`` runs a fixed number of queries whatever the number of lines (items with
their products, addresses, coupon, tax rates of the destination), so the cart query's SQL
budget does not grow with the cart.
"""

from dataclasses import dataclass, field

from django.conf import settings

from shop.compiled_query import CompiledQuery
from shop.models import TaxRate
from shop.tax_rates import rates_for

from .models import Cart, CartAddress, CartItem


@dataclass
class CartInfo:
    cart: Cart
    items: list[CartItem]
    shipping_address: CartAddress | None
    billing_address: CartAddress | None
    tax_rates: list[TaxRate] = field(default_factory=list)

    @property
    def coupon(self):
        return self.cart.coupon

    @property
    def tax_country(self) -> str:
        address = self.shipping_address or self.billing_address
        return address.country_code if address else settings.STORE_COUNTRY

    @property
    def tax_region(self) -> str:
        address = self.shipping_address or self.billing_address
        return address.region_code if address else ""

    @property
    def is_virtual(self) -> bool:
        # Every product is physical today; a virtual cart is one without items to ship.
        return False


# The three reads of every cart load, compiled once per connection (shop.compiled_query).
ITEMS = CompiledQuery(
    lambda cart_id: CartItem.objects.filter(cart_id=cart_id).select_related("product").order_by("id"),
    cart_id=int,
)
# One address per kind: nothing to ORDER BY.
ADDRESSES = CompiledQuery(lambda cart_id: CartAddress.objects.filter(cart_id=cart_id).order_by(), cart_id=int)


def load_cart_addresses(cart: Cart) -> dict[str, CartAddress]:
    """The cart's addresses by kind (one query)."""
    addresses = {}
    for address in ADDRESSES.all(cart_id=cart.pk):
        address.cart = cart
        addresses[address.kind] = address
    return addresses


def load_cart_info(cart: Cart, addresses: dict[str, CartAddress] | None = None) -> CartInfo:
    """Fetch items (with products), addresses (unless given, as read by
    ``load_cart_addresses``), coupon and the destination's tax rates."""
    items = ITEMS.all(cart_id=cart.pk)
    for item in items:
        item.cart = cart
    if addresses is None:
        addresses = load_cart_addresses(cart)
    shipping = addresses.get(CartAddress.Kind.SHIPPING)
    billing = addresses.get(CartAddress.Kind.BILLING)
    cart.coupon  # noqa: B018 - read with the cart (select_related) or here, once, cached on it
    info = CartInfo(cart=cart, items=items, shipping_address=shipping, billing_address=billing)
    # One rate per (country, region, tax class): the order cannot matter, so no ORDER BY.
    info.tax_rates = rates_for(info.tax_country)
    return info
