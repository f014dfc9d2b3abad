"""Per-city media storage: files live under a prefix named after the city's schema.

``CityFileSystemStorage`` (the default): MEDIA_ROOT/<schema>/, served by nginx.
``CityS3Storage`` (``MEDIA_BACKEND=s3`` in production): keys
<AWS_LOCATION>/<schema>/... in one S3-compatible bucket for all cities.
"""

from django.db import connection
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
