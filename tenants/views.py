"""Platform-domain views: the list of cities and the health check."""

import time

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils._os import safe_join

from .models import City
from .storage import PLATFORM_PREFIX


def platform_home(request):
    cities = (
        City.objects.filter(is_active=True)
        .exclude(schema_name="public")
        .prefetch_related("domains")
    )
    port = request.get_port()
    entries = []
    for city in cities:
        domain = next((d.domain for d in city.domains.all() if d.is_primary), None)
        if domain:
            suffix = "" if port in ("80", "443") else f":{port}"
            entries.append({"city": city, "url": f"{request.scheme}://{domain}{suffix}/"})
    return render(request, "tenants/platform_home.html", {"entries": entries})


def healthz(request):
    """Database, search and queue status; 503 when the database is unreachable."""
    checks = {}
    healthy = True
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        healthy = False
        checks["database"] = {"ok": False, "error": error.__class__.__name__}
    for name, probe in _extra_probes():
        try:
            checks[name] = probe()
        except Exception as error:  # noqa: BLE001
            checks[name] = {"ok": False, "error": error.__class__.__name__}
    checks["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def _extra_probes():
    """Probes registered by other apps in settings.DIALOG_HEALTH_PROBES (dotted paths)."""
    from django.utils.module_loading import import_string

    for dotted in getattr(settings, "DIALOG_HEALTH_PROBES", []):
        yield dotted.rsplit(".", 1)[-1].removeprefix("probe_"), import_string(dotted)


def city_media(request, path):
    """Media of the current city only; another city's prefix is a 404 here.

    The platform's own files (``PLATFORM_PREFIX``: city logos) are served on
    every domain, the platform's included.

    Files are stored under MEDIA_ROOT/<schema>/ and the URL carries the schema.
    Production (DIALOG_MEDIA_ACCEL_PREFIX set): nginx sends the file after this
    check (X-Accel-Redirect). Development (DEBUG or DIALOG_SERVE_MEDIA): the
    file is streamed from here.
    """
    tenant = getattr(request, "tenant", None)
    accel = bool(getattr(settings, "DIALOG_MEDIA_ACCEL_PREFIX", ""))
    serve = settings.DEBUG or getattr(settings, "DIALOG_SERVE_MEDIA", False)
    if tenant is None or not (accel or serve):
        raise Http404
    prefix, _sep, rest = path.partition("/")
    # Platform files (city logos, tenants/branding.py) are public on every domain.
    allowed = prefix == PLATFORM_PREFIX or prefix == tenant.schema_name
    if not allowed or not rest or ".." in rest.split("/"):
        raise Http404
    if accel:
        # Production: nginx sends the file (tenants/media.py).
        from .media import accel_response

        return accel_response(f"{prefix}/{rest}")
    try:
        full = safe_join(settings.MEDIA_ROOT, prefix, rest)
    except Exception as error:  # SuspiciousFileOperation on ../
        raise Http404 from error
    try:
        return FileResponse(open(full, "rb"))  # noqa: SIM115 - FileResponse closes it
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
