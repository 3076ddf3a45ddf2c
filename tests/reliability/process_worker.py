"""Runs in a spawned interpreter (importable without Django being set up)."""

import json
import os


def post_documents(database_name, barrier, jobs, out):
    """Set Django up on the parent's test database, wait for the others, post ``jobs``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database_name
    from django.db import connections
    from django.test import Client

    client = Client()
    connections["default"].ensure_connection()
    barrier.wait()
    results = []
    for query, variables in jobs:
        response = client.post(
            "/graphql", json.dumps({"query": query, "variables": variables}), content_type="application/json"
        )
        results.append((response.status_code, response.content.decode()))
    connections.close_all()
    out.put(results)
