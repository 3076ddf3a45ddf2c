"""Everything the totals engine and the API need about one cart, fetched once.

``load_cart_info`` runs a fixed number of queries whatever the number of lines (items with
their products, addresses, coupon, tax rates of the destination), so the cart query's SQL
budget does not grow with the cart.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from shop.compiled_query import CompiledQuery
from shop.models import TaxRate
from shop.prices import prices_in
from shop.store import Store, pricing_store
from shop.tax_rates import rates_for

from .models import Cart, CartAddress, CartItem


@dataclass
class CartInfo:
    cart: Cart
    items: list[CartItem]
    shipping_address: CartAddress | None
    billing_address: CartAddress | None
    tax_rates: list[TaxRate] = field(default_factory=list)
    # Catalog prices in the store's currency by product id; None: the default store's currency,
    # ``Product.price`` itself.
    prices: dict[int, Decimal] | None = None

    @cached_property
    def store(self) -> Store:
        """The store the cart belongs to: its currency, tax mode and shipping price the cart."""
        return pricing_store(self.cart.store_id)

    def unit_price(self, item) -> Decimal:
        """A line's catalog price in the cart's currency."""
        if self.prices is None:
            return item.product.price
        return self.prices[item.product_id]

    @property
    def coupon(self):
        return self.cart.coupon

    @property
    def tax_country(self) -> str:
        address = self.shipping_address or self.billing_address
        return address.country_code if address else self.store.country

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
    info.prices = prices_in(info.store.currency, [item.product_id for item in items])
    if info.prices is not None:
        # A product that lost its price in this currency is no longer sold in this store.
        info.items = [item for item in items if item.product_id in info.prices]
        for item in info.items:  # the product as this store shows it (never saved)
            item.product.price = info.prices[item.product_id]
    # One rate per (country, region, tax class): the order cannot matter, so no ORDER BY.
    info.tax_rates = rates_for(info.tax_country)
    return info
