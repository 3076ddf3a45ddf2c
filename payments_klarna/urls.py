from django.urls import path

from . import callbacks

app_name = "klarna"

urlpatterns = [
    path("notification/<str:secret>/", callbacks.notification, name="notification"),
    path("authorization/<str:secret>/", callbacks.authorization, name="authorization"),
]
