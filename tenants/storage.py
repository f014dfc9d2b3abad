"""Per-city media storage: files live under MEDIA_ROOT/<schema_name>/."""

from django_tenants.files.storage import TenantFileSystemStorage


class CityFileSystemStorage(TenantFileSystemStorage):
    """Prefix by schema name (never by domain, so renaming a domain orphans nothing)."""
