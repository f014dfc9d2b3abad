"""Host -> city resolution."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware


class CityMiddleware(TenantMainMiddleware):
    """django-tenants' middleware, refusing inactive cities with a 404.

    An unknown host is a 404 page (never a 500): TenantMainMiddleware raises
    Http404, which Django renders with the platform's 404 template.
    """

    def process_request(self, request):
        # Error pages raised here (before LocaleMiddleware) are Polish too.
        translation.activate(settings.LANGUAGE_CODE)
        if request.path_info == "/healthz":
            # Answered before the Host lookup, which needs the database: the
            # probe must say 503 "database unreachable", not fail with a 500.
            from django.db import connection

            from .views import healthz

            connection.set_schema_to_public()
            return healthz(request)
        super().process_request(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.schema_name != "public" and not tenant.is_active:
            raise Http404("City is not active")


class CityLanguageMiddleware:
    """A language prefix the city does not publish in (``/en/`` in a Polish-only city) is a 404.

    Without it Wagtail would serve the Polish page under ``/en/…``: a page
    without a translation in the active language falls back to its source.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.schema_name != "public":
            code = translation.get_language_from_path(request.path_info)
            if code and code not in tenant.language_list:
                raise Http404("The city does not publish in this language")
        return self.get_response(request)
