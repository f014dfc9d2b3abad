"""URL patterns of the plugin's API, for a host project to mount.

    path("api/v2/", v2_router.urls),
    path("api/v1/", include((v1_urlpatterns, "programmes_api"))),
    re_path(r"^api/", errors.not_found),  # JSON 404 for anything else under /api/

The namespace ``programmes_api`` is required: serializers reverse their links
through it. ``wagtailapi`` is the namespace of the v2 router.
"""

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter
from wagtail.api.v2.router import WagtailAPIRouter

from . import views
from .v2 import register_endpoints

v2_router = WagtailAPIRouter("wagtailapi")
register_endpoints(v2_router)

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("news", views.NewsViewSet, basename="news")

v1_urlpatterns = [
    *router.urls,
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="programmes_api:schema"),
        name="docs",
    ),
]
