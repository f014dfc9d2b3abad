"""API routers of both URL confs: /api/v1/ and /api/v2/ of a city, /api/v1/ of the platform.

Cities (cms/urls_tenants.py) serve the plugin's Wagtail API v2 (pages,
images, documents) and domain API (programmes, meetings, documents, news,
preview, search), with the OpenAPI document and its Swagger UI. The platform
domain (cms/urls_public.py) serves the list of cities with its own schema.
Anything else under /api/ is a JSON 404, never the site's HTML page.
"""

from importlib.util import find_spec

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from programmes.api import errors
from programmes.api.urls import v1_urlpatterns, v2_router
from programmes.api.views import SchemaView
from tenants.api import CityViewSet


def _search_urlpatterns():
    # search/api.py (the search app) provides the /api/v1/search/ view: one
    # city on a city's domain, every city on the platform domain.
    if find_spec("search.api") is None:
        return []
    from search import api as search_api

    return [path("search/", search_api.SearchView.as_view(), name="search")]


city_urlpatterns = [
    path("api/v2/", v2_router.urls),
    path("api/v1/", include(([*v1_urlpatterns, *_search_urlpatterns()], "programmes_api"))),
    re_path(r"^api/", errors.not_found),
]

_platform_router = SimpleRouter()
_platform_router.register("cities", CityViewSet, basename="city")

platform_urlpatterns = [
    path(
        "api/v1/",
        include(
            (
                [
                    *_platform_router.urls,
                    *_search_urlpatterns(),  # across all cities
                    path("schema/", SchemaView.as_view(urlconf="cms.urls_public"), name="schema"),
                    path(
                        "docs/",
                        SpectacularSwaggerSplitView.as_view(url_name="platform_api:schema"),
                        name="docs",
                    ),
                ],
                "platform_api",
            )
        ),
    ),
    re_path(r"^api/", errors.not_found),
]
