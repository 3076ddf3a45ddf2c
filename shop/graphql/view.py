"""The ``/graphql`` endpoint: graphene-django's view with Magento's transport and error envelope.

- Queries run over GET (``query``, ``operationName``, ``variables`` in the query string, whatever
  ``Content-Type`` the client sends, as Apollo does) and POST; mutations only over POST.
- The ``Store`` and ``Content-Currency`` headers are checked as Magento's request validators do.
- Every answer says whether a shared cache may keep it (``shop.graphql.http_cache``): public
  catalog and store reads over GET, everything else ``private, no-store``.
- Requests refused before any resolver runs get Magento's message and category, never a 500;
  nothing is executed, so nothing is written.
- Domain errors raised anywhere in a resolver become Magento's message with
  ``extensions.category`` (one mapping: ``shop.graphql_errors``).
- Anything unexpected is logged with its traceback and answered as a generic
  "Internal server error" — never a 500 page, never a traceback in the response.
- Authentication is only ``Authorization: Bearer`` (no cookies), so the endpoint is exempt
  from CSRF: a browser cannot be tricked into sending a bearer token cross-site.
"""

import json
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

import orjson
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, OperationType, execute, get_operation_ast, parse, specified_rules, validate
from graphql.execution import ExecutionResult

from shop.customers import InvalidToken, customer_from_request
from shop.error_messages import category_for, message, message_for
from shop.errors import DomainError
from shop.graphql import http_cache
from shop.graphql.limits import DepthLimitRule, MaxFieldsRule
from shop.graphql_log import log_operation
from shop.store import available_currency_codes, find_store, use_store

logger = logging.getLogger("shop.graphql")

# graphql-core: "Field 'X.y' of required type 'T!' was not provided." (webonyx has no quotes).
_FIELD_NOT_PROVIDED = re.compile(r"^Field '([\w.]+)' of required type '([^']+)' was not provided\.$")
_ARGUMENT_NOT_PROVIDED = re.compile(
    r"^Field '(\w+)' argument '(\w+)' of type '([^']+)' is required, but it was not provided\.$"
)


def format_error(error: GraphQLError) -> dict:
    formatted = error.formatted
    original = error.original_error
    if isinstance(original, DomainError):
        formatted["message"] = message_for(original)
        formatted["extensions"] = {"category": category_for(original), **(error.extensions or {})}
    elif original is None and (missing := _FIELD_NOT_PROVIDED.match(formatted["message"])):
        formatted["message"] = message("input_field_not_provided", field=missing[1], type=missing[2])
    elif original is None and (missing := _ARGUMENT_NOT_PROVIDED.match(formatted["message"])):
        formatted["message"] = message(
            "argument_not_provided", field=missing[1], argument=missing[2], type=missing[3]
        )
    elif original is not None and not isinstance(original, GraphQLError):
        logger.error("Unhandled error in GraphQL resolver %s", error.path, exc_info=original)
        formatted["message"] = "Internal server error"
        formatted["extensions"] = {"category": "internal"}
    return formatted


def _never_awaitable(value) -> bool:
    """Every resolver of this schema is synchronous (tests/shop/test_graphql_sync.py keeps it so):
    telling graphql-core saves its awaitable check on every field it resolves."""
    return False


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


def unauthorized_body(code: str) -> str:
    """The 401 answer to a bad bearer token: one error, Magento's message for ``code``."""
    error = DomainError(code)
    return json.dumps(
        {"errors": [{"message": message_for(error), "extensions": {"category": category_for(error)}}]}
    )


class RequestRefused(Exception):
    """A request refused before any resolver runs: a domain error and the HTTP status to answer.

    Magento answers its request validators' errors (mutation over GET, unknown store, wrong
    currency) with 200 and ``graphql-input``; malformed requests get 400 (414 for a query
    string too long to read)."""

    def __init__(self, error: DomainError, status: int):
        super().__init__(error.code)
        self.error = error
        self.status = status


@dataclass(frozen=True)
class GraphQLParams:
    query: object
    variables: object
    operation_name: str | None


@dataclass(frozen=True)
class Outcome:
    """What executing one request gave, and whether a shared cache may keep the answer."""

    result: ExecutionResult
    public: bool = False


