"""``createKlarnaPaymentsSession``: exactly Klarna_KpGraphQl's SDL (magento-graphql.md §1.1).

The resolver validates input in Magento's order, loads the cart like every cart operation
and calls ``payments_klarna.services.open_session``; messages come from shop.graphql_errors.
"""

import graphene
from django.conf import settings

from cart import services as cart_services
from cart.graphql.schema import current_customer
from payments_klarna import services
from shop.errors import DomainError


class createKlarnaPaymentsSessionInput(graphene.InputObjectType):  # noqa: N801 - Klarna's name
    cart_id = graphene.String(required=True)


class Assets(graphene.ObjectType):
    descriptive = graphene.String()
    standard = graphene.String()


class Categories(graphene.ObjectType):
    identifier = graphene.String(required=True)
    name = graphene.String(required=True)
    asset_urls = graphene.List(Assets)

    @staticmethod
    def resolve_asset_urls(category, info):
        if not (category.asset_url_descriptive or category.asset_url_standard):
            return []
        return [
            Assets(
                descriptive=_absolute(info, category.asset_url_descriptive),
                standard=_absolute(info, category.asset_url_standard),
            )
        ]


def _absolute(info, url: str | None) -> str | None:
    """Klarna's asset URLs are absolute; the in-process emulator's are paths on this shop
    (``/klarna-emulator/...``), made absolute on the origin the client called us on."""
    if url and url.startswith("/") and not url.startswith("//"):
        return info.context.build_absolute_uri(url)
    return url


class CreateKlarnaPaymentsSessionOutput(graphene.ObjectType):
    client_token = graphene.String()
    payment_method_categories = graphene.List(Categories)


class KlarnaMutation(graphene.ObjectType):
    createKlarnaPaymentsSession = graphene.Field(
        CreateKlarnaPaymentsSessionOutput, input=createKlarnaPaymentsSessionInput()
    )

    @staticmethod
    def resolve_createKlarnaPaymentsSession(root, info, input=None):
        cart_id = (input or {}).get("cart_id")
        if not cart_id:
            raise DomainError("klarna_cart_id_missing")
        if not settings.KLARNA_ENABLED:
            raise DomainError("klarna_not_active")
        cart = cart_services.get_cart_for_user(cart_id, current_customer(info))
        session = services.open_session(cart)
        return CreateKlarnaPaymentsSessionOutput(
            client_token=session.client_token,
            payment_method_categories=services.stored_categories(session),
        )
