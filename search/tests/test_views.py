"""The HTML search page and /api/v1/search/ (search.tests.urls mounts both)."""

import pytest
from django.db import connection
from django.urls import resolve

from .conftest import build_wroclaw, reindex_city

pytestmark = pytest.mark.django_db

HOST = "warszawa.localhost"


def test_cms_url_confs_mount_the_search_page():
    from search.views import search_page

    assert resolve("/search/", urlconf="cms.urls_tenants").func is search_page
    assert resolve("/search/", urlconf="cms.urls_public").func is search_page


def test_search_page_shows_results_facets_and_highlights(indexed, client):
    response = client.get("/search/", {"q": "palac slubow"}, HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_q">' in html
    assert 'role="search"' in html
    assert "Inauguracyjne spotkanie plenarne" in html
    assert "<mark>Pałac</mark>" in html
    assert 'datetime="2016-12-12"' in html
    assert "?q=palac+slubow&amp;kind=meeting" in html  # a facet link
    assert 'class="badge"' in html


def test_search_page_filters_and_paginates(indexed, client):
    response = client.get("/search/", {"q": "spotkanie", "per_page": 1}, HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'rel="next"' in html
    filtered = client.get("/search/", {"q": "spotkanie", "kind": "meeting"}, HTTP_HOST=HOST)
    html = filtered.content.decode()
    assert 'aria-current="true"' in html
    assert "Ruszają warsztaty diagnostyczne" not in html


def test_search_page_suggests_a_spelling(indexed, client):
    html = client.get("/search/", {"q": "qonsultacji"}, HTTP_HOST=HOST).content.decode()
    assert "?q=konsultacji" in html


def test_search_page_without_query_is_just_the_form(city, client):
    response = client.get("/search/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_search_page_rejects_bad_parameters_without_error_500(city, client):
    response = client.get("/search/", {"q": "x", "year": "dawno"}, HTTP_HOST=HOST)
    assert response.status_code == 400


def test_platform_search_page_labels_cities(backend, warszawa_content, cities, client):
    from tenants.provisioning import ensure_platform

    connection.set_tenant(cities["wroclaw"])
    build_wroclaw()
    reindex_city(cities["wroclaw"])
    connection.set_tenant(cities["warszawa"])
    reindex_city(cities["warszawa"])
    connection.set_schema_to_public()
    ensure_platform(["localhost"])
    response = client.get("/search/", {"q": "inauguracyjne spotkanie"}, HTTP_HOST="localhost")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wrocław" in html and "Warszawa" in html
    assert "http://wroclaw.localhost" in html


# --- API --------------------------------------------------------------------------


def test_api_returns_results_facets_and_highlights(indexed, client):
    response = client.get("/api/v1/search/", {"q": "palac slubow"}, HTTP_HOST=HOST)
    assert response.status_code == 200
    data = response.json()
    assert data["total"] >= 1
    assert data["results"][0]["title"] == "Inauguracyjne spotkanie plenarne"
    assert "<mark>" in data["results"][0]["snippet"]
    assert {"kind", "year", "programme", "language"} <= set(data["facets"])
    assert all(isinstance(f["value"], str) for f in data["facets"]["year"])
    assert data["cross_city"] is False
    # Not revalidated against the content version: results change when the
    # worker indexes, after that version moved.
    assert "ETag" not in response
    assert response["Cache-Control"] == "public, max-age=10"


def test_api_payload_has_exactly_the_documented_shape(indexed, client):
    # The view returns the service's dict without re-serialising it: the
    # documented serializer must leave every answer unchanged.
    from search.api import SearchResponseSerializer

    for params in ({"q": "palac slubow"}, {"q": "konsultcji"}, {"q": "qonsultacji"}):
        data = client.get("/api/v1/search/", params, HTTP_HOST=HOST).json()
        assert SearchResponseSerializer(data).data == data, params


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 201},
        {"q": "dialog", "page": "abc"},
        {"q": "dialog", "page": "0"},
        {"q": "dialog", "per_page": "1000"},
        {"q": "dialog", "year": "dwa tysiące"},
        {"q": "dialog", "kind": "pizza"},
        {"q": "dialog", "language": "xx"},
        {"q": "dialog", "page": "5000", "per_page": "50"},
        # Beyond a page id's integer range: once a 500 from Elasticsearch.
        {"q": "dialog", "programme": "422206140421"},
    ],
)
def test_api_rejects_bad_parameters_with_400_json(params, city, client, settings):
    settings.SEARCH_BACKEND = "postgres"
    response = client.get("/api/v1/search/", params, HTTP_HOST=HOST)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")


def test_api_answers_503_when_elasticsearch_is_unreachable(city, client, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    response = client.get("/api/v1/search/", {"q": "dialog"}, HTTP_HOST=HOST)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    page = client.get("/search/", {"q": "dialog"}, HTTP_HOST=HOST)
    assert page.status_code == 503


def test_api_is_described_in_the_openapi_schema():
    from django.urls import path
    from drf_spectacular.generators import SchemaGenerator

    from search.api import SearchView

    generator = SchemaGenerator(patterns=[path("api/v1/search/", SearchView.as_view())])
    schema = generator.get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "kind", "year", "programme", "language", "city", "page", "per_page"} <= names
    assert "200" in operation["responses"] and "400" in operation["responses"]
    assert "SearchResponse" in schema["components"]["schemas"]
