"""Per-city media storage: files live under a prefix named after the city's schema.

``CityFileSystemStorage`` (the default): MEDIA_ROOT/<schema>/, served by nginx.
``CityS3Storage`` (``MEDIA_BACKEND=s3`` in production): keys
<AWS_LOCATION>/<schema>/... in one S3-compatible bucket for all cities.

Platform files (the cities' logos, shown on the platform's home page as well
as on each city's pages) live outside every city's prefix, under
``PLATFORM_PREFIX`` (``platform_storage()``). The prefix starts with an
underscore, which no city slug can (tenants.models.SLUG_RE), so it never
collides with a schema.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils.functional import cached_property
from django_tenants.files.storage import TenantFileSystemStorage
from storages.backends.s3 import S3Storage


class CityFileSystemStorage(TenantFileSystemStorage):
    """Prefix by schema name (never by domain, so renaming a domain orphans nothing)."""


class CityS3Storage(S3Storage):
    """S3Storage whose ``location`` is ``<root>/<schema of the current city>``.

    The storage object is created once per process and shared by every city,
    so the prefix is computed on each access from the active schema, like
    django-tenants does for the filesystem storage.
    """

    @property
    def location(self):
        schema = getattr(connection, "schema_name", None) or "public"
        root = (self._root_location or "").strip("/")
        return f"{root}/{schema}" if root else schema

    @location.setter
    def location(self, value):
        # S3Storage's __init__ assigns AWS_LOCATION / OPTIONS["location"] here.
        self._root_location = value

    _root_location = ""


PLATFORM_PREFIX = "_platform"


class PlatformFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/_platform/, linked as MEDIA_URL + "_platform/" (read from settings lazily)."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, PLATFORM_PREFIX)

    @cached_property
    def base_url(self):
        return f"{settings.MEDIA_URL.rstrip('/')}/{PLATFORM_PREFIX}/"


def platform_storage():
    """The storage of platform-wide files, beside the cities' prefixes.

    S3: the same bucket and options as the cities, keys <AWS_LOCATION>/_platform/;
    otherwise MEDIA_ROOT/_platform/ (served by tenants.views.city_media on every
    domain: these files are public).
    """
    default = settings.STORAGES.get("default", {})
    if default.get("BACKEND", "").endswith("S3Storage"):
        options = dict(default.get("OPTIONS", {}))
        root = (options.get("location") or "").strip("/")
        options["location"] = f"{root}/{PLATFORM_PREFIX}" if root else PLATFORM_PREFIX
        options["file_overwrite"] = True  # one stable key per city
        return S3Storage(**options)
    return PlatformFileSystemStorage()
