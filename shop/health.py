"""Probes for the load balancer and the orchestrator. No authentication, no secrets, JSON.

- ``/healthz`` (liveness): the process answers. Touches nothing else, so a database outage
  never makes the orchestrator restart healthy app servers in a loop.
- ``/readyz`` (readiness): this server can take traffic: the database answers, every
  migration is applied (a new release is not served before ``migrate`` ran), and Klarna is
  configured (``payments_klarna.checks.klarna_mode``: its mode, credentials). It never calls Klarna: Klarna being slow or down
  must not take the whole shop out of the load balancer — the catalog and offline payments
  still work, and the Klarna API log shows the failures.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("shop.health")


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database(), "migrations": _migrations(), **_app_checks()}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


def _database() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readyz: database unreachable: %s", type(error).__name__)
        return {"ok": False, "error": "database unreachable"}
    return {"ok": True}


def _migrations() -> dict:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # noqa: BLE001
        logger.warning("readyz: cannot read migrations: %s", type(error).__name__)
        return {"ok": False, "error": "cannot read migration state"}
    if pending:
        return {"ok": False, "error": f"{len(pending)} unapplied migration(s); run manage.py migrate"}
    return {"ok": True}


def _app_checks() -> dict:
    """Readiness checks the apps contribute (``READINESS_CHECKS``: name -> dotted path of a
    function returning ``{"ok": bool, ...}``), e.g. the Klarna mode from payments_klarna."""
    return {name: import_string(path)() for name, path in settings.READINESS_CHECKS.items()}
