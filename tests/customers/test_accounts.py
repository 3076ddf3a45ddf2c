"""createCustomer(V2), generateCustomerToken, revokeCustomerToken and bearer tokens."""

import hashlib

from django.test import override_settings

from shop.models import CustomerToken

from .conftest import PASSWORD, bearer

CREATE_V2 = """mutation($input: CustomerCreateInput!) {
  createCustomerV2(input: $input) { customer { firstname lastname email addresses { id } } } }"""
CREATE = """mutation($input: CustomerInput!) { createCustomer(input: $input) { customer { id email } } }"""
SIGN_IN = "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }"
REVOKE = "mutation { revokeCustomerToken { result } }"
ME = "{ customer { email firstname } }"
SIGN_IN_FAILED = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."


def _error(gql, document, variables=None, **headers):
    error = gql.error(document, variables, **headers)
    return error["message"], error["extensions"]["category"]


def test_create_customer_v2_returns_the_new_account(gql, db):
    data = gql.data(
        CREATE_V2,
        {
            "input": {
                "email": "Erika@Example.com",
                "firstname": "Erika",
                "lastname": "M",
                "password": PASSWORD,
            }
        },
    )
    assert data["createCustomerV2"]["customer"] == {
        "firstname": "Erika",
        "lastname": "M",
        "email": "Erika@Example.com",
        "addresses": [],
    }


def test_venia_create_account_with_is_subscribed_then_sign_in(gql, db):
    gql.data(
        CREATE,
        {
            "input": {
                "email": "v@example.com",
                "firstname": "V",
                "lastname": "W",
                "password": PASSWORD,
                "is_subscribed": False,
            }
        },
    )
    token = gql.data(SIGN_IN, {"e": "V@example.com", "p": PASSWORD})["generateCustomerToken"]["token"]
    assert gql.data(ME, **bearer(token)) == {"customer": {"email": "v@example.com", "firstname": "V"}}


def test_create_customer_with_a_taken_email_is_refused_case_insensitively(gql, anna):
    input = {"email": "ANNA@example.com", "firstname": "A", "lastname": "B", "password": PASSWORD}
    assert _error(gql, CREATE_V2, {"input": input}) == (
        "A customer with the same email address already exists in an associated website.",
        "graphql-input",
    )


def test_create_customer_checks_required_fields_then_email_format(gql, db):
    assert _error(gql, CREATE, {"input": {"email": "a@example.com", "lastname": "B"}}) == (
        "Required parameters are missing: First Name",
        "graphql-input",
    )
    assert _error(gql, CREATE_V2, {"input": {"email": "", "firstname": "", "lastname": "B"}}) == (
        "Required parameters are missing: First Name, Email",
        "graphql-input",
    )
    assert _error(
        gql, CREATE_V2, {"input": {"email": "not-an-email", "firstname": "A", "lastname": "B"}}
    ) == (
        '"Email" is not a valid email address.',
        "graphql-input",
    )


def test_create_customer_applies_the_password_validators(gql, db):
    message, category = _error(
        gql,
        CREATE_V2,
        {"input": {"email": "a@example.com", "firstname": "A", "lastname": "B", "password": "short"}},
    )
    assert category == "graphql-input"
    assert "at least 8 characters" in message


def test_sign_in_messages_for_missing_and_wrong_credentials(gql, anna):
    assert _error(gql, SIGN_IN, {"e": "", "p": "x"}) == ('Specify the "email" value.', "graphql-input")
    assert _error(gql, SIGN_IN, {"e": "anna@example.com", "p": ""}) == (
        'Specify the "password" value.',
        "graphql-input",
    )
    assert _error(gql, SIGN_IN, {"e": "anna@example.com", "p": "wrong-password"}) == (
        SIGN_IN_FAILED,
        "graphql-authentication",
    )
    assert _error(gql, SIGN_IN, {"e": "nobody@example.com", "p": PASSWORD}) == (
        SIGN_IN_FAILED,
        "graphql-authentication",
    )


def test_tokens_are_random_and_stored_only_as_sha256(gql, anna):
    first = gql.data(SIGN_IN, {"e": "anna@example.com", "p": PASSWORD})["generateCustomerToken"]["token"]
    second = gql.data(SIGN_IN, {"e": "anna@example.com", "p": PASSWORD})["generateCustomerToken"]["token"]
    assert first != second and len(first) >= 43
    stored = set(CustomerToken.objects.values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in (first, second)}


