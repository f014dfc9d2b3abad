"""Media downloads served by nginx, with the city decided by Django.

Every city's files live under MEDIA_ROOT/<schema>/ and are linked as
/media/<schema>/<path>. nginx must not serve that folder directly: it cannot
tell which city a Host belongs to, so warszawa.example.org/media/wroclaw/...
would leak another city's files. Instead nginx passes /media/ to Django,
which checks that the prefix is the requesting city's schema, and answers
with ``X-Accel-Redirect: <DIALOG_MEDIA_ACCEL_PREFIX><schema>/<path>``;
nginx then streams the file from an ``internal`` location (sendfile, ranges,
no Python in the data path). Wagtail's document view (privacy checks,
Content-Disposition) uses the same path through ``sendfile`` below
(``SENDFILE_BACKEND``).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse


def accel_prefix() -> str:
    return getattr(settings, "DIALOG_MEDIA_ACCEL_PREFIX", "") or ""


def accel_response(relative: str, mimetype: str | None = None) -> HttpResponse:
    """An empty response asking nginx to send MEDIA_ROOT/<relative>."""
    response = HttpResponse(
        content_type=mimetype or mimetypes.guess_type(relative)[0] or "application/octet-stream"
    )
    response["X-Accel-Redirect"] = accel_prefix() + quote(relative)
    return response


def sendfile(request, filename, mimetype=None, **kwargs):
    """SENDFILE_BACKEND for Wagtail's document view: hand the file to nginx."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = Path(filename).resolve()
    if root not in path.parents:
        raise Http404
    return accel_response(path.relative_to(root).as_posix(), mimetype)
