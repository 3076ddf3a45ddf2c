"""Venia's account documents run against the shop: the address book, newsletter consent,
account information, email availability. Expected messages are Magento's, from its
api-functional tests (Customer/CreateCustomerAddressTest, UpdateCustomerAddressTest,
DeleteCustomerAddressTest, UpdateCustomerTest, IsEmailAvailableTest)."""

import pytest
from django.contrib.auth.models import User

from shop.models import CustomerAddress, NewsletterSubscription

from .conftest import PASSWORD, bearer, venia

CALIFORNIA = 4796 + 1  # stable ids: position in pycountry's sorted ISO 3166-2 list
NEW_YORK = 4829
ARIZONA = 4796
BERLIN = 905

ADDRESS_US = {
    "firstname": "Anna",
    "lastname": "Muster",
    "street": ["1 Market St", ""],
    "city": "San Francisco",
    "region": {"region_id": CALIFORNIA},
    "postcode": "94105",
    "country_code": "US",
    "telephone": "+14155550100",
    "default_shipping": True,
}


def _addresses(gql, auth):
    return gql.data(venia("GetCustomerAddressesForAddressBook"), **auth)["customer"]["addresses"]


def test_address_book_create_list_update_delete_with_venias_documents(
    gql, anna, anna_auth, allowed_countries
):
    created = gql.data(venia("AddNewCustomerAddressToAddressBook"), {"address": ADDRESS_US}, **anna_auth)
    address_id = created["createCustomerAddress"]["id"]

    listed = gql.data(venia("GetCustomerAddressesForAddressBook"), **anna_auth)
    updated = gql.data(
        venia("UpdateCustomerAddressInAddressBook"),
        {"addressId": address_id, "updated_address": {"city": "Los Angeles", "default_billing": True}},
        **anna_auth,
    )

    assert listed["customer"]["addresses"] == [
        {
            "id": address_id,
            "city": "San Francisco",
            "country_code": "US",
            "default_billing": False,
            "default_shipping": True,
            "firstname": "Anna",
            "lastname": "Muster",
            "middlename": None,
            "postcode": "94105",
            "region": {
                "region": "California",
                "region_code": "CA",
                "region_id": CALIFORNIA,
                "__typename": "CustomerAddressRegion",
            },
            "street": ["1 Market St"],
            "telephone": "+14155550100",
            "__typename": "CustomerAddress",
        }
    ]
    assert {c["id"] for c in listed["countries"]} == {"AT", "DE", "GB", "US"}
    assert updated["updateCustomerAddress"]["city"] == "Los Angeles"
    stored = CustomerAddress.objects.get(pk=address_id)
    assert (stored.city, stored.region_code, stored.default_shipping, stored.default_billing) == (
        "Los Angeles",
        "CA",
        True,
        True,
    )

    refused = gql.error(venia("DeleteCustomerAddressFromAddressBook"), {"addressId": address_id}, **anna_auth)
    assert (
        refused["message"]
        == f"Customer Address {address_id} is set as default billing address and can not be deleted"
    )
    assert refused["extensions"]["category"] == "graphql-input"
    second = gql.data(
        venia("AddNewCustomerAddressToAddressBook"),
        {"address": {**ADDRESS_US, "default_shipping": False, "city": "Oakland"}},
        **anna_auth,
    )["createCustomerAddress"]["id"]
    assert gql.data(venia("DeleteCustomerAddressFromAddressBook"), {"addressId": second}, **anna_auth) == {
        "deleteCustomerAddress": True
    }
    assert list(CustomerAddress.objects.values_list("pk", flat=True)) == [address_id]


def test_a_new_default_address_takes_the_default_from_the_old_one(gql, anna, anna_auth, allowed_countries):
    first = gql.data(venia("AddNewCustomerAddressToAddressBook"), {"address": ADDRESS_US}, **anna_auth)
    second = gql.data(
        venia("AddNewCustomerAddressToAddressBook"),
        {"address": {**ADDRESS_US, "city": "Oakland"}},
        **anna_auth,
    )

    defaults = dict(CustomerAddress.objects.values_list("pk", "default_shipping"))
    assert defaults == {
        first["createCustomerAddress"]["id"]: False,
        second["createCustomerAddress"]["id"]: True,
    }


