from django.urls import path

from . import account_views

urlpatterns = [
    path("orders/", account_views.orders, name="orders"),
    path("orders/add-earlier/", account_views.send_orders_link, name="send-orders-link"),
    path("orders/add-earlier/confirm/", account_views.link_orders, name="link-orders"),
    path("orders/<str:number>/", account_views.order_detail, name="order"),
    path("find-order/", account_views.find_order, name="find-order"),
    path("find-order/<str:number>/", account_views.guest_order, name="guest-order"),
]
