"""What the Cart type resolves from: the cart plus its info and totals, computed once per
request however many fields ask for them."""

from functools import cached_property

from cart.fetch import load_cart_addresses, load_cart_info
from cart.models import CartAddress
from cart.payment_methods import available_payment_methods
from cart.totals import compute_totals


class CartView:
    def __init__(self, cart, request=None):
        self.cart = cart
        self.request = request

    def use_change(self, change) -> None:
        """Adopt what a change (``cart.services.CartChange``) read under the cart lock and
        wrote, instead of reading the cart again."""
        if change.cart.pk != self.cart.pk or change.cart.version != self.cart.version:
            return
        if change.info is not None:
            self.__dict__["info"] = change.info
            self.__dict__.pop("addresses", None)
            self.__dict__.pop("totals", None)
            self.__dict__.pop("payment_methods", None)
        elif change.addresses is not None and "info" not in self.__dict__:
            self.__dict__["addresses"] = change.addresses

    @cached_property
    def addresses(self):
        """Addresses by kind: from the info when it is loaded, else one query (a response
        that shows only addresses does not need items and tax rates)."""
        if "info" in self.__dict__:
            found = {}
            if self.info.shipping_address is not None:
                found[CartAddress.Kind.SHIPPING] = self.info.shipping_address
            if self.info.billing_address is not None:
                found[CartAddress.Kind.BILLING] = self.info.billing_address
            return found
        return load_cart_addresses(self.cart)

    @cached_property
    def info(self):
        return load_cart_info(self.cart, addresses=self.__dict__.get("addresses"))

    @cached_property
    def totals(self):
        return compute_totals(self.info)

    @cached_property
    def payment_methods(self):
        # The Klarna provider refreshes the session from Klarna before answering (seed rule).
        return available_payment_methods(self.info, self.totals, refresh=True)

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
