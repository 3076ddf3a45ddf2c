from django.urls import path

from . import account_views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", account_views.sign_in, name="sign-in"),
    path("create/", account_views.create_account, name="create"),
    path("sign-out/", account_views.sign_out, name="sign-out"),
    path("forgot-password/", account_views.forgot_password, name="forgot-password"),
    path("reset-password/", account_views.reset_password, name="reset-password"),
]
