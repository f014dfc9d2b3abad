"""Login throttling glue for django-axes, shared by every city.

django-axes keeps its records in the city's schema (``axes`` is a tenant
app), so a lockout in one city does not affect another.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings

# URL prefixes of the Wagtail admin (cms/urls_tenants.py).
ADMIN_PREFIXES = ("/admin/",)


class CityAxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped when there is no request to judge.

    ``authenticate()`` without a request comes from code, not from a login
    form: management commands, data migrations, the test client's
    ``login()``. Stock axes raises there; nothing is throttled there either way.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address as seen by the first trusted proxy.

    Behind nginx (and maybe a load balancer) the socket address is the proxy's.
    Each trusted proxy appends the address it saw to X-Forwarded-For, so the
    entry ``DIALOG_TRUSTED_PROXY_COUNT`` from the end is the client; entries
    further left are whatever the client claimed and are ignored.
    """
    count = getattr(settings, "DIALOG_TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= count:
        return forwarded[-count]
    return forwarded[0] if forwarded else remote


class AdminCSPMiddleware:
    """Relax ``script-src`` for the Wagtail admin only.

    Wagtail 8's date and date-time widgets (page filters, go-live/expiry
    dates) still print inline ``<script>initDateChooser(...)</script>``
    without a nonce, so the admin needs ``'unsafe-inline'`` scripts; public
    pages and the API keep the strict ``script-src 'self'``. Listed after
    django-csp's middleware so that this response hook runs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIXES):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = "'unsafe-inline'"
            response._csp_update = update
        return response
