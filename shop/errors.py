"""Typed domain errors. Domain code raises these with a code and parameters; the GraphQL edge
(``shop.graphql_errors``) turns each code into Magento's exact message and category."""


class DomainError(Exception):
    """Base for errors a shopper can act on. ``code`` names the fault, ``params`` fill the message."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code, params)

    def __str__(self):
        from shop.graphql_errors import message_for

        return message_for(self)
