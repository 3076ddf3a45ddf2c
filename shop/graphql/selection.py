"""Whether a query selects a field below the one being resolved, through fragments too: lets a
resolver fetch related rows for a whole page only when the client asked for them."""

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode


def selects(info, *path: str) -> bool:
    """True when the selection under the current field reaches ``path`` (e.g. "items", "categories")."""
    nodes = list(info.field_nodes)
    for name in path:
        nodes = [
            field
            for node in nodes
            for field in _fields(node.selection_set, info.fragments)
            if field.name.value == name
        ]
        if not nodes:
            return False
    return True


def _fields(selection_set, fragments):
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments)
