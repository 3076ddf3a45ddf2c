from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "cart"

    def ready(self):
        from shop.accounts import customer_signed_in

        from .session_carts import bring_guest_cart

        customer_signed_in.connect(bring_guest_cart, dispatch_uid="cart.bring_guest_cart")