def test_checkout_customer_form_creates_the_address_and_the_cart_can_use_it(
    gql, anna, anna_auth, allowed_countries
):
    data = gql.data(
        venia("CreateCustomerAddress"),
        {
            "address": {
                **ADDRESS_US,
                "region": {"region_id": NEW_YORK},
                "city": "New York",
                "postcode": "10001",
            }
        },
        **anna_auth,
    )

    assert data == {
        "createCustomerAddress": {
            "id": CustomerAddress.objects.get().pk,
            "city": "New York",
            "country_code": "US",
            "default_shipping": True,
            "firstname": "Anna",
            "lastname": "Muster",
            "postcode": "10001",
            "region": {
                "region": "New York",
                "region_code": "NY",
                "region_id": NEW_YORK,
                "__typename": "CustomerAddressRegion",
            },
            "street": ["1 Market St"],
            "telephone": "+14155550100",
            "__typename": "CustomerAddress",
        }
    }
    stored = CustomerAddress.objects.get()
    assert (stored.region_code, stored.region_label, stored.default_shipping) == ("NY", "New York", True)


def test_create_address_full_magento_fields_round_trip(gql, anna, anna_auth, allowed_countries):
    # CreateCustomerAddressTest::testCreateCustomerAddress, with our region id for Arizona.
    query = """
    mutation {
      createCustomerAddress(input: {
        region: {region: "Arizona", region_id: ARIZONA, region_code: "AZ"}
        country_code: US street: ["Line 1 Street", "Line 2"] company: "Company name"
        telephone: "123456789" fax: "123123123" postcode: "7777" city: "City Name"
        firstname: "Adam" lastname: "Phillis" middlename: "A" prefix: "Mr." suffix: "Jr." vat_id: "1"
        default_shipping: true default_billing: false
      }) {
        region { region region_id region_code } country_code country_id street company telephone fax
        postcode city firstname lastname middlename prefix suffix vat_id default_shipping default_billing
      }
    }""".replace("ARIZONA", str(ARIZONA))

    address = gql.data(query, **anna_auth)["createCustomerAddress"]

    assert address == {
        "region": {"region": "Arizona", "region_id": ARIZONA, "region_code": "AZ"},
        "country_code": "US",
        "country_id": "US",
        "street": ["Line 1 Street", "Line 2"],
        "company": "Company name",
        "telephone": "123456789",
        "fax": "123123123",
        "postcode": "7777",
        "city": "City Name",
        "firstname": "Adam",
        "lastname": "Phillis",
        "middlename": "A",
        "prefix": "Mr.",
        "suffix": "Jr.",
        "vat_id": "1",
        "default_shipping": True,
        "default_billing": False,
    }


def _create(fields: str) -> str:
    return "mutation { createCustomerAddress(input: {" + fields + "}) { id } }"


VALID = (
    'country_code: US street: ["Line 1"] telephone: "123" postcode: "7777" city: "City" lastname: "Phillis"'
)
THREE_LINES = VALID.replace('["Line 1"]', '["1", "2", "3"]')


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # testCreateCustomerAddressWithMissingAttribute
        (
            f'region: {{region_id: {ARIZONA}}} firstname: "" {VALID}',
            "Required parameters are missing: firstname",
        ),
        # testCreateCustomerAddressWithMissingInput
        ("", '"input" value should be specified'),
        # testCreateCustomerAddressWithRedundantStreetLine
        (
            f'region: {{region_id: {ARIZONA}}} firstname: "Adam" {THREE_LINES}',
            '"Street Address" cannot contain more than 2 lines.',
        ),
        # testCreateCustomerAddressRegionCodeWithoutRegionId
        (
            f'region: {{region_code: "NY"}} firstname: "Adam" {VALID}',
            "A region_id is required for the specified country code",
        ),
        # testCreateCustomerAddressRegionCodeWithRegionIdForNoRegionRequiredCountry
        (
            f'region: {{region_code: "NY", region_id: {NEW_YORK}}} firstname: "Adam" {VALID.replace("US", "GB")}',
            "The region_id does not match the selected country or region",
        ),
    ],
)
def test_create_address_refusals_are_magentos(gql, anna, anna_auth, allowed_countries, fields, message):
    error = gql.error(_create(fields), **anna_auth)

    assert (error["message"], error["extensions"]["category"]) == (message, "graphql-input")
    assert not CustomerAddress.objects.exists()


