"""What Klarna mode this process runs in, for operators: ``manage.py check --deploy`` and ``/readyz``.

Settings already refuse to start a DEBUG=false process that would pay with the emulator by
default or call Klarna without credentials (shop/settings.py). What is left to say here: which
mode runs, and, as a deploy error, the one explicit escape hatch (the emulator with DEBUG=false,
``KLARNA_EMULATOR_WITHOUT_DEBUG``) that must never reach a real shop.
"""

from django.conf import settings
from django.core.checks import Error, Info, Tags, register


def klarna_mode() -> dict:
    """The Klarna mode as JSON for /readyz: environment, whether Klarna is offered, and what is
    wrong (``ok`` false) if it cannot take payments. ``calls_klarna`` is false: the probe never
    calls Klarna (a slow Klarna must not take the shop out of the load balancer)."""
    environment = settings.KLARNA_ENVIRONMENT
    mode = {"environment": environment, "enabled": settings.KLARNA_ENABLED, "calls_klarna": False}
    if environment == "emulator":
        if settings.KLARNA_EMULATOR_WITHOUT_DEBUG:
            mode["warning"] = "Klarna emulator with DEBUG=false: orders are paid by nobody"
        return {"ok": True, **mode}
    if settings.KLARNA_ENABLED and not (settings.KLARNA_API_USERNAME and settings.KLARNA_API_PASSWORD):
        return {"ok": False, **mode, "error": "KLARNA_API_USERNAME/KLARNA_API_PASSWORD not set"}
    return {"ok": True, **mode}


@register(Tags.security, deploy=True)
def check_klarna_mode(app_configs=None, **kwargs):
    environment = settings.KLARNA_ENVIRONMENT
    if environment == "emulator":
        return [
            Error(
                "Klarna runs in emulator mode: orders are paid by nobody.",
                hint="Set KLARNA_ENVIRONMENT=playground or production with KLARNA_API_USERNAME and "
                "KLARNA_API_PASSWORD, or KLARNA_ENABLED=false.",
                id="payments_klarna.E001",
            )
        ]
    if not settings.KLARNA_ENABLED:
        return [Info("Klarna is turned off (KLARNA_ENABLED=false).", id="payments_klarna.I001")]
    if not (settings.KLARNA_API_USERNAME and settings.KLARNA_API_PASSWORD):
        return [
            Error(
                f"KLARNA_ENVIRONMENT={environment} without KLARNA_API_USERNAME/KLARNA_API_PASSWORD.",
                id="payments_klarna.E002",
            )
        ]
    return [
        Info(
            f"Klarna: {environment} (region {settings.KLARNA_REGION}"
            + (f", API {settings.KLARNA_API_URL}" if settings.KLARNA_API_URL else "")
            + ").",
            id="payments_klarna.I002",
        )
    ]


def klarna_account(name: str) -> dict | None:
    """The credentials and region of a store's Klarna account as a dict; None when missing."""
    from .accounts import find_account

    found = find_account(name)
    if found is None:
        return None
    return {"username": found.username, "password": found.password, "region": found.region}


def missing_klarna_accounts() -> list[tuple[str, str]]:
    """(store code, account name) of every active store whose Klarna account is not configured."""
    from shop.store import all_stores

    return [(s.code, s.klarna_account) for s in all_stores() if klarna_account(s.klarna_account) is None]


@register()
def check_store_klarna_accounts(app_configs=None, **kwargs):
    """A store naming a Klarna account that the environment does not define is refused at start
    (runserver, migrate, check), not at its first checkout."""
    if not settings.KLARNA_ENABLED or settings.KLARNA_ENVIRONMENT in {"emulator", "disabled"}:
        return []
    from django.db import DatabaseError

    try:
        missing = missing_klarna_accounts()
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return [
        Error(
            f'Store "{code}" uses Klarna account "{name}", which is not configured.',
            hint=f"Set KLARNA_{name}_API_USERNAME and KLARNA_{name}_API_PASSWORD (and KLARNA_{name}_REGION: "
            "eu, na or oc) in the environment, or name another account on the store.",
            id="payments_klarna.E003",
        )
        for code, name in missing
    ]
