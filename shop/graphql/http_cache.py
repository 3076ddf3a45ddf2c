"""Which ``/graphql`` answers a shared cache (a CDN, Varnish) may keep, and the headers saying so.

An answer is public only when every one of these holds:

- it was asked with GET (Apollo sends queries so; a POST is never cached by a CDN anyway);
- the request carries no ``Authorization`` header (valid or not);
- the executed operation is a query and every root field it selects, reached through fragments
  and inline fragments and named by field name (never by alias), is in ``PUBLIC_ROOT_FIELDS``;
- the answer has no errors.

Everything else — a cart, a customer, a bearer token, a mutation, an error, a root field not in
the list (one added tomorrow included) — is ``private, no-store``. What a root field selects
below itself does not matter: a field named like a public one inside ``cart`` is still the cart.
"""

import hashlib

from django.utils.http import parse_etags
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
)

# Root query fields whose answer depends only on the store (the Store and Content-Currency
# headers) and the catalog, never on who asks. Some are served by later work; naming them here
# costs nothing, and a field not listed is private.
PUBLIC_ROOT_FIELDS = frozenset(
    {
        "products",
        "storeConfig",
        "availableStores",
        "currency",
        "countries",
        "country",
        "categories",
        "categoryList",
        "route",
        "urlResolver",
        "cmsPage",
        "cmsBlocks",
        "__schema",
        "__type",
        "__typename",
    }
)

PRIVATE = "private, no-store"
# The request headers that change a public answer: a cache keys its copies on them.
VARY = ("Store", "Content-Currency", "Authorization")


def root_field_names(document: DocumentNode, operation: OperationDefinitionNode) -> set[str] | None:
    """The names of the root fields ``operation`` selects, or None when a fragment it spreads is
    not in the document (validation refuses that; None keeps this function safe on its own)."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    names: set[str] = set()
    pending = [operation.selection_set]
    seen: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in fragments:
                    return None
                if name not in seen:
                    seen.add(name)
                    pending.append(fragments[name].selection_set)
    return names


def is_public_operation(document: DocumentNode | None, operation: OperationDefinitionNode | None) -> bool:
    """True when ``operation`` is a query that reads only public root fields."""
    if document is None or operation is None or operation.operation != OperationType.QUERY:
        return False
    names = root_field_names(document, operation)
    return bool(names) and names <= PUBLIC_ROOT_FIELDS


def etag_for(body: bytes) -> str:
    """A strong validator: the same bytes give the same tag on every process and host."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison; ``*`` matches any current representation."""
    if not if_none_match:
        return False
    candidates = parse_etags(if_none_match)
    if candidates == ["*"]:
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.removeprefix("W/") == bare for candidate in candidates)