def test_create_address_free_text_region_where_regions_are_optional(gql, anna, anna_auth, allowed_countries):
    # testCreateCustomerAddressRegionCodeWithOutRegionIdForNoRegionRequiredCountry
    query = (
        'mutation { createCustomerAddress(input: {region: {region_code: "some", region: "some region"} '
        'firstname: "Adams" ' + VALID.replace("US", "GB") + "}) { region { region region_code region_id } } }"
    )

    region = gql.data(query, **anna_auth)["createCustomerAddress"]["region"]

    assert region == {"region": "some region", "region_code": "some", "region_id": None}


def test_address_mutations_need_a_customer(gql, db):
    for query in (
        _create(f'firstname: "John" region: {{region_id: 1}} {VALID}'),
        'mutation { updateCustomerAddress(id: 1, input: {city: "X"}) { id } }',
        "mutation { deleteCustomerAddress(id: 1) }",
    ):
        error = gql.error(query)
        assert (error["message"], error["extensions"]["category"]) == (
            "The current customer isn't authorized.",
            "graphql-authorization",
        )


def test_update_and_delete_check_the_id_first_then_ownership(
    gql, anna, ben, anna_auth, token_of, allowed_countries
):
    bens = gql.data(
        venia("AddNewCustomerAddressToAddressBook"), {"address": ADDRESS_US}, **bearer(token_of(ben))
    )["createCustomerAddress"]["id"]

    cases = [
        (
            'mutation { updateCustomerAddress(id: 0, input: {city: "X"}) { id } }',
            'Address "id" value should be specified',
            "graphql-input",
        ),
        (
            "mutation { updateCustomerAddress(id: 5, input: {}) { id } }",
            '"input" value should be specified',
            "graphql-input",
        ),
        (
            "mutation { deleteCustomerAddress(id: 0) }",
            'Address "id" value should be specified',
            "graphql-input",
        ),
        (
            'mutation { updateCustomerAddress(id: 9999, input: {city: "X"}) { id } }',
            'Could not find a address with ID "9999"',
            "graphql-no-such-entity",
        ),
        (
            "mutation { deleteCustomerAddress(id: 9999) }",
            'Could not find a address with ID "9999"',
            "graphql-no-such-entity",
        ),
        (
            f'mutation {{ updateCustomerAddress(id: {bens}, input: {{city: "X"}}) {{ id }} }}',
            f'Current customer does not have permission to address with ID "{bens}"',
            "graphql-authorization",
        ),
        (
            f"mutation {{ deleteCustomerAddress(id: {bens}) }}",
            f'Current customer does not have permission to address with ID "{bens}"',
            "graphql-authorization",
        ),
    ]
    for query, message, category in cases:
        error = gql.error(query, **anna_auth)
        assert (error["message"], error["extensions"]["category"]) == (message, category), query
    assert CustomerAddress.objects.get(pk=bens).city == "San Francisco"


def test_update_to_another_country_needs_that_countrys_region(gql, anna, anna_auth, allowed_countries):
    address_id = gql.data(venia("AddNewCustomerAddressToAddressBook"), {"address": ADDRESS_US}, **anna_auth)[
        "createCustomerAddress"
    ]["id"]

    moved = gql.data(
        f"mutation {{ updateCustomerAddress(id: {address_id}, input: {{country_code: DE, region: {{region_id: {BERLIN}}}, "
        'postcode: "10115", city: "Berlin"}) { country_code region { region_code region region_id } } }',
        **anna_auth,
    )["updateCustomerAddress"]

    assert moved == {
        "country_code": "DE",
        "region": {"region_code": "BE", "region": "Berlin", "region_id": BERLIN},
    }


