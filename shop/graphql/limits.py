"""Validation rules that bound the work one GraphQL document can ask for."""

from django.conf import settings
from graphql import GraphQLError
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode
from graphql.validation import ValidationRule


def _depth(node, fragments, seen) -> int:
    selection_set = getattr(node, "selection_set", None)
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + _depth(selection, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue
            deepest = max(deepest, _depth(fragments[name], fragments, seen | {name}))
    return deepest


def _count_fields(node, fragments, seen) -> int:
    selection_set = getattr(node, "selection_set", None)
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += 1 + _count_fields(selection, fragments, seen)
        elif isinstance(selection, InlineFragmentNode):
            total += _count_fields(selection, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                total += _count_fields(fragments[name], fragments, seen | {name})
    return total


class DepthLimitRule(ValidationRule):
    """Refuse documents nested deeper than GRAPHQL_MAX_DEPTH."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_):
        fragments = {
            f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")
        }
        depth = _depth(node, fragments, frozenset())
        if depth > settings.GRAPHQL_MAX_DEPTH:
            self.report_error(
                GraphQLError(
                    f"The query is too deep: {depth} levels, at most {settings.GRAPHQL_MAX_DEPTH} allowed.",
                    node,
                )
            )


class MaxFieldsRule(ValidationRule):
    """Refuse documents selecting more than GRAPHQL_MAX_FIELDS fields (fragments expanded),
    which bounds alias amplification."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_):
        fragments = {
            f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")
        }
        count = _count_fields(node, fragments, frozenset())
        if count > settings.GRAPHQL_MAX_FIELDS:
            self.report_error(
                GraphQLError(
                    f"The query selects too many fields: {count}, at most {settings.GRAPHQL_MAX_FIELDS}.",
                    node,
                )
            )
