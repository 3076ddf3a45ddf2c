from django.urls import path

from . import account_views

urlpatterns = [
    path("orders/", account_views.orders, name="orders"),
    path("orders/<str:number>/", account_views.order_detail, name="order"),
    path("find-order/", account_views.find_order, name="find-order"),
    path("find-order/<str:number>/", account_views.guest_order, name="guest-order"),
]
