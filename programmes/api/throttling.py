"""Per-IP rate limits of the API, counted in the default cache.

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (scopes ``api`` and
``search``), read on every request so tests and operators can change them
without re-importing anything (DRF's own throttles freeze them at import).
An empty or missing rate disables the scope.

Counting is a fixed window with ``cache.incr``: O(1) per request whatever the
rate, unlike DRF's sliding log, which stores every request's timestamp. The
default cache is per city in a multi-city project, so limits are per city and
IP. With a per-process cache (locmem) each worker counts on its own: use a
shared cache (Redis, Memcached) in production.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

_DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """'120/min' -> (120, 60); '' or None -> None (no limit)."""
    if not rate:
        return None
    number, _slash, period = rate.partition("/")
    return int(number), _DURATIONS[period.strip()[0]]


class ApiRateThrottle(BaseThrottle):
    """Requests per client IP in a fixed window (scope ``api``)."""

    scope = "api"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The host project knows its proxies (PROGRAMMES_CLIENT_IP_CALLABLE);
        # otherwise DRF's rule (NUM_PROXIES).
        dotted = getattr(settings, "PROGRAMMES_CLIENT_IP_CALLABLE", None)
        if dotted:
            return import_string(dotted)(request) or "unknown"
        return super().get_ident(request)

    def allow_request(self, request, view):
        if self.scope == "api" and getattr(request, "_programmes_throttle_counted", False):
            return True  # already counted by programmes.api.caching.ApiCacheMiddleware
        parsed = parse_rate(self.get_rate())
        if parsed is None:
            return True
        limit, duration = parsed
        now = time.time()
        window = int(now // duration)
        key = f"throttle:{self.scope}:{self.get_ident(request)}:{window}"
        try:
            count = _count(key, duration + 1)
        except ValueError:  # evicted between add and incr (or the cache is down)
            cache.set(key, 1, duration + 1)
            count = 1
        if count <= limit:
            return True
        self._wait = (window + 1) * duration - now
        return False

    def wait(self):
        return getattr(self, "_wait", None)


def _count(key: str, timeout: int) -> int:
    """One more request in the window's counter, created when missing."""
    incr_window = getattr(cache, "incr_window", None)
    if incr_window is not None:
        # A cache that does both in one round trip (cms.cache.ResilientRedisCache).
        return incr_window(key, timeout)
    # add() is a no-op when the key exists; incr() is atomic in shared caches.
    cache.add(key, 0, timeout)
    return cache.incr(key)


class SearchRateThrottle(ApiRateThrottle):
    """Stricter limit of the search endpoint (scope ``search``), on top of ``api``."""

    scope = "search"
