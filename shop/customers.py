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
from shop.regions import (
    MAX_FIELD,
    MAX_LENGTHS,
    REGION_REQUIRED,
    check_lengths,
    check_street_lines,
    country_name,
    is_allowed_country,
    needs_postcode,
    region_by_id,
    region_id_of,
    regions_of,
)

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
    *,
    email: str | None,
    firstname: str | None,
    lastname: str | None,
    password: str | None = None,
    is_subscribed: bool = False,
) -> User:
    """Create an account with Magento's checks and messages, in Magento's order: required
    fields, email format, password rules, then "already exists". Without a password the
    account exists but cannot sign in (Magento allows this for createCustomer).
    ``is_subscribed`` stores the newsletter consent with the account."""
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
            if is_subscribed:
                set_subscribed(user, True)
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
    # Magento's customer log: a sign-in records when it happened (GenerateCustomerTokenTest).
    user.last_login = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=user.last_login)
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


def revoke_customer_tokens(user: User) -> int:
    """``revokeCustomerToken``: end every live token of the customer, as Magento's
    ``revokeCustomerAccessToken($customerId)`` does (signing out signs out everywhere).
    Idempotent; the number of tokens revoked."""
    return CustomerToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def is_revoked_token(token: str) -> bool:
    """True when ``token`` was issued and since revoked (Magento names that case)."""
    return (
        bool(token)
        and CustomerToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=False).exists()
    )


class InvalidToken(Exception):
    """An ``Authorization: Bearer`` token was sent but is not valid. ``code``: the error
    code of ``shop.error_messages`` the refusal carries."""

    def __init__(self, code: str = "customer_not_authorized"):
        super().__init__(code)
        self.code = code


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
        # The refused request's extra query is paid only by bad tokens.
        raise InvalidToken("token_revoked" if is_revoked_token(token) else "customer_not_authorized")
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


# --- email availability and newsletter ---------------------------------------------------------------


def is_email_available(email: str | None) -> bool:
    """Whether no account uses ``email`` (Magento's ``isEmailAvailable``: Venia's guest checkout
    offers to sign in when it is taken). Checks "Email must be specified" and "Email is invalid"."""
    email = (email or "").strip()
    if not email:
        raise DomainError("email_availability_missing")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("email_availability_invalid") from None
    return not User.objects.filter(username=username_for(email)).exists()


def is_subscribed(user: User) -> bool:
    """The customer's newsletter consent (False until they subscribe)."""
    from shop.models import NewsletterSubscription

    return NewsletterSubscription.objects.filter(user=user, is_subscribed=True).exists()


def set_subscribed(user: User, subscribed: bool) -> None:
    """Store the customer's newsletter consent (idempotent; one row per customer)."""
    from shop.models import NewsletterSubscription

    NewsletterSubscription.objects.update_or_create(user=user, defaults={"is_subscribed": bool(subscribed)})


def subscribe_email_to_newsletter(email: str | None, user: User | None = None) -> str:
    """Magento's ``subscribeEmailToNewsletter`` for a guest (``user`` None) or a signed-in
    customer, with its checks in its order; returns the subscription status ("SUBSCRIBED").
    A customer's own email sets their consent; any other email is a guest subscriber."""
    from shop.models import NewsletterGuestSubscriber, NewsletterSubscription

    email = (email or "").strip()
    if not email:
        raise DomainError("newsletter_email_missing")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("newsletter_email_invalid") from None
    if user is None and not settings.NEWSLETTER_ALLOW_GUEST_SUBSCRIBE:
        raise DomainError("newsletter_guest_not_allowed")
    owner = User.objects.filter(username=username_for(email)).first()
    if owner is not None and (user is None or owner.pk != user.pk):
        raise DomainError("newsletter_email_of_another_user")
    with transaction.atomic():
        if owner is not None:
            row, _ = NewsletterSubscription.objects.select_for_update().get_or_create(user=owner)
            if row.is_subscribed:
                raise DomainError("newsletter_already_subscribed")
            row.is_subscribed = True
            row.save(update_fields=["is_subscribed", "changed_at"])
        else:
            _, created = NewsletterGuestSubscriber.objects.get_or_create(email=email.lower())
            if not created:
                raise DomainError("newsletter_already_subscribed")
    return "SUBSCRIBED"


