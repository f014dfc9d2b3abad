"""URLs of a city domain (the city's schema is active)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import api
from tenants import views as tenant_views

urlpatterns = [
    path("healthz", tenant_views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Meeting registration, working-group applications, cancel links ("udział" = taking part).
    path("udzial/", include("programmes.registration.urls")),
    # Headless API (/api/v1/, /api/v2/; JSON 404 for the rest of /api/) and feeds.
    *api.city_urlpatterns,
    path("feeds/", include("programmes.feeds")),
]

urlpatterns += [
    # nginx serves /media/ in production; the view answers only in development
    # (DEBUG or DIALOG_SERVE_MEDIA) and only with the current city's files.
    re_path(r"^media/(?P<path>.+)$", tenant_views.city_media, name="city_media"),
]

# Public pages per language (docs/localization.md): Polish, the default, has
# no prefix (/programy/...), other languages do (/en/..., /uk/...). A prefix
# of a language the city does not publish in is a 404
# (tenants.middleware.CityLanguageMiddleware).
# The city's search page (search/views.py) too: /search/ searches Polish
# pages, /en/search/ English ones (each page's language by default).
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
