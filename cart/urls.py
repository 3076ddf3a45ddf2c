from django.urls import path

from . import views

app_name = "cart"

urlpatterns = [
    path("", views.cart_page, name="page"),
    path("session/", views.cart_session, name="session"),
    path("add/", views.add_to_cart, name="add"),
    path("update/", views.update_quantity, name="update"),
    path("remove/", views.remove_line, name="remove"),
    path("coupon/", views.apply_coupon, name="coupon"),
    path("coupon/remove/", views.remove_coupon, name="coupon-remove"),
    path("free-shipping/", views.free_shipping, name="free-shipping"),
]
