"""URLs of the platform domain (public schema): cities, health, cross-city API."""

from django.urls import path

from cms import api
from tenants import views

urlpatterns = [
    path("", views.platform_home, name="platform_home"),
    path("healthz", views.healthz, name="healthz"),
    # /api/v1/cities/, its schema and docs; JSON 404 for the rest of /api/.
    *api.platform_urlpatterns,
]
