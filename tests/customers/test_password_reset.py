"""Forgotten passwords: requestPasswordResetEmail / resetPassword (Magento's messages from its
Customer/RequestPasswordResetEmailTest and ResetPasswordTest) and the storefront pages."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import override_settings

from shop import customers
from shop.models import CustomerToken

from .conftest import PASSWORD, bearer

REQUEST = "mutation($e: String!) { requestPasswordResetEmail(email: $e) }"
RESET = """mutation($e: String!, $t: String!, $p: String!) {
  resetPassword(email: $e, resetPasswordToken: $t, newPassword: $p) }"""
SIGN_IN = "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }"
NEW_PASSWORD = "new_Password-1234"


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    from django.core.cache import caches

    caches["default"].clear()


def _link_from_email(message) -> tuple[str, dict]:
    link = re.search(r"https?://\S+", message.body).group(0)
    parsed = urlparse(link)
    return parsed.path, {k: v[0] for k, v in parse_qs(parsed.query).items()}


def _error(gql, document, variables):
    error = gql.error(document, variables)
    return error["message"], error["extensions"]["category"]


# --- GraphQL, Magento's scenarios ------------------------------------------------------------------


def test_customer_account_with_email_available_gets_an_email_with_a_working_link(gql, anna, client):
    assert gql.data(REQUEST, {"e": "Anna@Example.com"}) == {"requestPasswordResetEmail": True}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.com"]
    assert "password" in message.subject.lower()
    path, query = _link_from_email(message)
    assert path == "/account/reset-password/"
    assert query["email"] == "anna@example.com"
    assert default_token_generator.check_token(anna, query["token"])
    html = message.alternatives[0][0]
    assert query["token"] in html


def test_customer_account_with_email_not_available(gql, db):
    assert _error(gql, REQUEST, {"e": "customerNotAvalible@example.com"}) == (
        "Cannot reset the customer's password",
        "graphql-input",
    )
    assert mail.outbox == []


def test_email_available_empty_value(gql, db):
    assert _error(gql, REQUEST, {"e": ""}) == ("You must specify an email address.", "graphql-input")


def test_email_available_invalid_value(gql, db):
    assert _error(gql, REQUEST, {"e": "invalid-email"}) == (
        "The email address has an invalid format.",
        "graphql-input",
    )


def test_staff_accounts_cannot_be_reset_from_the_shop(gql, django_user_model):
    django_user_model.objects.create_user("boss@example.com", "boss@example.com", PASSWORD, is_staff=True)
    assert _error(gql, REQUEST, {"e": "boss@example.com"})[0] == "Cannot reset the customer's password"
    assert mail.outbox == []


def test_requests_are_throttled_per_address(gql, anna):
    for _ in range(5):
        gql.data(REQUEST, {"e": "anna@example.com"})
    message, category = _error(gql, REQUEST, {"e": "ANNA@example.com"})
    assert message.startswith("We received too many requests for password resets.")
    assert category == "graphql-too-many-requests"
    assert len(mail.outbox) == 5


@override_settings(EMAIL_BACKEND="tests.customers.test_password_reset.RefusingBackend")
def test_a_mail_server_refusing_the_message_is_reported(gql, anna):
    assert _error(gql, REQUEST, {"e": "anna@example.com"}) == (
        "We could not send the email right now. Please try again in a few minutes.",
        "graphql-input",
    )


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


def test_reset_customer_account_password_successfully(gql, anna):
    old = customers.issue_token(anna).token
    token = default_token_generator.make_token(anna)
    assert gql.data(RESET, {"e": "anna@example.com", "t": token, "p": NEW_PASSWORD}) == {
        "resetPassword": True
    }
    # The new password signs in, the old one does not; earlier API tokens are revoked.
    assert gql.data(SIGN_IN, {"e": "anna@example.com", "p": NEW_PASSWORD})["generateCustomerToken"]["token"]
    assert gql.error(SIGN_IN, {"e": "anna@example.com", "p": PASSWORD})["extensions"]["category"] == (
        "graphql-authentication"
    )
    assert gql.post("{ customer { email } }", **bearer(old))["errors"][0]["extensions"]["category"] == (
        "graphql-authorization"
    )
    assert CustomerToken.objects.filter(user=anna, revoked_at__isnull=True).count() == 1  # the new sign-in
    # The token worked once: the password hash changed.
    assert _error(gql, RESET, {"e": "anna@example.com", "t": token, "p": "another_Pass-987"})[0] == (
        "Cannot set the customer's password"
    )


@pytest.mark.parametrize(
    "variables,expected",
    [
        ({"e": "", "t": "x", "p": NEW_PASSWORD}, "You must specify an email address."),
        ({"e": "invalid-email", "t": "x", "p": NEW_PASSWORD}, "The email address has an invalid format."),
        ({"e": "anna@example.com", "t": "", "p": NEW_PASSWORD}, "resetPasswordToken must be specified"),
        ({"e": "anna@example.com", "t": "x", "p": ""}, "newPassword must be specified"),
        (
            {"e": "anna@example.com", "t": "1234567890XYZ", "p": NEW_PASSWORD},
            "Cannot set the customer's password",
        ),
        (
            {"e": "nobody@example.com", "t": "1234567890XYZ", "p": NEW_PASSWORD},
            "Cannot set the customer's password",
        ),
    ],
    ids=["email-empty", "email-invalid", "token-empty", "password-empty", "token-mismatched", "unknown"],
)
def test_reset_password_refusals(gql, anna, variables, expected):
    assert _error(gql, RESET, variables) == (expected, "graphql-input")
    assert anna.__class__.objects.get(pk=anna.pk).check_password(PASSWORD)


def test_a_password_the_rules_refuse_is_not_set(gql, anna):
    token = default_token_generator.make_token(anna)
    assert _error(gql, RESET, {"e": "anna@example.com", "t": token, "p": "123"})[0] == (
        "Cannot set the customer's password"
    )
    assert anna.__class__.objects.get(pk=anna.pk).check_password(PASSWORD)


def test_an_expired_link_is_refused(gql, anna, settings):
    token = default_token_generator.make_token(anna)
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert _error(gql, RESET, {"e": "anna@example.com", "t": token, "p": NEW_PASSWORD})[0] == (
        "Cannot set the customer's password"
    )


# --- storefront ------------------------------------------------------------------------------------


def test_sign_in_page_links_to_the_forgot_password_page(client, db):
    assert 'href="/account/forgot-password/"' in client.get("/account/sign-in/").content.decode()


def test_forgot_then_reset_then_signed_in(client, anna):
    response = client.post("/account/forgot-password/", {"email": "anna@example.com"})
    assert response.status_code == 200
    assert b"data-reset-sent" in response.content
    path, query = _link_from_email(mail.outbox[0])
    page = client.get(path, query)
    assert page.status_code == 200
    assert b"data-reset-password-form" in page.content
    response = client.post(path, {**query, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/orders/"
    assert client.get("/account/orders/").status_code == 200  # signed in
    assert anna.__class__.objects.get(pk=anna.pk).check_password(NEW_PASSWORD)
    # The link is spent.
    again = client.get(path, query)
    assert again.status_code == 400
    assert b"data-reset-expired" in again.content


def test_forgot_page_answers_the_same_for_an_unknown_address(client, db):
    response = client.post("/account/forgot-password/", {"email": "stranger@example.com"})
    assert response.status_code == 200
    assert b"data-reset-sent" in response.content
    assert mail.outbox == []


def test_forgot_page_names_a_malformed_address(client, db):
    response = client.post("/account/forgot-password/", {"email": "not-an-email"})
    assert response.status_code == 200
    assert b"data-reset-sent" not in response.content
    assert "Enter a valid email address." in response.content.decode()


def test_reset_page_names_the_password_rule_and_a_mismatch(client, anna):
    token = default_token_generator.make_token(anna)
    query = {"email": "anna@example.com", "token": token}
    weak = client.post(
        "/account/reset-password/", {**query, "password": "123", "confirm": "123"}
    ).content.decode()
    assert "This password is too short" in weak
    mismatch = client.post(
        "/account/reset-password/", {**query, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}
    ).content.decode()
    assert "The two passwords are not the same." in mismatch
    assert anna.__class__.objects.get(pk=anna.pk).check_password(PASSWORD)


def test_reset_page_with_a_forged_token_shows_the_expired_message(client, anna):
    response = client.get("/account/reset-password/", {"email": "anna@example.com", "token": "abc-def"})
    assert response.status_code == 400
    assert b"data-reset-expired" in response.content
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_pwa_storefront_gets_links_to_its_own_page(gql, anna, settings):
    settings.PASSWORD_RESET_LINK = (
        "https://pwa.example.com/customer/account/createPassword/?token={token}&email={email}"
    )
    gql.data(REQUEST, {"e": "anna@example.com"})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    parsed = urlparse(link)
    assert (parsed.netloc, parsed.path) == ("pwa.example.com", "/customer/account/createPassword/")
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert query["email"] == "anna@example.com"
    # Venia sends the token back with resetPassword.
    assert gql.data(RESET, {"e": query["email"], "t": query["token"], "p": NEW_PASSWORD}) == {
        "resetPassword": True
    }
