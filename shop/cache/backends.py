"""Django's database cache with an atomic ``incr``.

Django's ``DatabaseCache.incr`` is ``get`` then ``set``: two app servers incrementing the same
counter at the same moment both read 4 and both write 5. Throttling counters (``shop.throttle``)
must not lose hits that way, so ``incr`` here takes the row's write lock first (PostgreSQL row
lock, SQLite's database write lock) and reads, adds and writes inside one transaction. The value
encoding is Django's own (pickled, base64), so every other method is inherited unchanged.
Redis needs none of this: its ``INCR`` is atomic.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key, expires, value = (
            quote(self._table),
            quote("cache_key"),
            quote("expires"),
            quote("value"),
        )
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # A no-op write takes the lock before the read, so a concurrent incr waits here.
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} WHERE {cache_key} = %s AND {expires} >= %s",
                [key, now],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found")
            cursor.execute(f"SELECT {value} FROM {table} WHERE {cache_key} = %s", [key])
            stored = connection.ops.process_clob(cursor.fetchone()[0])
            new_value = pickle.loads(base64.b64decode(stored.encode())) + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s", [encoded, key])
        return new_value
