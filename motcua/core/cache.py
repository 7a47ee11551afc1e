"""Django's database cache with an increment that holds under concurrent processes.

Django's DatabaseCache increments by reading the value and writing it back: two processes counting at once lose one
hit, and the write resets the entry's expiry to the default timeout (a day-long lock would end after five minutes).
Here the row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's immediate transactions, see settings, take the
write lock at BEGIN) and only the value is rewritten.
"""

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction

# Expiry times are written by Django from the wall clock, not motcua's clock seam: compare with the same clock.
from django.utils.timezone import now  # noqa: TID251

# Created by motcua.core's migration 0001 (whatever CACHES says, so switching to it later needs nothing more).
TABLE = "motcua_cache"


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by Django's DatabaseCache, untyped in stubs
        key_column, value_column, expires_column = quote("cache_key"), quote("value"), quote("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Only quoted names are formatted in; the key and the value are bound parameters.
        select = f"SELECT {value_column}, {expires_column} FROM {table} WHERE {key_column} = %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s"  # noqa: S608
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            expires = row[1]
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < now():
                raise ValueError(f"Key '{key}' not found")
            # Rows are written only by this cache, the way Django's DatabaseCache writes them.
            pickled = base64.b64decode(connection.ops.process_clob(row[0]).encode())
            value = pickle.loads(pickled) + delta  # noqa: S301
            cursor.execute(update, [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), key])
        return value