def test_countries_and_regions_with_venias_documents(gql, db, allowed_countries):
    countries = gql.data(venia("GetCountries"))["countries"]
    regions = gql.data(venia("GetRegions"), {"countryCode": "US"})["country"]

    assert countries == [
        {
            "id": "AT",
            "full_name_english": "Austria",
            "two_letter_abbreviation": "AT",
            "__typename": "Country",
        },
        {
            "id": "DE",
            "full_name_english": "Germany",
            "two_letter_abbreviation": "DE",
            "__typename": "Country",
        },
        {
            "id": "GB",
            "full_name_english": "United Kingdom",
            "two_letter_abbreviation": "GB",
            "__typename": "Country",
        },
        {
            "id": "US",
            "full_name_english": "United States",
            "two_letter_abbreviation": "US",
            "__typename": "Country",
        },
    ]
    assert regions["id"] == "US"
    assert {"id": CALIFORNIA, "code": "CA", "name": "California", "__typename": "Region"} in regions[
        "available_regions"
    ]
    assert len(regions["available_regions"]) == 57


def test_country_fields_and_magentos_errors(gql, db, allowed_countries):
    country = gql.data(
        '{ country(id: "DE") { id two_letter_abbreviation three_letter_abbreviation full_name_locale '
        "full_name_english available_regions { id code name } } }"
    )["country"]
    unknown = gql.error('{ country(id: "BLAH") { id } }')
    not_sold = gql.error('{ country(id: "FR") { id } }')
    missing = gql.error("{ country { available_regions { code id name } } }")

    assert {k: v for k, v in country.items() if k != "available_regions"} == {
        "id": "DE",
        "two_letter_abbreviation": "DE",
        "three_letter_abbreviation": "DEU",
        "full_name_locale": "Germany",
        "full_name_english": "Germany",
    }
    assert {"id": BERLIN, "code": "BE", "name": "Berlin"} in country["available_regions"]
    for error in (unknown, not_sold):
        assert (error["message"], error["extensions"]["category"]) == (
            "The country isn't available.",
            "graphql-no-such-entity",
        )
    assert missing["message"] == 'Country "id" value should be specified'


def test_is_email_available_with_venias_document(gql, anna):
    taken = gql.data(venia("IsEmailAvailable"), {"email": "ANNA@example.com"})
    free = gql.data(venia("IsEmailAvailable"), {"email": "new@example.com"})
    empty = gql.error(venia("IsEmailAvailable"), {"email": ""})
    invalid = gql.error(venia("IsEmailAvailable"), {"email": "invalid-email"})

    assert taken == {
        "isEmailAvailable": {"is_email_available": False, "__typename": "IsEmailAvailableOutput"}
    }
    assert free["isEmailAvailable"]["is_email_available"] is True
    assert (empty["message"], invalid["message"]) == ("Email must be specified", "Email is invalid")


def test_newsletter_consent_from_sign_up_to_communications_page(gql, db, token_of):
    created = gql.data(
        venia("CreateAccount"),
        {
            "email": "nina@example.com",
            "firstname": "Nina",
            "lastname": "Neu",
            "password": PASSWORD,
            "is_subscribed": True,
        },
    )
    nina = User.objects.get(username="nina@example.com")
    auth = bearer(token_of(nina))

    before = gql.data(venia("GetCustomerSubscription"), **auth)
    changed = gql.data(venia("SetNewsletterSubscription"), {"isSubscribed": False}, **auth)
    after = gql.data(venia("GetCustomerSubscription"), **auth)

    assert created["createCustomer"]["customer"] == {
        "email": "nina@example.com",
        "is_confirmed": True,
        "__typename": "Customer",
    }
    assert before["customer"]["is_subscribed"] is True
    assert changed["updateCustomer"]["customer"]["is_subscribed"] is False
    assert after["customer"]["is_subscribed"] is False
    assert NewsletterSubscription.objects.get(user=nina).is_subscribed is False


