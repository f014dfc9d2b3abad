"""The shared cache of production: Django's Redis cache, degrading to a miss.

With several gunicorn workers (and hosts) a per-process cache means each
worker misses on its own and learns of a publication only when its copy of
the API content version expires. Redis (``CACHE_URL=redis://…``) is shared:
one worker's answer serves the others, and a publication is seen at once.

A cache is an optimisation, so its outage must not become the site's: while
Redis is unreachable every read is a miss and every write is dropped (one
warning per minute is logged), and pages and the API are served from the
database as without a cache. Connection and socket timeouts are short for
the same reason.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: Seconds between two warnings about the same unreachable cache.
WARNING_INTERVAL = 60

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _miss(default):
    """Wrap a cache method: an unreachable Redis answers ``default``."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE as error:
                self._unavailable(error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorator


def _get_default(key, default=None, version=None):
    return default


def _incr_unavailable(*args, **kwargs):
    # What the cache API says of a missing key: callers (the throttle) already
    # handle it.
    raise ValueError("cache unavailable")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache operation; measured
    here that is ~150 µs, more than half of a GET on loopback. A ``Redis``
    object holds no connection of its own (its pool does) and is thread-safe.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that survives Redis outages."""

    def __init__(self, server, params):
        params = {**params}
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        options.update(params.get("OPTIONS") or {})
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient  # (RedisCache.__init__ sets its own)
        self._warned_at = float("-inf")

    def _unavailable(self, error) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARNING_INTERVAL:
            self._warned_at = now
            logger.warning("cache unavailable, serving without it: %s", error)

    get = _miss(_get_default)(RedisCache.get)
    get_many = _miss({})(RedisCache.get_many)
    has_key = _miss(False)(RedisCache.has_key)
    add = _miss(False)(RedisCache.add)
    set = _miss(None)(RedisCache.set)
    set_many = _miss([])(RedisCache.set_many)
    touch = _miss(False)(RedisCache.touch)
    delete = _miss(False)(RedisCache.delete)
    delete_many = _miss(None)(RedisCache.delete_many)
    incr = _miss(_incr_unavailable)(RedisCache.incr)

    @_miss(_incr_unavailable)
    def incr_window(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> int:
        """Count one more in a counter that expires ``timeout`` s after its creation.

        ``add(key, 0)`` then ``incr(key)`` in one round trip (a pipeline), for
        rate limits (programmes.api.throttling uses it when the cache has it).
        """
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.set(key, 0, ex=self.get_backend_timeout(timeout), nx=True)
        pipe.incr(key)
        _created, count = pipe.execute()
        return count

    clear = _miss(False)(RedisCache.clear)
