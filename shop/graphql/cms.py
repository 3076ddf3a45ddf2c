"""Magento's CMS queries: ``cmsPage(identifier)`` and ``cmsBlocks(identifiers)`` (rules in
``shop.cms``). Content is HTML sanitised when saved in the admin.

And Magento's ``contactUs`` mutation (ContactGraphQl). The shop has no contact form
(``storeConfig.contact_enabled`` is false), so it answers as Magento does for a disabled form:
"The contact form is unavailable.", before reading the input; nothing is sent or stored."""

import graphene

from shop import cms
from shop.errors import DomainError
from shop.models import CmsBlock as CmsBlockModel
from shop.models import CmsPage as CmsPageModel

from .routable import RoutableInterface


class CmsPage(graphene.ObjectType):
    """A CMS page (root: ``shop.models.CmsPage``)."""

    class Meta:
        interfaces = (RoutableInterface,)

    identifier = graphene.String()
    url_key = graphene.String()
    title = graphene.String()
    content = graphene.String()
    content_heading = graphene.String()
    page_layout = graphene.String()
    meta_title = graphene.String()
    meta_description = graphene.String()
    meta_keywords = graphene.String()

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, CmsPageModel)

    @staticmethod
    def resolve_url_key(page, info):
        return page.identifier

    # Magento answers null, not "", for an empty optional text.
    @staticmethod
    def resolve_content_heading(page, info):
        return page.content_heading or None

    @staticmethod
    def resolve_meta_title(page, info):
        return page.meta_title or None

    @staticmethod
    def resolve_meta_description(page, info):
        return page.meta_description or None

    @staticmethod
    def resolve_meta_keywords(page, info):
        return page.meta_keywords or None


class CmsBlock(graphene.ObjectType):
    """A CMS block (root: ``shop.models.CmsBlock``)."""

    identifier = graphene.String()
    title = graphene.String()
    content = graphene.String()

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, CmsBlockModel)


class CmsBlocks(graphene.ObjectType):
    items = graphene.List(CmsBlock, description="An array of CMS blocks.")

    # root: list of shop.cms.BlockLookup
    @staticmethod
    def resolve_items(found, info):
        # A missing block is a null item with its own error; the others are still answered.
        return [lookup.block if lookup.block is not None else lookup.error for lookup in found]


class CmsQuery(graphene.ObjectType):
    cmsPage = graphene.Field(
        CmsPage,
        id=graphene.Int(deprecation_reason="Use `identifier` instead."),
        identifier=graphene.String(),
        description="Return details about a CMS page.",
    )
    cmsBlocks = graphene.Field(
        CmsBlocks,
        identifiers=graphene.List(graphene.String),
        description="Return information about CMS blocks.",
    )

    @staticmethod
    def resolve_cmsPage(root, info, id=None, identifier=None):
        return cms.get_page(identifier=identifier, page_id=id)

    @staticmethod
    def resolve_cmsBlocks(root, info, identifiers=None):
        return cms.get_blocks(identifiers)


# --- contactUs --------------------------------------------------------------------------------------


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
