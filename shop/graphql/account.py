"""Account operations Venia sends beyond sign-in: ``isEmailAvailable``, ``updateCustomer``,
the address book (``createCustomerAddress``, ``updateCustomerAddress``,
``deleteCustomerAddress``) and forgotten passwords (``requestPasswordResetEmail``,
``resetPassword``). Resolvers read input and call ``shop.customers`` or
``shop.password_reset``; messages and the order of checks are Magento's (api-functional tests
``Customer/CreateCustomerAddressTest``, ``UpdateCustomerAddressTest``,
``DeleteCustomerAddressTest``, ``UpdateCustomerTest``, ``IsEmailAvailableTest``,
``RequestPasswordResetEmailTest``, ``ResetPasswordTest``)."""

import graphene
import pycountry

from shop import customers, password_reset
from shop.errors import DomainError

from .customers import CustomerAddress, CustomerInput, CustomerOutput, require_customer

CountryCodeEnum = graphene.Enum(
    "CountryCodeEnum", sorted((c.alpha_2, c.alpha_2) for c in pycountry.countries)
)


class CustomerAddressRegionInput(graphene.InputObjectType):
    region_code = graphene.String()
    region = graphene.String()
    region_id = graphene.Int()


class CustomerAddressInput(graphene.InputObjectType):
    firstname = graphene.String()
    lastname = graphene.String()
    middlename = graphene.String()
    prefix = graphene.String()
    suffix = graphene.String()
    company = graphene.String()
    street = graphene.List(graphene.String)
    city = graphene.String()
    region = graphene.Field(CustomerAddressRegionInput)
    postcode = graphene.String()
    country_code = graphene.Field(CountryCodeEnum)
    country_id = graphene.Field(CountryCodeEnum, deprecation_reason="Use `country_code` instead.")
    telephone = graphene.String()
    fax = graphene.String()
    vat_id = graphene.String()
    default_shipping = graphene.Boolean()
    default_billing = graphene.Boolean()


class IsEmailAvailableOutput(graphene.ObjectType):
    is_email_available = graphene.Boolean()


def _address_input(input) -> dict:
    """CustomerAddressInput as plain data: enum members as their codes, only given keys."""
    data = {}
    for key, value in (input or {}).items():
        if value is None:
            continue
        if key in ("country_code", "country_id") and value is not None:
            value = getattr(value, "value", value)
        if key == "region" and value is not None:
            value = dict(value)
        data[key] = value
    return data


class AccountQuery(graphene.ObjectType):
    isEmailAvailable = graphene.Field(IsEmailAvailableOutput, email=graphene.String(required=True))

    @staticmethod
    def resolve_isEmailAvailable(root, info, email):
        return IsEmailAvailableOutput(is_email_available=customers.is_email_available(email))


class AccountMutation(graphene.ObjectType):
    updateCustomer = graphene.Field(
        CustomerOutput,
        input=CustomerInput(required=True),
        deprecation_reason="Use `updateCustomerV2` instead.",
    )
    createCustomerAddress = graphene.Field(CustomerAddress, input=CustomerAddressInput(required=True))
    updateCustomerAddress = graphene.Field(
        CustomerAddress, id=graphene.Int(required=True), input=CustomerAddressInput()
    )
    deleteCustomerAddress = graphene.Boolean(id=graphene.Int(required=True))
    requestPasswordResetEmail = graphene.Boolean(
        email=graphene.String(required=True),
        description="Send the customer an email with a link to set a new password.",
    )
    resetPassword = graphene.Boolean(
        email=graphene.String(required=True),
        resetPasswordToken=graphene.String(required=True),
        newPassword=graphene.String(required=True),
        description="Set a new password with the token from the reset email.",
    )
    changeCustomerPassword = graphene.Field(
        "shop.graphql.customers.Customer",
        currentPassword=graphene.String(required=True),
        newPassword=graphene.String(required=True),
    )

    @staticmethod
    def resolve_updateCustomer(root, info, input):
        customer = require_customer(info)
        if not any(value is not None for value in input.values()):
            raise DomainError("input_missing")
        customers.update_customer(
            customer,
            firstname=input.get("firstname"),
            lastname=input.get("lastname"),
            email=input.get("email"),
            password=input.get("password"),
            is_subscribed=input.get("is_subscribed"),
        )
        return CustomerOutput(customer=customer)

    @staticmethod
    def resolve_createCustomerAddress(root, info, input):
        customer = require_customer(info)
        return customers.create_address(customer, _address_input(input))

    @staticmethod
    def resolve_updateCustomerAddress(root, info, id, input=None):
        # Magento checks the id and the input before the customer.
        if not id:
            raise DomainError("customer_address_id_missing")
        data = _address_input(input)
        if not data:
            raise DomainError("input_missing")
        customer = require_customer(info)
        return customers.update_address(customer, id, data)

    @staticmethod
    def resolve_deleteCustomerAddress(root, info, id):
        if not id:
            raise DomainError("customer_address_id_missing")
        customer = require_customer(info)
        customers.delete_address(customer, id)
        return True

    @staticmethod
    def resolve_changeCustomerPassword(root, info, currentPassword, newPassword):
        # Magento checks both values before the customer.
        if not currentPassword.strip():
            raise DomainError("invalid_input", message='Specify the "currentPassword" value.')
        if not newPassword.strip():
            raise DomainError("invalid_input", message='Specify the "newPassword" value.')
        customer = require_customer(info)
        return customers.change_password(customer, currentPassword, newPassword)

    @staticmethod
    def resolve_requestPasswordResetEmail(root, info, email):
        password_reset.request_reset(email)
        return True

    @staticmethod
    def resolve_resetPassword(root, info, email, resetPasswordToken, newPassword):
        password_reset.reset_password(email, resetPasswordToken, newPassword)
        return True
