"""Create the database cache table (``createcachetable``) so ``migrate`` is the only step.

``createcachetable`` reads CACHES and skips tables that exist, so this is harmless when
CACHE_URL points at Redis, and re-running it by hand is always safe.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    # createcachetable runs its own DDL; keep it out of a wrapping transaction.
    atomic = False

    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
