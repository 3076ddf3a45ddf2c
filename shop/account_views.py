"""Storefront account pages: sign in, create an account, sign out, forgotten password (the "my orders" pages are
checkout's, ``checkout.account_views``, mounted under the same ``accounts`` URL namespace).

Server-rendered, CSRF-protected forms on Django's session login; the same services as
/graphql (``shop.customers``: throttled sign-in, Magento's account rules). At sign-in the
session's guest cart is merged into the customer's cart.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shop import customers, password_reset
from shop.accounts import customer_signed_in, forget_page_token, storefront_customer
from shop.error_messages import message_for
from shop.errors import DomainError

BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CreateAccountForm(forms.Form):
    firstname = forms.CharField(label="First name", max_length=255)
    lastname = forms.CharField(label="Last name", max_length=255)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not a common password.",
    )


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ResetPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not a common password.",
    )
    confirm = forms.CharField(
        label="Repeat the new password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("confirm") and data["password"] != data["confirm"]:
            self.add_error("confirm", "The two passwords are not the same.")
        return data


def _next_url(request, default="accounts:orders"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _sign_in(request, user) -> None:
    """Session login, then the guest cart follows the shopper into the customer's cart (the
    cart app's receiver of ``customer_signed_in``)."""
    forget_page_token(request)
    login(request, user, backend=BACKEND)
    customer_signed_in.send(sender=None, request=request, customer=user)


@never_cache
def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = customers.authenticate_customer(form.cleaned_data["email"], form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(None, message_for(error))
        else:
            _sign_in(request, user)
            messages.success(request, f"Welcome back, {user.first_name}.")
            return redirect(_next_url(request))
    return render(request, "account/sign_in.html", {"form": form, "next": _next_url(request, "")})


@never_cache
def create_account(request):
    form = CreateAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = customers.create_customer(
                email=data["email"],
                firstname=data["firstname"],
                lastname=data["lastname"],
                password=data["password"],
            )
        except DomainError as error:
            form.add_error(
                "password" if error.code == "customer_password_invalid" else None, message_for(error)
            )
        else:
            _sign_in(request, user)
            messages.success(request, "Your account is ready.")
            return redirect(_next_url(request))
    return render(request, "account/create_account.html", {"form": form, "next": _next_url(request, "")})


@require_POST
def sign_out(request):
    forget_page_token(request)
    logout(request)
    messages.success(request, "You are signed out.")
    return redirect("catalog")


def customer_or_sign_in(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if storefront_customer(request) is None:  # a staff account is not a customer
            raise Http404("No customer account")
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
def forgot_password(request):
    """Ask for a reset link. The page answers the same whether or not the address has an
    account (it must not tell strangers who shops here); throttling and a mail server that
    refuses the message are reported."""
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            password_reset.request_reset(email)
        except DomainError as error:
            if error.code != "password_reset_unknown":
                form.add_error(None, message_for(error))
        if not form.errors:
            return render(
                request,
                "account/forgot_password_sent.html",
                {"email": email, "hours": password_reset.link_hours()},
            )
    return render(request, "account/forgot_password.html", {"form": form})


@never_cache
def reset_password(request):
    """Set a new password from the emailed link (``?email=…&token=…``), then sign in."""
    email = request.POST.get("email") or request.GET.get("email") or ""
    token = request.POST.get("token") or request.GET.get("token") or ""
    if not password_reset.link_is_valid(email, token):
        return render(request, "account/reset_password.html", {"expired": True}, status=400)
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problems = password_reset.password_problems(None, form.cleaned_data["password"])
        if problems:
            for problem in problems:
                form.add_error("password", problem)
        else:
            try:
                user = password_reset.reset_password(email, token, form.cleaned_data["password"])
            except DomainError as error:
                form.add_error(None, message_for(error))
            else:
                _sign_in(request, user)
                messages.success(request, "Your password is changed; you are signed in.")
                return redirect("accounts:orders")
    return render(request, "account/reset_password.html", {"form": form, "email": email, "token": token})
