"""The shared store's backends: Django's database cache with an increment that holds under concurrent processes, and
Django's Redis cache with a counter in one round trip.

Django's DatabaseCache increments by reading the value and writing it back: two processes counting at once lose one
hit, and the write resets the entry's expiry to the default timeout (a day-long lock would end after five minutes).
Here the row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's immediate transactions, see settings, take the
write lock at BEGIN) and only the value is rewritten.
"""

import base64
import pickle
from functools import cached_property
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
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


class CountingRedisCache(RedisCache):
    """Django's Redis cache with `count`: one round trip per hit where `add` then `incr` took three.

    Django's `incr` first asks whether the key exists (a round trip of its own) so as to raise ValueError like the
    other backends; a counter that may start at any hit needs neither. A Lua script runs as one atomic step on the
    server: INCR creates the key at 1, and the first hit gives it its lifetime (a redis-py pipeline would do the same
    in one round trip, but building one costs more than the round trip). The value is a plain integer, which `get`
    and `decr` read as Django's own Redis serializer writes integers.
    """

    _COUNT = (
        "local hits = redis.call('INCR', KEYS[1]) "
        "if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return hits"
    )

    def count(self, key: Any, timeout: int) -> int:
        name = self.make_and_validate_key(key)
        return int(self._counter(keys=[name], args=[timeout]))

    @cached_property
    def _counter(self) -> Any:
        # Django builds a new client object for every command (a few hundred dict entries each); writes all go to the
        # first server, so one client and its registered script serve every count.
        return self._cache.get_client(None, write=True).register_script(self._COUNT)
