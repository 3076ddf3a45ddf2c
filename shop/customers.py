"""Customer accounts: creating them, signing in, /graphql tokens and the address book.

A customer is ``django.contrib.auth``'s User with ``username`` = email lowercased and
``first_name``/``last_name`` as Magento's firstname/lastname. Staff users are never customers:
they cannot sign in here and an admin session gives no customer power on /graphql (which
authenticates only by ``Authorization: Bearer``).

Tokens are ``secrets.token_urlsafe(32)`` (256 random bits); only their SHA-256 is stored. A
token is valid until it expires (``CUSTOMER_TOKEN_LIFETIME`` seconds) or is revoked.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop import throttle
from shop.errors import DomainError
from shop.models import ADDRESS_FIELDS, CustomerAddress, CustomerToken, address_values

SIGN_IN_SCOPE = "customer-sign-in"
TOO_MANY_SIGN_INS = "Too many failed sign-in attempts. Please wait and try again later."
# Magento's attribute labels, in its attribute order (firstname, lastname, email).
REQUIRED_FIELDS = (("firstname", "First Name"), ("lastname", "Last Name"), ("email", "Email"))
# Compared against when an email is unknown, so a miss costs as much as a wrong password.
_DUMMY_PASSWORD_HASH = make_password("not-a-customer-password")


def username_for(email: str) -> str:
    return (email or "").strip().lower()


def is_customer(user) -> bool:
    """An active, non-staff account: who may act as a customer."""
    return user is not None and user.is_authenticated and user.is_active and not user.is_staff


# --- accounts --------------------------------------------------------------------------------------


def create_customer(
    *, email: str | None, firstname: str | None, lastname: str | None, password: str | None = None
) -> User:
    """Create an account with Magento's checks and messages, in Magento's order: required
    fields, email format, password rules, then "already exists". Without a password the
    account exists but cannot sign in (Magento allows this for createCustomer)."""
    values = {
        "firstname": (firstname or "").strip(),
        "lastname": (lastname or "").strip(),
        "email": (email or "").strip(),
    }
    missing = [label for name, label in REQUIRED_FIELDS if not values[name]]
    if missing:
        raise DomainError("customer_fields_missing", fields=", ".join(missing))
    for name, column in (("firstname", "first_name"), ("lastname", "last_name")):
        if len(values[name]) > User._meta.get_field(column).max_length:  # 150: not the database's job
            raise DomainError("address_field_invalid", value=values[name][:20] + "…", field=name)
    email = values["email"]
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("customer_email_invalid") from None
    username = username_for(email)
    if len(username) > User._meta.get_field("username").max_length:
        raise DomainError("customer_email_invalid")
    user = User(username=username, email=email, first_name=values["firstname"], last_name=values["lastname"])
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError("customer_password_invalid", message=" ".join(error.messages)) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    if User.objects.filter(username=username).exists():
        raise DomainError("customer_exists")
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created concurrently with the same email
        raise DomainError("customer_exists") from None
    return user


def authenticate_customer(email: str | None, password: str | None) -> User:
    """The customer with this email and password, or DomainError ``sign_in_failed``.

    Throttled per email across every app server (``shop.throttle``): after
    CUSTOMER_SIGN_IN_ATTEMPTS tries in CUSTOMER_SIGN_IN_WINDOW seconds the answer is
    ``too_many_requests`` until the window ends, whatever the password. Each try is counted
    before the password is checked (so parallel guesses cannot slip past the limit); a
    successful sign-in clears the count. Unknown email, wrong password, disabled or staff
    account all get the same message and take the same time.
    """
    if not (email or "").strip():
        raise DomainError("sign_in_email_missing")
    if not password:
        raise DomainError("sign_in_password_missing")
    key = username_for(email)
    window = settings.CUSTOMER_SIGN_IN_WINDOW
    result = throttle.hit(SIGN_IN_SCOPE, key, limit=settings.CUSTOMER_SIGN_IN_ATTEMPTS, window=window)
    if not result.allowed:
        raise DomainError("too_many_requests", message=TOO_MANY_SIGN_INS)
    user = User.objects.filter(username=key).first()
    if user is None:
        check_password(password, _DUMMY_PASSWORD_HASH)
        raise DomainError("sign_in_failed")
    if not user.check_password(password) or not is_customer(user):
        raise DomainError("sign_in_failed")
    throttle.reset(SIGN_IN_SCOPE, key, window=window)
    return user


# --- tokens ----------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: object  # datetime


def issue_token(user: User) -> IssuedToken:
    """A new bearer token for ``user``; the raw value is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(seconds=settings.CUSTOMER_TOKEN_LIFETIME)
    CustomerToken.objects.create(user=user, token_hash=_hash(token), expires_at=expires_at)
    return IssuedToken(token=token, expires_at=expires_at)


