"""One log line per GraphQL operation: which operation, never what it carried.

Logged: the operation type, its name (client-chosen, a GraphQL name: letters, digits, ``_``)
and the names of its root fields (``placeOrder``, ``cart``). Never the variables, argument
values or the response: they hold addresses, emails and tokens.
"""

import logging

from graphql.language import FieldNode, OperationDefinitionNode

logger = logging.getLogger("shop.graphql.operation")

MAX_FIELDS = 20


def log_operation(operation: OperationDefinitionNode | None) -> None:
    """Log the operation about to be executed (called by ``ShopGraphQLView``)."""
    if operation is None:
        logger.info("GraphQL operation not found in document")
        return
    kind = operation.operation.value
    name = operation.name.value if operation.name else "anonymous"
    fields = [
        selection.name.value
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode)
    ][:MAX_FIELDS]
    logger.info(
        "GraphQL %s %s (%s)",
        kind,
        name,
        ", ".join(fields),
        extra={"graphql_operation": name, "graphql_type": kind, "graphql_fields": fields},
    )
