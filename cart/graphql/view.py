"""What the Cart type resolves from: the cart plus its info and totals, computed once per
request however many fields ask for them."""

from cart.fetch import load_cart_addresses, load_cart_info
from cart.models import CartAddress
from cart.payment_methods import available_payment_methods
from cart.totals import compute_totals
from shop.configurable import load_variant_details


class CartView:
    """Read lazily, once: addresses, info (items and addresses), totals, payment methods."""

    def __init__(self, cart, request=None):
        self.cart = cart
        self.request = request
        self._addresses = None
        self._info = None
        self._totals = None
        self._payment_methods = None
        self._variants_loaded = False

    def load_variants(self) -> None:
        """Once per view, when a field asks: what the lines that are configurable products'
        variants show (parent, chosen options, the parent's options and variants)."""
        if not self._variants_loaded:
            load_variant_details([item.product for item in self.info.items])
            self._variants_loaded = True

    def use_change(self, change) -> None:
        """Adopt what a change (``cart.services.CartChange``) read under the cart lock and
        wrote, instead of reading the cart again."""
        if change.cart.pk != self.cart.pk or change.cart.version != self.cart.version:
            return
        if change.info is not None:
            self._info = change.info
            self._addresses = self._totals = self._payment_methods = None
            self._variants_loaded = False
        elif change.addresses is not None and self._info is None:
            self._addresses = change.addresses

    @property
    def addresses(self):
        """Addresses by kind: from the info when it is loaded, else one query (a response
        that shows only addresses does not need items and tax rates)."""
        if self._addresses is None:
            if self._info is not None:
                found = {
                    CartAddress.Kind.SHIPPING: self._info.shipping_address,
                    CartAddress.Kind.BILLING: self._info.billing_address,
                }
                self._addresses = {kind: address for kind, address in found.items() if address is not None}
            else:
                self._addresses = load_cart_addresses(self.cart)
        return self._addresses

    @property
    def info(self):
        if self._info is None:
            self._info = load_cart_info(self.cart, addresses=self._addresses)
        return self._info

    @property
    def totals(self):
        if self._totals is None:
            self._totals = compute_totals(self.info)
        return self._totals

    @property
    def payment_methods(self):
        # The Klarna provider refreshes the session from Klarna before answering (seed rule).
        if self._payment_methods is None:
            self._payment_methods = available_payment_methods(self.info, self.totals, refresh=True)
        return self._payment_methods

    @property
    def currency(self):
        return self.totals.currency


def cart_view(info, cart) -> CartView:
    """One CartView per cart per request, shared by every field of the response."""
    context = info.context
    views = getattr(context, "_cart_views", None)
    if views is None:
        views = context._cart_views = {}
    view = views.get(cart.pk)
    if view is None or view.cart.version != cart.version:
        view = views[cart.pk] = CartView(cart, context)
    return view
