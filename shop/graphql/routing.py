"""Magento's ``route(url)`` and the deprecated ``urlResolver(url)``: what a storefront url
names (rules in ``shop.routing``). A url that names nothing answers null, as Magento."""

import graphene

from shop import routing

from .categories import category_tree
from .ids import encode_uid
from .routable import RoutableInterface, UrlRewriteEntityTypeEnum, with_route


class EntityUrl(graphene.ObjectType):
    """root: ``shop.routing.Route``"""

    id = graphene.Int(deprecation_reason="Use `entity_uid` instead.")
    entity_uid = graphene.ID()
    canonical_url = graphene.String(
        deprecation_reason="The canonical_url field is deprecated, use relative_url instead."
    )
    relative_url = graphene.String()
    redirectCode = graphene.Int(description="301 for a permanent redirect, 0 for none.")
    type = graphene.Field(UrlRewriteEntityTypeEnum)

    @staticmethod
    def resolve_id(route, info):
        return route.entity.pk

    @staticmethod
    def resolve_entity_uid(route, info):
        return encode_uid(route.entity.pk)

    @staticmethod
    def resolve_canonical_url(route, info):
        return route.relative_url

    @staticmethod
    def resolve_relative_url(route, info):
        return route.relative_url

    @staticmethod
    def resolve_redirectCode(route, info):
        return route.redirect_code

    @staticmethod
    def resolve_type(route, info):
        return route.type


class RoutingQuery(graphene.ObjectType):
    route = graphene.Field(
        RoutableInterface,
        url=graphene.String(required=True),
        description="Return the full details for a specified product, category, or CMS page given the "
        "specified url_key, appended by the url_suffix, if one exists.",
    )
    urlResolver = graphene.Field(
        EntityUrl,
        url=graphene.String(required=True),
        deprecation_reason="Use the 'route' query instead",
        description="Return the relative URL for a specified product, category or CMS page.",
    )

    @staticmethod
    def resolve_route(root, info, url):
        found = routing.resolve(url, category_tree(info))
        return with_route(found) if found is not None else None

    @staticmethod
    def resolve_urlResolver(root, info, url):
        return routing.resolve(url, category_tree(info))
