from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "programmes.registration"
    label = "programmes_registration"
    verbose_name = _("Registration and applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401

        try:
            from programmes.api.hooks import register_places_provider
        except ImportError:  # the plugin's API is optional
            return
        from .services import remaining_places_bulk

        # The API shows remaining places (counts only, never who registered).
        register_places_provider(remaining_places_bulk)
