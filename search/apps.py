from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
        try:
            from tenants.signals import city_deleted
        except ImportError:  # search used without the tenants app
            return
        city_deleted.connect(_drop_city_index, dispatch_uid="search-city-deleted")


def _drop_city_index(sender, schema_name, **kwargs):
    """A deleted city's index goes with it (its PostgreSQL rows went with the schema)."""
    import logging

    from .indexing import drop_city

    try:
        drop_city(schema_name)
    except Exception:  # noqa: BLE001 - the city is gone either way; log and move on
        logging.getLogger(__name__).exception("search: could not drop the index of %s", schema_name)
