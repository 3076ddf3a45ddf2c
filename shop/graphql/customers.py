"""Customer accounts in Magento's GraphQL shape: ``customer``, ``createCustomer``,
``createCustomerV2``, ``generateCustomerToken`` and ``revokeCustomerToken``.

The customer is the one authenticated by ``Authorization: Bearer`` (``info.context.customer``,
set by ``shop.graphql.view``); resolvers call ``shop.customers`` and shape its answers.
"""

import graphene

from shop import customers
from shop.errors import DomainError

from .addresses import address_value, resolve_address_field
from .ids import encode_uid


def current_customer(info):
    return getattr(info.context, "customer", None)


def require_customer(info):
    customer = current_customer(info)
    if customer is None:
        raise DomainError("customer_not_authorized")
    return customer


class CustomerAddressRegion(graphene.ObjectType):
    region_code = graphene.String()
    region = graphene.String()
    region_id = graphene.Int()


class CustomerAddress(graphene.ObjectType):
    class Meta:
        default_resolver = resolve_address_field  # the one address table

    id = graphene.Int()
    uid = graphene.ID(required=True)
    firstname = graphene.String()
    lastname = graphene.String()
    company = graphene.String()
    street = graphene.List(graphene.String)
    city = graphene.String()
    region = graphene.Field(CustomerAddressRegion)
    region_id = graphene.Int()
    postcode = graphene.String()
    country_code = graphene.String()
    telephone = graphene.String()
    default_shipping = graphene.Boolean()
    default_billing = graphene.Boolean()
    middlename = graphene.String()
    prefix = graphene.String()
    suffix = graphene.String()
    fax = graphene.String()
    vat_id = graphene.String()
    country_id = graphene.String(deprecation_reason="Use `country_code` instead.")
    customer_id = graphene.Int(
        deprecation_reason="customer_id is not needed as part of CustomerAddress, address ID (id) is unique "
        "identifier for the addresses."
    )

    @staticmethod
    def resolve_customer_id(address, info):
        return None  # Magento 2.4 answers null: the address's id identifies it

    @staticmethod
    def resolve_country_id(address, info):
        return address.country_code

    @staticmethod
    def resolve_middlename(address, info):
        return address.middlename or None

    @staticmethod
    def resolve_prefix(address, info):
        return address.prefix or None

    @staticmethod
    def resolve_suffix(address, info):
        return address.suffix or None

    @staticmethod
    def resolve_fax(address, info):
        return address.fax or None

    @staticmethod
    def resolve_vat_id(address, info):
        return address.vat_id or None

    @staticmethod
    def resolve_uid(address, info):
        return encode_uid(address.pk)

    @staticmethod
    def resolve_region(address, info):
        return CustomerAddressRegion(
            region_code=address_value(address, "region_code"),
            region=address_value(address, "region_label"),
            region_id=address_value(address, "region_id"),
        )


class Customer(graphene.ObjectType):
    id = graphene.ID(required=True)
    firstname = graphene.String()
    lastname = graphene.String()
    email = graphene.String()
    created_at = graphene.String()
    addresses = graphene.List(CustomerAddress)
    default_shipping = graphene.String()
    default_billing = graphene.String()
    # ``orders`` is checkout's (``checkout.graphql.customer_orders``), added by the root schema.
    is_subscribed = graphene.Boolean(description="Whether the customer is subscribed to the newsletter.")
    is_confirmed = graphene.Boolean(
        required=True,
        description="Whether the account is confirmed: always, this store asks for no email confirmation.",
    )

    @staticmethod
    def resolve_is_subscribed(user, info):
        return customers.is_subscribed(user)

    @staticmethod
    def resolve_is_confirmed(user, info):
        return True

    @staticmethod
    def resolve_id(user, info):
        return encode_uid(user.pk)

    @staticmethod
    def resolve_firstname(user, info):
        return user.first_name

    @staticmethod
    def resolve_lastname(user, info):
        return user.last_name

    @staticmethod
    def resolve_created_at(user, info):
        return user.date_joined.strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def _addresses(user, info):
        cache = info.context.__dict__.setdefault("_customer_addresses", {})
        if user.pk not in cache:
            cache[user.pk] = customers.addresses_of(user)
        return cache[user.pk]

    @staticmethod
    def resolve_addresses(user, info):
        return Customer._addresses(user, info)

    @staticmethod
    def resolve_default_shipping(user, info):
        return next((str(a.pk) for a in Customer._addresses(user, info) if a.default_shipping), None)

    @staticmethod
    def resolve_default_billing(user, info):
        return next((str(a.pk) for a in Customer._addresses(user, info) if a.default_billing), None)


