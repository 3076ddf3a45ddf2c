"""Magento's ``contactUs`` mutation (ContactGraphQl). The shop has no contact form
(``storeConfig.contact_enabled`` is false), so it answers as Magento does for a disabled form:
"The contact form is unavailable.", before reading the input; nothing is sent or stored."""

import graphene

from shop.errors import DomainError


class ContactUsInput(graphene.InputObjectType):
    email = graphene.String(required=True, description="The email address of the shopper.")
    name = graphene.String(required=True, description="The full name of the shopper.")
    telephone = graphene.String(description="The shopper's telephone number.")
    comment = graphene.String(required=True, description="The shopper's comment to the merchant.")


class ContactUsOutput(graphene.ObjectType):
    status = graphene.Boolean(required=True, description="Indicates whether the request was successful.")


class ContactMutation(graphene.ObjectType):
    contactUs = graphene.Field(
        ContactUsOutput,
        input=ContactUsInput(required=True),
        description="Send a 'Contact Us' email to the merchant.",
    )

    @staticmethod
    def resolve_contactUs(root, info, input):
        raise DomainError("contact_form_unavailable")