@override_settings(CUSTOMER_SIGN_IN_ATTEMPTS=5, CUSTOMER_SIGN_IN_WINDOW=900)
def test_repeated_failed_sign_ins_for_one_email_are_throttled(gql, anna, make_customer):
    make_customer(email="carl@example.com")
    for _ in range(5):
        assert _error(gql, SIGN_IN, {"e": "anna@example.com", "p": "wrong"})[0] == SIGN_IN_FAILED
    too_many = (
        "Too many failed sign-in attempts. Please wait and try again later.",
        "graphql-too-many-requests",
    )
    assert _error(gql, SIGN_IN, {"e": "anna@example.com", "p": "wrong"}) == too_many
    # Even the right password waits for the window to end; another email is not affected.
    assert _error(gql, SIGN_IN, {"e": "ANNA@example.com", "p": PASSWORD}) == too_many
    assert gql.data(SIGN_IN, {"e": "carl@example.com", "p": PASSWORD})["generateCustomerToken"]["token"]


@override_settings(CUSTOMER_SIGN_IN_ATTEMPTS=3)
def test_a_successful_sign_in_clears_the_failed_count(gql, anna):
    for _ in range(2):
        _error(gql, SIGN_IN, {"e": "anna@example.com", "p": "wrong"})
    gql.data(SIGN_IN, {"e": "anna@example.com", "p": PASSWORD})
    for _ in range(2):
        assert _error(gql, SIGN_IN, {"e": "anna@example.com", "p": "wrong"})[0] == SIGN_IN_FAILED


def test_staff_and_disabled_accounts_cannot_sign_in_as_customers(gql, anna, make_customer):
    staff = make_customer(email="staff@example.com")
    staff.is_staff = True
    staff.save()
    anna.is_active = False
    anna.save()
    for email in ("staff@example.com", "anna@example.com"):
        assert _error(gql, SIGN_IN, {"e": email, "p": PASSWORD})[0] == SIGN_IN_FAILED


def test_revoke_customer_token_ends_all_of_the_customers_tokens(gql, anna, ben, token_of):
    # Magento's revokeCustomerAccessToken($customerId): every token of that customer, no other's.
    other, used = token_of(anna), token_of(anna)
    bens = token_of(ben)
    assert gql.data(REVOKE, **bearer(used)) == {"revokeCustomerToken": {"result": True}}
    for token in (used, other):
        assert gql.post(ME, **bearer(token))["errors"] == [
            {"message": "User token has been revoked", "extensions": {"category": "graphql-authorization"}}
        ]
    assert gql.data(ME, **bearer(bens))["customer"]["email"] == "ben@example.com"
    assert gql.data(ME, **bearer(token_of(anna)))["customer"]["email"] == "anna@example.com"


def test_revoke_without_a_token_is_not_authorized(gql, db):
    assert _error(gql, REVOKE) == ("The current customer isn't authorized.", "graphql-authorization")


def test_a_bad_token_refuses_even_guest_operations_with_401(client, gql, db):
    response = client.post(
        "/graphql",
        data='{"query": "mutation { createGuestCart { cart { id } } }"}',
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "message": "The current customer isn't authorized.",
                "extensions": {"category": "graphql-authorization"},
            }
        ]
    }


def test_tokens_expire_after_the_configured_lifetime(gql, anna, token_of, settings):
    settings.CUSTOMER_TOKEN_LIFETIME = 0
    token = token_of(anna)
    assert gql.post(ME, **bearer(token))["errors"][0]["message"] == "The current customer isn't authorized."


def test_only_the_bearer_scheme_carries_a_customer(gql, anna, token_of):
    token = token_of(anna)
    for header in (f"Basic {token}", token, f"Token {token}"):
        assert _error(gql, ME, HTTP_AUTHORIZATION=header)[0] == "The current customer isn't authorized."
    assert gql.data(ME, HTTP_AUTHORIZATION=f"bearer {token}")["customer"]["email"] == "anna@example.com"


def test_a_customer_cannot_create_a_guest_cart(gql, anna_auth):
    assert _error(gql, "mutation { createGuestCart { cart { id } } }", **anna_auth) == (
        "Use `Query.customerCart` for logged in customer.",
        "graphql-already-exists",
    )
