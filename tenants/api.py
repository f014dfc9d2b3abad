"""Platform-domain API: the list of cities and where their APIs live.

Mounted under /api/v1/ of the platform domain (public schema) by cms/api.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from programmes.api.caching import (
    ContentVersion,
    bump_content_version,
    fingerprint_token,
    wagtail_fingerprint,
)
from programmes.api.views import ApiPagination

from .models import City, Domain


class CitySerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    domains = serializers.SerializerMethodField(help_text="Every domain; the primary first.")
    languages = serializers.ListField(
        source="language_list", child=serializers.CharField(), read_only=True
    )
    timezone = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The city's public site.")
    api_url = serializers.SerializerMethodField(help_text="Base URL of the city's domain API.")
    api_v2_url = serializers.SerializerMethodField(help_text="Base URL of its Wagtail API v2.")
    openapi_url = serializers.SerializerMethodField(help_text="The city's OpenAPI document.")
    logo_url = serializers.SerializerMethodField(
        help_text="Absolute URL of the city's logo (PNG, JPEG or WebP); null when it has none."
    )

    def _domains(self, city) -> list:
        ordered = sorted(city.domains.all(), key=lambda domain: (not domain.is_primary, domain.pk))
        return [domain.domain for domain in ordered]

    def get_domains(self, city) -> list[str]:
        return self._domains(city)

    def _base(self, city) -> str | None:
        domains = self._domains(city)
        if not domains:
            return None
        request = self.context["request"]
        port = request.get_port()
        suffix = "" if port in ("80", "443") else f":{port}"
        return f"{request.scheme}://{domains[0]}{suffix}"

    def get_url(self, city) -> str | None:
        base = self._base(city)
        return f"{base}/" if base else None

    def get_api_url(self, city) -> str | None:
        base = self._base(city)
        return f"{base}/api/v1/" if base else None

    def get_api_v2_url(self, city) -> str | None:
        base = self._base(city)
        return f"{base}/api/v2/" if base else None

    def get_openapi_url(self, city) -> str | None:
        base = self._base(city)
        return f"{base}/api/v1/schema/" if base else None

    def get_logo_url(self, city) -> str | None:
        if not city.logo:
            return None
        # Relative on the filesystem backend, absolute already on S3.
        return self.context["request"].build_absolute_uri(city.logo.url)


for _name in ("get_url", "get_api_url", "get_api_v2_url", "get_openapi_url", "get_logo_url"):
    # Nullable: a city without a domain has no URLs (it cannot be reached either).
    setattr(
        CitySerializer,
        _name,
        extend_schema_field({"type": "string", "format": "uri", "nullable": True})(
            getattr(CitySerializer, _name)
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Cities on the platform",
        description="Active cities with their domains, languages and API base URLs.",
    ),
    retrieve=extend_schema(summary="One city by slug"),
)
class CityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CitySerializer
    pagination_class = ApiPagination
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9_]{1,30}"

    def get_queryset(self):
        return (
            City.objects.filter(is_active=True)
            .exclude(schema_name__in=["public", settings.DIALOG_TEMPLATE_SCHEMA])
            .prefetch_related("domains")
            .order_by("name")
        )


# --- HTTP caching of the platform API ----------------------------------------


def content_fingerprint() -> ContentVersion:
    """PROGRAMMES_API_CONTENT_FINGERPRINT: cities on the platform, pages in a city."""
    if connection.schema_name != get_public_schema_name():
        return wagtail_fingerprint()
    rows = list(
        City.objects.order_by("pk").values_list(
            "pk", "slug", "name", "languages", "timezone", "is_active", "logo"
        )
    )
    domains = list(
        Domain.objects.order_by("pk").values_list("pk", "domain", "tenant_id", "is_primary")
    )
    created = City.objects.order_by("-created").values_list("created", flat=True).first()
    moment = (created or timezone.now()).replace(microsecond=0)
    return ContentVersion(fingerprint_token([rows, domains]), moment)


def _city_changed(sender, **kwargs):
    # Saved from the public schema (provisioning, platform admin): the platform's key.
    bump_content_version()


for _model in (City, Domain):
    post_save.connect(_city_changed, sender=_model, dispatch_uid=f"api-{_model.__name__}-save")
    post_delete.connect(_city_changed, sender=_model, dispatch_uid=f"api-{_model.__name__}-del")
