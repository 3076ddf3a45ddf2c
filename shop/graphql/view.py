"""The ``/graphql`` endpoint: graphene-django's view with Magento's error envelope.

- Domain errors raised anywhere in a resolver become Magento's message with
  ``extensions.category`` (one mapping: ``shop.graphql_errors``).
- Anything unexpected is logged with its traceback and answered as a generic
  "Internal server error" — never a 500 page, never a traceback in the response.
- Authentication is only ``Authorization: Bearer`` (no cookies), so the endpoint is exempt
  from CSRF: a browser cannot be tricked into sending a bearer token cross-site.
"""

import json
import logging
from collections import OrderedDict
from threading import Lock

import orjson
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, parse, specified_rules, validate
from graphql.execution import ExecutionResult

from shop.customers import InvalidToken, customer_from_request
from shop.error_messages import category_for, message_for
from shop.errors import DomainError
from shop.graphql.limits import DepthLimitRule, MaxFieldsRule
from shop.graphql_log import log_operation

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


class DocumentCache:
    """Parsed and validated documents by query text. Clients send the same few documents over
    and over; parsing and validating them is most of a small request's CPU. Bounded LRU; a
    pure function of the query text and the schema, so per-process copies never disagree."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, schema, query: str, rules):
        with self._lock:
            hit = self._items.get(query)
            if hit is not None:
                self._items.move_to_end(query)
                return hit
        try:
            document = parse(query)
        except GraphQLError as error:
            return None, [error]
        errors = validate(schema, document, rules, max_errors=50)
        entry = (document, errors)
        with self._lock:
            self._items[query] = entry
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return entry


_documents = DocumentCache(size=512)


def _has_nul(value) -> bool:
    """True when a NUL character hides in the query text (raw or as a \\u0000 escape) or in
    any string of the variables."""
    if isinstance(value, str):
        return "\x00" in value or "\\u0000" in value.lower()
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


UNAUTHORIZED_BODY = json.dumps(
    {
        "errors": [
            {
                "message": message_for(DomainError("customer_not_authorized")),
                "extensions": {"category": category_for(DomainError("customer_not_authorized"))},
            }
        ]
    }
)


@method_decorator(csrf_exempt, name="dispatch")
class ShopGraphQLView(GraphQLView):
    validation_rules = (*specified_rules, DepthLimitRule, MaxFieldsRule)

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            return format_error(error)
        return GraphQLView.format_error(error)

    def dispatch(self, request, *args, **kwargs):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.GRAPHQL_MAX_BODY_BYTES:
            return HttpResponse(
                '{"errors":[{"message":"Request body is too large."}]}',
                status=413,
                content_type="application/json",
            )
        # The customer comes from the bearer token only: the session cookie's user (a staff
        # admin, or a shopper signed in on the storefront) is never a customer here.
        try:
            request.customer = customer_from_request(request)
        except InvalidToken:
            # Magento refuses a bad token for every operation rather than running it as a
            # guest: a client that believes it acts as a customer must learn it does not.
            return HttpResponse(UNAUTHORIZED_BODY, status=401, content_type="application/json")
        # graphene-django wraps dispatch in ensure_csrf_cookie: a fresh masked CSRF token and a
        # Set-Cookie on every API response (~40% of a trivial request's CPU). This endpoint is
        # bearer-only and CSRF-exempt; the storefront's pages set the cookie their forms need.
        return GraphQLView.dispatch.__wrapped__(self, request, *args, **kwargs)

    def json_encode(self, request, d, pretty=False):
        # orjson: about a fifth of the CPU of json.dumps for a cart response. Anything it cannot
        # encode (an int beyond 64 bits) falls back to the standard encoder.
        if not (self.pretty or pretty) and not request.GET.get("pretty"):
            try:
                return orjson.dumps(d, option=orjson.OPT_NON_STR_KEYS)
            except TypeError:
                pass
        return super().json_encode(request, d, pretty)

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except RecursionError:  # "[[[[..." nested deeper than json.loads can follow
            raise HttpError(HttpResponseBadRequest("POST body sent invalid JSON.")) from None

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if not query:
            return super().execute_graphql_request(
                request, data, query, variables, operation_name, show_graphiql
            )
        if not isinstance(query, str):
            # {"query": 5} is a client error, not a TypeError (a 500) further down.
            return ExecutionResult(errors=[GraphQLError("The query must be a string.")])
        if variables is not None and not isinstance(variables, dict):
            # {"variables": [1]} or NaN is a client error, not a TypeError in execute().
            return ExecutionResult(errors=[GraphQLError("Variables must be a JSON object.")])
        if len(query) > settings.GRAPHQL_MAX_QUERY_LENGTH:
            return ExecutionResult(errors=[GraphQLError("The query is too long.")])
        if _has_nul(query) or _has_nul(variables):
            # No text column can store NUL (PostgreSQL refuses it): refuse it at the door.
            return ExecutionResult(
                errors=[
                    GraphQLError(
                        "Input must not contain NUL characters.", extensions={"category": "graphql-input"}
                    )
                ]
            )
        schema = self.schema.graphql_schema
        document, errors = _documents.get(schema, query, self.validation_rules)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        from graphql import OperationType, execute, get_operation_ast

        operation = get_operation_ast(document, operation_name)
        log_operation(operation)  # name and root fields only, never variables
        if (
            request.method.lower() == "get"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            from django.http import HttpResponseNotAllowed

            raise HttpError(
                HttpResponseNotAllowed(["POST"], "Can only perform a query operation from a GET request.")
            )
        try:
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
            )
        except Exception as error:  # variables errors surface as GraphQLError, the rest is logged
            return ExecutionResult(
                errors=[
                    error
                    if isinstance(error, GraphQLError)
                    else GraphQLError(str(error), original_error=error)
                ]
            )
