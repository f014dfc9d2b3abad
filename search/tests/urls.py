"""A minimal URL conf for search tests: pages, documents, the search page and API.

The tests of search must not depend on every other app's URLs importing
cleanly; test_views.py also checks the real cms.urls_* mount /search/.
"""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from search.api import SearchView

urlpatterns = [
    path("documents/", include(wagtaildocs_urls)),
    path("search/", include("search.urls")),
    path("api/v1/search/", SearchView.as_view(), name="api-search"),
    path("", include(wagtail_urls)),
]
