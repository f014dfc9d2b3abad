"""URLs of the plain Wagtail test site: Wagtail, plus the plugin's API, feeds and registration."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from programmes.api import errors
from programmes.api.urls import v1_urlpatterns, v2_router

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("udzial/", include("programmes.registration.urls")),
    path("api/v2/", v2_router.urls),
    path("api/v1/", include((v1_urlpatterns, "programmes_api"))),
    re_path(r"^api/", errors.not_found),
    path("feeds/", include("programmes.feeds")),
    path("", include(wagtail_urls)),
]
