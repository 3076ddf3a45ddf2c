"""What the Cart type resolves from: the cart plus its info and totals, computed once per
request however many fields ask for them."""

from functools import cached_property

from cart.fetch import load_cart_info
from cart.payment_methods import available_payment_methods
from cart.totals import compute_totals


class CartView:
    def __init__(self, cart, request=None):
        self.cart = cart
        self.request = request

    @cached_property
    def info(self):
        return load_cart_info(self.cart)

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
