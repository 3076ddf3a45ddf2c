"""Typed domain errors. Domain code raises these with a code and parameters; the code names
Magento's exact message and category in the one table (``shop.error_messages``), which the
GraphQL edge (``shop.graphql_errors``) and the storefront pages show."""

from .error_messages import message_for


class DomainError(Exception):
    """Base for errors a shopper can act on. ``code`` names the fault, ``params`` fill the message."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code, params)

    def __str__(self):
        return message_for(self)
