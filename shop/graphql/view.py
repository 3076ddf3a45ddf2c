"""The ``/graphql`` endpoint: graphene-django's view with Magento's error envelope.

- Domain errors raised anywhere in a resolver become Magento's message with
  ``extensions.category`` (one mapping: ``shop.graphql_errors``).
- Anything unexpected is logged with its traceback and answered as a generic
  "Internal server error" — never a 500 page, never a traceback in the response.
- Authentication is only ``Authorization: Bearer`` (no cookies), so the endpoint is exempt
  from CSRF: a browser cannot be tricked into sending a bearer token cross-site.
"""

import logging

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import GraphQLError

from shop.errors import DomainError
from shop.graphql_errors import category_for, message_for

logger = logging.getLogger("shop.graphql")


def format_error(error: GraphQLError) -> dict:
    formatted = error.formatted
    original = error.original_error
    if isinstance(original, DomainError):
        formatted["message"] = message_for(original)
        formatted["extensions"] = {"category": category_for(original), **(error.extensions or {})}
    elif original is not None and not isinstance(original, GraphQLError):
        logger.error("Unhandled error in GraphQL resolver %s", error.path, exc_info=original)
        formatted["message"] = "Internal server error"
        formatted["extensions"] = {"category": "internal"}
    return formatted


@method_decorator(csrf_exempt, name="dispatch")
class ShopGraphQLView(GraphQLView):
    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            return format_error(error)
        return GraphQLView.format_error(error)
