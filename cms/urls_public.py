"""URLs of the platform domain (public schema): cities, health, cross-city API."""

from django.urls import include, path, re_path

from cms import api
from tenants import views

urlpatterns = [
    path("", views.platform_home, name="platform_home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", include("search.urls")),  # search across all cities
    # City logos live in the platform's media (tenants/branding.py); nginx passes
    # /media/ to Django, which hands the file back by X-Accel-Redirect.
    re_path(r"^media/(?P<path>_platform/.+)$", views.city_media, name="platform_media"),
    # /api/v1/cities/, its schema and docs; JSON 404 for the rest of /api/.
    *api.platform_urlpatterns,
]
