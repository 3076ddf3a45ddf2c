"""Forgotten passwords: a customer asks for a link by email, then sets a new password with it.

Shared by Magento's ``requestPasswordResetEmail`` / ``resetPassword`` (messages and order of
checks from Magento's resolvers and its ``Customer/RequestPasswordResetEmailTest``,
``ResetPasswordTest``) and the storefront's "Forgot your password?" pages.

The token is Django's ``default_token_generator``: a timestamped HMAC over the account's id,
password hash and last sign-in. Nothing is stored; it expires after ``PASSWORD_RESET_TIMEOUT``
seconds and stops working once used (the password hash changes). A reset revokes the
customer's /graphql tokens, so whoever knew the old password is signed out of the API.

Requests are throttled per email address across every app server (``shop.throttle``), so the
form cannot be used to flood someone's mailbox.
"""

import logging
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shop import throttle
from shop.errors import DomainError
from shop.models import CustomerToken

logger = logging.getLogger("shop.password_reset")

REQUEST_SCOPE = "password-reset-request"
REQUESTS_PER_HOUR = 5


def _customer(email: str) -> User | None:
    """The active customer with this address (staff accounts are not customers)."""
    return User.objects.filter(username=email.strip().lower(), is_active=True, is_staff=False).first()


def _check_email(email: str | None) -> str:
    email = (email or "").strip()
    if not email:
        raise DomainError("password_reset_email_missing")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("password_reset_email_invalid") from None
    return email


def link_hours() -> int:
    """How long a reset link works, in whole hours (for the email and the page)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def reset_link(user: User) -> str:
    """The page that sets a new password, with the email and the token: this shop's own, or
    ``PASSWORD_RESET_LINK`` (a PWA's page, e.g. Venia's ``/customer/account/createPassword/``)."""
    token = default_token_generator.make_token(user)
    if settings.PASSWORD_RESET_LINK:
        return settings.PASSWORD_RESET_LINK.format(token=quote(token), email=quote(user.email))
    query = urlencode({"email": user.email, "token": token})
    return f"{settings.SITE_URL}{reverse('accounts:reset-password')}?{query}"


def request_reset(email: str | None) -> None:
    """Email a reset link to the customer with this address. Raises Magento's errors: no or
    a malformed address, no such customer ("Cannot reset the customer's password"), too many
    requests for this address within the hour; a mail server refusing the message is reported
    too (the shopper would otherwise wait for an email that never comes)."""
    email = _check_email(email)
    if not throttle.hit(REQUEST_SCOPE, email.lower(), limit=REQUESTS_PER_HOUR, window=3600).allowed:
        raise DomainError("password_reset_too_many")
    user = _customer(email)
    if user is None:
        raise DomainError("password_reset_unknown")
    context = {
        "customer": user,
        "link": reset_link(user),
        "hours": link_hours(),
        "store_name": settings.STORE_NAME,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"Reset your {settings.STORE_NAME} password",
        body=render_to_string("emails/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/password_reset.html", context), "text/html")
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail backend
        logger.warning("password reset email for user %s not sent: %s", user.pk, type(error).__name__)
        raise DomainError("email_not_sent") from None
    logger.info("password reset email sent for user %s", user.pk)


def link_is_valid(email: str, token: str) -> bool:
    """Whether a reset link (its email and token) can still set a password."""
    user = _customer(email) if email else None
    return user is not None and bool(token) and default_token_generator.check_token(user, token.strip())


def password_problems(user: User | None, password: str) -> list[str]:
    """What the password rules say about ``password`` (empty when it passes)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def reset_password(email: str | None, token: str | None, new_password: str | None) -> User:
    """Set a new password with a reset token. Magento's checks in its order; an unknown
    address, a wrong or expired token and a password the rules refuse all answer "Cannot set
    the customer's password" (as Magento does; the storefront page names the rule first)."""
    email = _check_email(email)
    if not (token or "").strip():
        raise DomainError("password_reset_token_missing")
    if not new_password:
        raise DomainError("password_reset_password_missing")
    user = _customer(email)
    if user is None or not default_token_generator.check_token(user, token.strip()):
        raise DomainError("password_reset_refused")
    if password_problems(user, new_password):
        raise DomainError("password_reset_refused")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        CustomerToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    throttle.reset(REQUEST_SCOPE, email.lower(), window=3600)
    logger.info("password reset for user %s", user.pk)
    return user