@method_decorator(csrf_exempt, name="dispatch")
class ShopGraphQLView(GraphQLView):
    validation_rules = (*specified_rules, DepthLimitRule, MaxFieldsRule)
    # Same files as graphene-django's template, served from static_debug/graphiql/ (no CDN).
    graphiql_template = "shop/graphiql.html"

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            return format_error(error)
        return GraphQLView.format_error(error)

    def dispatch(self, request, *args, **kwargs):
        # graphene-django's dispatch is not called: it is wrapped in ensure_csrf_cookie (a fresh
        # masked CSRF token and a Set-Cookie on every answer, ~40% of a trivial request's CPU,
        # and no cache could keep such an answer). This endpoint is bearer-only and CSRF-exempt.
        response = self.answer(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = http_cache.PRIVATE
        patch_vary_headers(response, http_cache.VARY)
        return response

    def answer(self, request) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            response = self.error_response(request, "GraphQL only supports GET and POST requests.", 405)
            response["Allow"] = "GET, POST"
            return response
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.GRAPHQL_MAX_BODY_BYTES:
            return self.error_response(request, "Request body is too large.", 413)
        # The customer comes from the bearer token only: the session cookie's user (a staff
        # admin, or a shopper signed in on the storefront) is never a customer here.
        try:
            request.customer = customer_from_request(request)
        except InvalidToken as invalid:
            # Magento refuses a bad token for every operation rather than running it as a
            # guest: a client that believes it acts as a customer must learn it does not.
            return HttpResponse(unauthorized_body(invalid.code), status=401, content_type="application/json")
        if self.shows_graphiql(request):
            return self.render_graphiql(request, **self.graphiql_context())
        try:
            outcome = self.run(request, self.read_params(request))
        except RequestRefused as refused:
            return self.refusal_response(request, refused)
        except HttpError as error:  # graphene-django's body parsing: invalid JSON and the like
            return self.error_response(request, error.message, error.response.status_code)
        return self.result_response(request, outcome)

    # --- reading the request ---------------------------------------------------------------------

    def read_params(self, request) -> GraphQLParams:
        if request.method == "GET":
            # A GET's body and Content-Type mean nothing (Apollo sends application/json with
            # no body): everything is in the query string, bounded before it is decoded further.
            if len(request.META.get("QUERY_STRING", "")) > settings.GRAPHQL_MAX_QUERY_LENGTH:
                raise RequestRefused(DomainError("query_too_long"), 414)
            data = {}
        else:
            data = self.parse_body(request)
        query = request.GET.get("query") or data.get("query")
        variables = request.GET.get("variables") or data.get("variables")
        if variables and isinstance(variables, str):
            try:
                variables = json.loads(variables)
            except (ValueError, RecursionError):
                raise RequestRefused(DomainError("variables_unparsable"), 400) from None
        operation_name = request.GET.get("operationName") or data.get("operationName")
        if operation_name == "null":
            operation_name = None
        return GraphQLParams(query=query, variables=variables, operation_name=operation_name)

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except RecursionError:  # "[[[[..." nested deeper than json.loads can follow
            raise HttpError(HttpResponseBadRequest("POST body sent invalid JSON.")) from None

    @staticmethod
    def check_store_headers(request):
        """Magento's StoreValidator and CurrencyValidator: a store of ``shop.store`` (the
        default one without the header), in that store's currency. Resolved once per request
        (``request.store``; ``shop.store.current_store()`` while the operation runs)."""
        store = find_store(request.headers.get("Store"))
        if store is None:
            raise RequestRefused(DomainError("store_not_found"), 200)
        currency = request.headers.get("Content-Currency", "").strip().upper()
        if currency and currency not in available_currency_codes(store):
            raise RequestRefused(DomainError("currency_invalid"), 200)
        request.store = store
        return store

    # --- executing -------------------------------------------------------------------------------

    def run(self, request, params: GraphQLParams) -> Outcome:
        query, variables, operation_name = params.query, params.variables, params.operation_name
        if not query:
            raise RequestRefused(DomainError("query_missing"), 400)
        if not isinstance(query, str):
            # {"query": 5} is a client error, not a TypeError (a 500) further down.
            raise RequestRefused(DomainError("query_not_string"), 400)
        if variables is not None and not isinstance(variables, dict):
            # {"variables": [1]} or NaN is a client error, not a TypeError in execute().
            raise RequestRefused(DomainError("variables_not_object"), 400)
        if len(query) > settings.GRAPHQL_MAX_QUERY_LENGTH:
            raise RequestRefused(DomainError("query_too_long"), 400)
        if _has_nul(query) or _has_nul(variables):
            # No text column can store NUL (PostgreSQL refuses it): refuse it at the door.
            raise RequestRefused(DomainError("input_nul"), 400)
        schema = self.schema.graphql_schema
        document, errors = _documents.get(schema, query, self.validation_rules)
        if document is None:  # a syntax error
            return Outcome(ExecutionResult(data=None, errors=errors))
        operation = get_operation_ast(document, operation_name)
        if operation_name and operation is None:
            raise RequestRefused(DomainError("operation_unknown", name=operation_name), 400)
        log_operation(operation)  # name and root fields only, never variables
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            raise RequestRefused(DomainError("mutation_over_get"), 200)
        store = self.check_store_headers(request)
        if errors:
            return Outcome(ExecutionResult(data=None, errors=errors))
        try:
            with use_store(store):
                result = execute(
                    schema,
                    document,
                    root_value=self.get_root_value(request),
                    context_value=self.get_context(request),
                    variable_values=variables,
                    operation_name=operation_name,
                    middleware=self.get_middleware(request),
                    is_awaitable=_never_awaitable,
                )
        except Exception as error:  # variables errors surface as GraphQLError, the rest is logged
            result = ExecutionResult(
                errors=[
                    error
                    if isinstance(error, GraphQLError)
                    else GraphQLError(str(error), original_error=error)
                ]
            )
        public = (
            request.method == "GET"
            and "HTTP_AUTHORIZATION" not in request.META
            and not result.errors
            and http_cache.is_public_operation(document, operation)
        )
        return Outcome(result, public)

    # --- answering -------------------------------------------------------------------------------

    def result_response(self, request, outcome: Outcome) -> HttpResponse:
        result = outcome.result
        body = {}
        status = 200
        if result.errors:
            body["errors"] = [self.format_error(error) for error in result.errors]
        if result.errors and any(not getattr(error, "path", None) for error in result.errors):
            status = 400  # the document never ran (graphene-django's rule)
        else:
            body["data"] = result.data
        content = self.json_encode(request, body)
        response = HttpResponse(content, status=status, content_type="application/json")
        if outcome.public and status == 200:
            etag = http_cache.etag_for(content)
            response["Cache-Control"] = f"public, max-age={settings.GRAPHQL_CACHE_MAX_AGE}"
            response["ETag"] = etag
            if http_cache.etag_matches(request.headers.get("If-None-Match"), etag):
                not_modified = HttpResponseNotModified()
                not_modified["Cache-Control"] = response["Cache-Control"]
                not_modified["ETag"] = etag
                return not_modified
        return response

    def refusal_response(self, request, refused: RequestRefused) -> HttpResponse:
        error = {
            "message": message_for(refused.error),
            "extensions": {"category": category_for(refused.error)},
        }
        return HttpResponse(
            self.json_encode(request, {"errors": [error]}),
            status=refused.status,
            content_type="application/json",
        )

    def error_response(self, request, message: str, status: int) -> HttpResponse:
        return HttpResponse(
            self.json_encode(request, {"errors": [{"message": message}]}),
            status=status,
            content_type="application/json",
        )

    def json_encode(self, request, d, pretty=False):
        # orjson: about a fifth of the CPU of json.dumps for a cart response. Anything it cannot
        # encode (an int beyond 64 bits) falls back to the standard encoder.
        if not (self.pretty or pretty) and not request.GET.get("pretty"):
            try:
                return orjson.dumps(d, option=orjson.OPT_NON_STR_KEYS)
            except TypeError:
                pass
        return super().json_encode(request, d, pretty)

    # --- GraphiQL ----------------------------------------------------------------------------------

    def shows_graphiql(self, request) -> bool:
        """GraphiQL for a browser's GET while DEBUG (read per request, so tests can turn it on)."""
        return (
            settings.DEBUG
            and request.method == "GET"
            and "raw" not in request.GET
            and self.request_wants_html(request)
        )

    def graphiql_context(self) -> dict:
        """The files graphene-django's template loads from a CDN, here from static_debug/graphiql/
        (same versions, same integrity hashes: the browser refuses a byte that differs)."""
        graphiql = f"graphiql/graphiql-{self.graphiql_version}/"
        explorer = f"graphiql/plugin-explorer-{self.graphiql_plugin_explorer_version}/"
        return {
            "stylesheets": [
                (static(graphiql + "graphiql.min.css"), self.graphiql_css_sri),
                (static(explorer + "style.css"), self.graphiql_plugin_explorer_css_sri),
            ],
            "scripts": [
                (static(f"graphiql/react-{self.react_version}/react.production.min.js"), self.react_sri),
                (
                    static(f"graphiql/react-dom-{self.react_version}/react-dom.production.min.js"),
                    self.react_dom_sri,
                ),
                (static(graphiql + "graphiql.min.js"), self.graphiql_sri),
                (
                    static(
                        f"graphiql/graphql-ws-{self.subscriptions_transport_ws_version}/graphql-ws.min.js"
                    ),
                    self.subscriptions_transport_ws_sri,
                ),
                (static(explorer + "graphiql-plugin-explorer.umd.js"), self.graphiql_plugin_explorer_sri),
            ],
            "subscription_path": self.subscription_path,
            "graphiql_header_editor_enabled": graphene_settings.GRAPHIQL_HEADER_EDITOR_ENABLED,
            "graphiql_should_persist_headers": graphene_settings.GRAPHIQL_SHOULD_PERSIST_HEADERS,
            "graphiql_input_value_deprecation": graphene_settings.GRAPHIQL_INPUT_VALUE_DEPRECATION,
        }
