"""Magento's ``RoutableInterface`` (what ``route`` answers): products, categories and CMS pages
implement it. Outside ``route`` the fields describe the entity's own url (redirect code 0);
``route`` puts its answer on the entity (``with_route``) so an old url's 301 shows."""

import graphene

from shop import routing


class UrlRewriteEntityTypeEnum(graphene.Enum):
    CMS_PAGE = routing.CMS_PAGE
    PRODUCT = routing.PRODUCT
    CATEGORY = routing.CATEGORY


def with_route(route: routing.Route):
    """The routed entity carrying the route's url and redirect code."""
    route.entity._route = route
    return route.entity


class RoutableInterface(graphene.Interface):
    relative_url = graphene.String(
        description="The internal relative URL. If the specified URL is a redirect, the query returns "
        "the redirected URL, not the original."
    )
    redirect_code = graphene.Int(
        required=True,
        description="0 when there is no redirect; 301 when the requested url has moved permanently.",
    )
    type = graphene.Field(UrlRewriteEntityTypeEnum, description="One of PRODUCT, CATEGORY, or CMS_PAGE.")

    @staticmethod
    def resolve_relative_url(entity, info):
        route = getattr(entity, "_route", None)
        return route.relative_url if route is not None else routing.current_url(entity)

    @staticmethod
    def resolve_redirect_code(entity, info):
        route = getattr(entity, "_route", None)
        return route.redirect_code if route is not None else 0

    @staticmethod
    def resolve_type(entity, info):
        return routing.entity_type(entity)