def update_customer(
    user: User,
    *,
    firstname=None,
    lastname=None,
    email=None,
    password=None,
    is_subscribed=None,
) -> User:
    """Magento's ``updateCustomer``: only the given fields change. In Magento's order: a new
    email needs the current password; then names may not be emptied ("Required parameters are
    missing: First Name") and the email must be well-formed; then it must be free. Atomic:
    nothing changes when a check fails."""
    values = {}
    changes_email = email is not None and email.strip() != user.email
    if changes_email:
        if not password:
            raise DomainError("customer_email_change_password")
        if not user.check_password(password):
            raise DomainError("customer_password_wrong")
    for name, column, label in (
        ("firstname", "first_name", "First Name"),
        ("lastname", "last_name", "Last Name"),
    ):
        given = {"firstname": firstname, "lastname": lastname}[name]
        if given is None:
            continue
        given = given.strip()
        if not given:
            raise DomainError("customer_fields_missing", fields=label)
        if len(given) > User._meta.get_field(column).max_length:
            raise DomainError("address_field_invalid", value=given[:20] + "…", field=name)
        values[column] = given
    if changes_email:
        email = email.strip()
        try:
            validate_email(email)
            if len(username_for(email)) > User._meta.get_field("username").max_length:
                raise ValidationError("too long")
        except ValidationError:
            raise DomainError("customer_email_value_invalid", email=email) from None
        if User.objects.filter(username=username_for(email)).exclude(pk=user.pk).exists():
            raise DomainError("customer_exists")
        values.update(email=email, username=username_for(email))
    try:
        with transaction.atomic():
            if values:
                User.objects.filter(pk=user.pk).update(**values)
                for column, value in values.items():
                    setattr(user, column, value)
            if is_subscribed is not None:
                set_subscribed(user, is_subscribed)
    except IntegrityError:  # the email was taken concurrently
        raise DomainError("customer_exists") from None
    return user


# --- address book: Magento's createCustomerAddress / updateCustomerAddress / deleteCustomerAddress ------

# Required address attributes in Magento's attribute order ("Required parameters are missing: ...").
ADDRESS_REQUIRED = ("firstname", "lastname", "street", "city", "country_id", "telephone")
ADDRESS_TEXT_FIELDS = (
    "firstname",
    "lastname",
    "middlename",
    "prefix",
    "suffix",
    "company",
    "city",
    "postcode",
    "telephone",
    "fax",
    "vat_id",
)


def _address_input_from(address: CustomerAddress) -> dict:
    """A stored address as Magento's CustomerAddressInput (what an update starts from)."""
    region_id = region_id_of(address.country_code, address.region_code)
    values = {name: getattr(address, name) for name in ADDRESS_TEXT_FIELDS}
    values.update(
        street=list(address.street),
        country_id=address.country_code,
        region={"region_id": region_id, "region_code": address.region_code, "region": address.region_label},
    )
    return values


def _clean_address_input(data: dict) -> dict:
    """Validate a CustomerAddressInput (country already in ``country_id``) with Magento's checks in
    its order: required attributes, street lines, country, postcode, region. Returns model values."""

    def text(name):
        value = data.get(name)
        return value.strip() if isinstance(value, str) else ""

    street = [line.strip() for line in (data.get("street") or []) if isinstance(line, str) and line.strip()]
    present = {name: text(name) for name in ADDRESS_TEXT_FIELDS}
    present.update(street=street, country_id=text("country_id").upper())
    missing = [name for name in ADDRESS_REQUIRED if not present[name]]
    if missing:
        raise DomainError("customer_fields_missing", fields=", ".join(missing))
    check_street_lines(data.get("street"))
    country = present["country_id"]
    if country_name(country) is None or not is_allowed_country(country):
        raise DomainError("address_field_invalid", value=country, field="countryId")
    if not present["postcode"] and needs_postcode(country):
        raise DomainError("address_field_required", field="postcode")
    limits = {"prefix": 40, "suffix": 40, "fax": 64, "vat_id": 64, **MAX_LENGTHS}
    check_lengths([*present.items(), *(("street", line) for line in street)], limits)

    region_input = data.get("region") or {}
    region_id = region_input.get("region_id")
    region_code = (region_input.get("region_code") or "").strip()
    region_text = (region_input.get("region") or "").strip()
    if region_id:
        region = region_by_id(region_id)
        if region is None or region.country != country:
            raise DomainError("customer_address_region_mismatch")
        region_code, region_text = region.code, region.name
    elif country in REGION_REQUIRED and regions_of(country):
        raise DomainError("customer_address_region_id_required")
    elif len(region_code) > 8 or len(region_text) > MAX_FIELD:
        raise DomainError("address_field_invalid", value=(region_code or region_text)[:20], field="region")
    return {
        **{name: present[name] for name in ADDRESS_TEXT_FIELDS},
        "street": street,
        "country_code": country,
        "region_code": region_code,
        "region_label": region_text,
    }


