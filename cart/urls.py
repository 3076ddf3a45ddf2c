from django.urls import path

from . import views

app_name = "cart"

urlpatterns = [
    path("", views.cart_page, name="page"),
    path("session/", views.cart_session, name="session"),
    path("add/", views.add_to_cart, name="add"),
    path("free-shipping/", views.free_shipping, name="free-shipping"),
]