def test_account_information_page_updates_names_and_email(gql, anna, anna_auth):
    data = gql.data(
        venia("SetCustomerInformation"),
        {
            "customerInput": {
                "firstname": "Anne",
                "lastname": "Meister",
                "email": "anne@example.com",
                "password": PASSWORD,
            }
        },
        **anna_auth,
    )

    assert data["updateCustomer"]["customer"] == {
        "id": data["updateCustomer"]["customer"]["id"],
        "firstname": "Anne",
        "lastname": "Meister",
        "email": "anne@example.com",
        "__typename": "Customer",
    }
    anna.refresh_from_db()
    assert (anna.username, anna.email, anna.first_name) == ("anne@example.com", "anne@example.com", "Anne")


@pytest.mark.parametrize(
    ("input", "message", "category"),
    [
        ('email: "new@example.com"', 'Provide the current "password" to change "email".', "graphql-input"),
        (
            'email: "new@example.com" password: "invalid_password"',
            "Invalid login or password.",
            "graphql-authentication",
        ),
        (
            f'email: "ben@example.com" password: "{PASSWORD}" firstname: "Richard"',
            "A customer with the same email address already exists in an associated website.",
            "graphql-input",
        ),
        (
            f'email: "customer.example.com" password: "{PASSWORD}"',
            '"customer.example.com" is not a valid email address.',
            "graphql-input",
        ),
        (
            f'email: "anna@example.com" password: "{PASSWORD}" firstname: ""',
            "Required parameters are missing: First Name",
            "graphql-input",
        ),
        ('lastname: ""', "Required parameters are missing: Last Name", "graphql-input"),
    ],
)
def test_update_customer_refusals_are_magentos(gql, anna, ben, anna_auth, input, message, category):
    error = gql.error(
        "mutation { updateCustomer(input: {" + input + "}) { customer { email } } }", **anna_auth
    )

    assert (error["message"], error["extensions"]["category"]) == (message, category)
    anna.refresh_from_db()
    assert (anna.email, anna.first_name, anna.last_name) == ("anna@example.com", "Anna", "Muster")


def test_update_customer_needs_a_customer(gql, db):
    error = gql.error('mutation { updateCustomer(input: {firstname: "Richard"}) { customer { firstname } } }')

    assert error["message"] == "The current customer isn't authorized."


def test_change_password_with_venias_document(gql, anna, anna_auth):
    data = gql.data(
        venia("ChangeCustomerPassword"),
        {"currentPassword": PASSWORD, "newPassword": "Another-Horse-43"},
        **anna_auth,
    )

    assert data == {"changeCustomerPassword": {"email": "anna@example.com", "__typename": "Customer"}}
    anna.refresh_from_db()
    assert anna.check_password("Another-Horse-43")
    assert gql.data("{ customer { email } }", **anna_auth) == {"customer": {"email": "anna@example.com"}}


@pytest.mark.parametrize(
    ("current", "new", "message", "category"),
    [
        ("wrong-password", "Another-Horse-43", "Invalid login or password.", "graphql-authentication"),
        ("", "Another-Horse-43", 'Specify the "currentPassword" value.', "graphql-input"),
        (PASSWORD, " ", 'Specify the "newPassword" value.', "graphql-input"),
    ],
)
def test_change_password_refusals_are_magentos(gql, anna, anna_auth, current, new, message, category):
    error = gql.error(
        venia("ChangeCustomerPassword"), {"currentPassword": current, "newPassword": new}, **anna_auth
    )

    assert (error["message"], error["extensions"]["category"]) == (message, category)
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)


def test_change_password_needs_a_customer_after_the_input_checks(gql, db):
    missing = gql.error(venia("ChangeCustomerPassword"), {"currentPassword": "", "newPassword": "x"})
    guest = gql.error(venia("ChangeCustomerPassword"), {"currentPassword": "a", "newPassword": "b"})

    assert missing["message"] == 'Specify the "currentPassword" value.'
    assert guest["message"] == "The current customer isn't authorized."
