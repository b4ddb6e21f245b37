"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation.
redis-py 8 fills several response-callback tables in that constructor, which cost more than the
round trip itself: on a cached reading page it was the largest single cost (about 1 ms of the
3.6 ms). A ``redis.Redis`` is safe to share between threads (each command borrows a connection
from the pool), so one per pool serves every call.

Kept over django-redis (7.0.0, evaluated 2026-12-03 for issue 11), which would replace this
module and the three error wrappers of ``articleapp.pagecache`` with ``IGNORE_EXCEPTIONS``: it
is not faster. The page cache's one round trip, ``get_many`` of a stamp and a 100 kB page, in
one process, 10 interleaved blocks of 2,000 calls: 408 µs CPU here, 418 µs with django-redis
(wall 1.14 ms and 1.32 ms). A cached reading page through the whole WSGI stack, CPU time of
hello-world ÷ page, 5 runs each: 0.67 here (0.61-0.68), 0.54 with django-redis (0.49-0.58).
Bench figure 5 (``--quick --only 5``, wrk, 4 runs each on a machine at load 11-18): medians
0.535 here and 0.569 with django-redis, within the noise of one another.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
