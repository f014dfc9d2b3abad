"""URLs of the platform domain (public schema): cities, health, cross-city API."""

from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.platform_home, name="platform_home"),
    path("healthz", views.healthz, name="healthz"),
]