class CustomerToken(graphene.ObjectType):
    token = graphene.String()


class RevokeCustomerTokenOutput(graphene.ObjectType):
    result = graphene.Boolean(required=True)


class CustomerOutput(graphene.ObjectType):
    customer = graphene.Field(Customer, required=True)


class CustomerInput(graphene.InputObjectType):
    email = graphene.String()
    firstname = graphene.String()
    lastname = graphene.String()
    password = graphene.String()
    # Venia's CreateAccount and communications page send it: the stored newsletter consent.
    is_subscribed = graphene.Boolean()


class CustomerCreateInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    firstname = graphene.String(required=True)
    lastname = graphene.String(required=True)
    password = graphene.String()
    is_subscribed = graphene.Boolean()


class CustomerQuery(graphene.ObjectType):
    customer = graphene.Field(Customer)

    @staticmethod
    def resolve_customer(root, info):
        return require_customer(info)


def _create(input) -> CustomerOutput:
    user = customers.create_customer(
        email=input.get("email"),
        firstname=input.get("firstname"),
        lastname=input.get("lastname"),
        password=input.get("password"),
        is_subscribed=bool(input.get("is_subscribed")),
    )
    return CustomerOutput(customer=user)


class SubscriptionStatusesEnum(graphene.Enum):
    NOT_ACTIVE = "NOT_ACTIVE"
    SUBSCRIBED = "SUBSCRIBED"
    UNSUBSCRIBED = "UNSUBSCRIBED"
    UNCONFIRMED = "UNCONFIRMED"


class SubscribeEmailToNewsletterOutput(graphene.ObjectType):
    status = graphene.Field(SubscriptionStatusesEnum)


class CustomerMutation(graphene.ObjectType):
    subscribeEmailToNewsletter = graphene.Field(
        SubscribeEmailToNewsletterOutput, email=graphene.String(required=True)
    )

    generateCustomerToken = graphene.Field(
        CustomerToken, email=graphene.String(required=True), password=graphene.String(required=True)
    )
    revokeCustomerToken = graphene.Field(RevokeCustomerTokenOutput)
    createCustomer = graphene.Field(
        CustomerOutput,
        input=CustomerInput(required=True),
        deprecation_reason="Use `createCustomerV2` instead.",
    )
    createCustomerV2 = graphene.Field(CustomerOutput, input=CustomerCreateInput(required=True))

    @staticmethod
    def resolve_subscribeEmailToNewsletter(root, info, email):
        status = customers.subscribe_email_to_newsletter(email, current_customer(info))
        return SubscribeEmailToNewsletterOutput(status=status)

    @staticmethod
    def resolve_generateCustomerToken(root, info, email, password):
        user = customers.authenticate_customer(email, password)
        return CustomerToken(token=customers.issue_token(user).token)

    @staticmethod
    def resolve_revokeCustomerToken(root, info):
        customers.revoke_customer_tokens(require_customer(info))
        return RevokeCustomerTokenOutput(result=True)

    @staticmethod
    def resolve_createCustomer(root, info, input):
        return _create(input)

    @staticmethod
    def resolve_createCustomerV2(root, info, input):
        return _create(input)