def customer_for_token(token: str) -> User | None:
    """The customer a token belongs to, or None when it is unknown, expired or revoked (or
    the account was disabled or made staff since). One query."""
    if not token:
        return None
    row = (
        CustomerToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if row is None or not is_customer(row.user):
        return None
    return row.user


def revoke_token(token: str) -> bool:
    """Revoke one token (idempotent). True when a live token was revoked."""
    return bool(
        CustomerToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


class InvalidToken(Exception):
    """An ``Authorization: Bearer`` token was sent but is not valid."""


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None without one. Other
    schemes (Basic, ...) are not ours and are ignored."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def customer_from_request(request) -> User | None:
    """The customer of a /graphql request, from its bearer token only (never a cookie).

    None without a token; raises InvalidToken for a token that is malformed, unknown,
    expired or revoked, so the request is refused rather than quietly run as a guest.
    """
    token = bearer_token(request)
    if token is None:
        return None
    user = customer_for_token(token)
    if user is None:
        raise InvalidToken
    return user


# --- address book ------------------------------------------------------------------------------------


def addresses_of(user: User) -> list[CustomerAddress]:
    return list(CustomerAddress.objects.filter(user=user))


def address_of(user: User, address_id) -> CustomerAddress:
    """The customer's address ``address_id``: ``customer_address_not_found`` when there is no
    such address, ``customer_address_forbidden`` when it is someone else's (Magento's rule)."""
    address = CustomerAddress.objects.filter(pk=address_id).first() if isinstance(address_id, int) else None
    if address is None:
        raise DomainError("customer_address_not_found", address_id=address_id)
    if address.user_id != user.pk:
        raise DomainError("customer_address_forbidden", address_id=address_id)
    return address


def save_address(user: User, address, *, default_shipping=None, default_billing=None) -> CustomerAddress:
    """Put a validated address (``cart.addresses.Address`` or anything with its fields) in the
    address book. An identical address already there is reused, not duplicated. The first
    address becomes the default shipping and billing address; ``default_*`` True makes this
    one the default. Locks the user's address rows so concurrent saves keep one default."""
    values = address_values(address)
    with transaction.atomic():
        existing = list(CustomerAddress.objects.select_for_update().filter(user=user))
        match = next((a for a in existing if all(getattr(a, n) == values[n] for n in ADDRESS_FIELDS)), None)
        stored = match or CustomerAddress(user=user, **values)
        has_shipping = any(a.default_shipping for a in existing)
        has_billing = any(a.default_billing for a in existing)
        make_shipping = default_shipping or (not has_shipping and default_shipping is not False)
        make_billing = default_billing or (not has_billing and default_billing is not False)
        if make_shipping and not stored.default_shipping:
            CustomerAddress.objects.filter(user=user, default_shipping=True).update(default_shipping=False)
            stored.default_shipping = True
        if make_billing and not stored.default_billing:
            CustomerAddress.objects.filter(user=user, default_billing=True).update(default_billing=False)
            stored.default_billing = True
        stored.save()
    return stored


def default_address(user: User, kind: str) -> CustomerAddress | None:
    """The default ``shipping`` or ``billing`` address, or None."""
    return CustomerAddress.objects.filter(user=user, **{f"default_{kind}": True}).first()
