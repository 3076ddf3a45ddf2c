"""The GraphQL view tells graphql-core that no resolver returns an awaitable (it skips the check on
every field). That holds only while every resolver of the schema is a plain function: an ``async``
resolver would hand its coroutine object to the serializer. These tests fail if one appears."""

import ast
import functools
import inspect
from pathlib import Path

from graphql import GraphQLObjectType

from shop.schema import schema

ROOT = Path(__file__).resolve().parents[2]
APPS = ("shop", "cart", "checkout", "payments_klarna")


def _unwrap(resolver):
    while isinstance(resolver, functools.partial):
        resolver = resolver.func
    return inspect.unwrap(resolver)


def test_no_resolver_of_the_schema_is_a_coroutine_function():
    checked, asynchronous = 0, []
    for type_ in schema.graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            if field.resolve is None:
                continue
            checked += 1
            function = _unwrap(field.resolve)
            if inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function):
                asynchronous.append(f"{type_.name}.{name}")
    assert checked > 50  # the walk saw the schema's resolvers
    assert asynchronous == []


def test_no_async_def_in_the_graphql_modules():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "graphql" not in path.parts and path.name not in ("schema.py", "types.py"):
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.AsyncFunctionDef)
            ]
    assert found == []


def test_a_coroutine_returned_by_a_resolver_would_be_caught(monkeypatch):
    """The first test's detector is live: an async function is flagged."""

    async def resolver(root, info):
        return None

    assert inspect.iscoroutinefunction(_unwrap(functools.partial(resolver, None)))
