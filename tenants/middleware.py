"""Host -> city resolution."""

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware


def _lookup_cache():
    alias = getattr(settings, "TENANT_LOOKUP_CACHE", None)
    return caches[alias] if alias else None


class CityMiddleware(TenantMainMiddleware):
    """django-tenants' middleware, refusing inactive cities with a 404.

    An unknown host is a 404 page (never a 500): TenantMainMiddleware raises
    Http404, which Django renders with the platform's 404 template.

    With ``TENANT_LOOKUP_CACHE`` (an alias of a per-process cache) a host's
    city is remembered for ``TENANT_LOOKUP_SECONDS`` (default 1): the lookup
    and its two ``SET search_path`` round trips happen once a second per
    worker instead of on every request, so an API revalidation touches no
    database at all. A change of a city or domain is seen at once by the
    process that made it and within that second by the others; unknown hosts
    are looked up every time.
    """

    def get_tenant(self, domain_model, hostname):
        store = _lookup_cache()
        if store is None:
            return super().get_tenant(domain_model, hostname)
        key = f"tenants:city-of:{hostname}"
        tenant = store.get(key)
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)
            store.set(key, tenant, getattr(settings, "TENANT_LOOKUP_SECONDS", 1))
        return tenant

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


@receiver(post_save, sender="tenants.City", dispatch_uid="tenants-lookup-city-saved")
@receiver(post_delete, sender="tenants.City", dispatch_uid="tenants-lookup-city-deleted")
@receiver(post_save, sender="tenants.Domain", dispatch_uid="tenants-lookup-domain-saved")
@receiver(post_delete, sender="tenants.Domain", dispatch_uid="tenants-lookup-domain-deleted")
def _forget_lookups(**kwargs):
    store = _lookup_cache()
    if store is not None:
        store.clear()
