"""Django's Redis cache backend, reusing one redis-py client per connection pool.

``django.core.cache.backends.redis.RedisCacheClient.get_client()`` builds a new ``redis.Redis``
object for every cache call. With redis-py 8 that constructor fills a case-insensitive table of
~170 response callbacks: about 0.3-0.4 ms of CPU per call, measured here, which made three
cache calls (two for DRF's throttle, one for the API's response cache) cost four times a whole
trivial Django request. The client only wraps the pool and is thread-safe; Django's cache
handler already gives each thread its own backend instance anyway.

Settings use it for ``redis://`` cache URLs (claimtracker/settings/base.py).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._client(connection_pool=self._pools[index])
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusingRedisCacheClient


DJANGO_REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
BACKEND = "claimtracker.cache.RedisCache"


def with_reusing_backend(config: dict) -> dict:
    """A CACHES entry from django-environ, with Django's Redis backend replaced by this one."""
    if config.get("BACKEND") == DJANGO_REDIS_BACKEND:
        return {**config, "BACKEND": BACKEND}
    return config
