from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Cities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_platform, sender=self)
        from . import (
            cors,  # noqa: F401 - per-city CORS allow-list (signal receiver)
            middleware,  # noqa: F401 - forgets remembered hosts (signal receivers)
        )


def _ensure_platform(sender, using="default", **kwargs):
    """After the public schema is migrated, make sure the platform domain resolves."""
    from django.db import connections

    if connections[using].schema_name != "public":
        return
    from .provisioning import ensure_platform

    ensure_platform()
