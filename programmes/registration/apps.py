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
        from .services import places_bulk, places_fingerprint

        # The API shows places as the form counts them (counts only, never who registered).
        register_places_provider(places_bulk, fingerprint=places_fingerprint)
