"""A small fixed-window rate limit for the public forms, kept in the cache.

The cache key function of a multi-city project prefixes every key with the
city (django_tenants.cache.make_key), so the limit is per IP *per city*.
Behind proxies, set ``PROGRAMMES_CLIENT_IP_CALLABLE`` to a function that
reads the trusted X-Forwarded-For entry; the default is the socket address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

DEFAULT_LIMIT = (10, 600)  # 10 submissions per 10 minutes


def client_ip(request) -> str:
    path = getattr(settings, "PROGRAMMES_CLIENT_IP_CALLABLE", None)
    if path:
        address = import_string(path)(request)
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or "unknown"


def over_limit(request, scope: str = "forms") -> bool:
    """Count this request; True once the address went past the limit in this window."""
    limit, window = getattr(settings, "PROGRAMMES_REGISTRATION_RATE_LIMIT", DEFAULT_LIMIT)
    key = f"programmes_registration:rate:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window):
        return 1 > limit
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