def _set_defaults(user: User, address: CustomerAddress, default_shipping, default_billing) -> None:
    """Apply ``default_*`` flags (True makes this the default, False unsets it) under the lock
    the caller holds on the user's address rows."""
    for kind, wanted in (("shipping", default_shipping), ("billing", default_billing)):
        if wanted is None:
            continue
        column = f"default_{kind}"
        if wanted and not getattr(address, column):
            CustomerAddress.objects.filter(user=user, **{column: True}).update(**{column: False})
        setattr(address, column, bool(wanted))


def _country_of_input(data: dict) -> dict:
    data = dict(data)
    if data.get("country_code"):
        data["country_id"] = data["country_code"]  # country_id is the deprecated name
    return data


def create_address(user: User, data: dict) -> CustomerAddress:
    """Add an address to the customer's book (Magento's createCustomerAddress). It becomes a
    default only when ``default_shipping``/``default_billing`` say so. Locks the customer's
    address rows so two defaults cannot be written at once."""
    if not data:
        raise DomainError("input_missing")
    values = _clean_address_input(_country_of_input(data))
    with transaction.atomic():
        list(CustomerAddress.objects.select_for_update().filter(user=user).values_list("pk"))
        address = CustomerAddress(user=user, **values)
        _set_defaults(user, address, data.get("default_shipping"), data.get("default_billing"))
        address.save()
    return address


def update_address(user: User, address_id, data: dict) -> CustomerAddress:
    """Change the given fields of one of the customer's addresses (Magento's
    updateCustomerAddress): the result is validated as a whole, like a new address."""
    if not address_id:
        raise DomainError("customer_address_id_missing")
    if not data:
        raise DomainError("input_missing")
    with transaction.atomic():
        list(CustomerAddress.objects.select_for_update().filter(user=user).values_list("pk"))
        address = address_of(user, address_id)
        merged = _address_input_from(address)
        given = {key: value for key, value in _country_of_input(data).items() if value is not None}
        if "country_id" in given and "region" not in given:
            given["region"] = {}  # a new country does not keep the old country's region
        merged.update(given)
        for name, value in _clean_address_input(merged).items():
            setattr(address, name, value)
        _set_defaults(user, address, data.get("default_shipping"), data.get("default_billing"))
        address.save()
    return address


def delete_address(user: User, address_id) -> None:
    """Remove one of the customer's addresses; a default billing or shipping address cannot be
    removed (Magento's messages, billing checked first)."""
    if not address_id:
        raise DomainError("customer_address_id_missing")
    with transaction.atomic():
        address = address_of(user, address_id)
        if address.default_billing:
            raise DomainError("customer_address_default", address_id=address.pk, kind="billing")
        if address.default_shipping:
            raise DomainError("customer_address_default", address_id=address.pk, kind="shipping")
        address.delete()


def change_password(user: User, current_password: str, new_password: str) -> User:
    """Magento's ``changeCustomerPassword``: the current password must be right ("Invalid login
    or password."), the new one must pass the password rules. The customer's tokens stay valid
    (the signed-in storefront keeps working)."""
    if not user.check_password(current_password):
        raise DomainError("customer_password_wrong")
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise DomainError("customer_password_invalid", message=" ".join(error.messages)) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user
