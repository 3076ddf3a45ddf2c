"""An offline, faithful fake of Klarna Payments v1, Order Management v1 and the KP JS SDK.

State lives in the database (app label ``klarna_emulator``) so several server processes share
it. Nothing in the shop imports this package except URL wiring (``shop/urls.py``), the client's
transport set-up (``klarna_emulator.transport.mount``) and tests. See README.md here for
the market and category tables and for what the emulator does not model.
"""


def __getattr__(name):
    # ``from klarna_emulator import mount, BASE_URL`` without importing Django models
    # while the app registry loads this package.
    if name in ("mount", "BASE_URL", "EmulatorAdapter"):
        from . import transport

        return getattr(transport, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
