from django.urls import path

from . import views

app_name = "checkout"

urlpatterns = [
    path("", views.checkout_page, name="page"),
    path("success/<str:order_number>/", views.success_page, name="success"),
]
