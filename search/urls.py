"""Included at /search/ by cms/urls_tenants.py (one city) and cms/urls_public.py (all cities)."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [path("", views.search_page, name="search")]
