"""HTTP behaviour of the API: conditional GET and caching, CORS per city, throttling."""

from __future__ import annotations

import pytest
from _api_content import build_content
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tenants.models import City

HOST = "warszawa.localhost"


@pytest.fixture
def content(city):
    return build_content()


def get(client, url, **headers):
    return client.get(url, HTTP_HOST=HOST, **headers)


# --- Conditional GET -------------------------------------------------------------


@pytest.mark.django_db
def test_get_has_validators_and_public_cache_control(client, content):
    response = get(client, "/api/v1/meetings/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert "stale-while-revalidate" in cache_control
    for url in (f"/api/v2/pages/{content.workshop.pk}/", "/feeds/calendar.ics"):
        assert get(client, url).has_header("ETag"), url


@pytest.mark.django_db
def test_revalidation_is_a_304_without_running_the_view(client, content):
    url = f"/api/v2/pages/{content.workshop.pk}/"
    etag = get(client, url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = get(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
    # Only the tenant middleware's domain lookup: no page, no serializer.
    assert len(statements) <= 1, statements
    # Weak comparison and lists of validators work too.
    assert get(client, url, HTTP_IF_NONE_MATCH=f'"nope", W/{etag}').status_code == 304
    assert get(client, url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.django_db
def test_if_modified_since(client, content):
    url = "/api/v1/programmes/"
    last_modified = get(client, url)["Last-Modified"]
    assert get(client, url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert get(client, url, HTTP_IF_MODIFIED_SINCE=old).status_code == 200


@pytest.mark.django_db
def test_etag_differs_per_url_and_query(client, content):
    etags = {
        get(client, url)["ETag"]
        for url in ("/api/v1/meetings/", "/api/v1/meetings/?upcoming=true", "/api/v1/news/")
    }
    assert len(etags) == 3


@pytest.mark.django_db
def test_publishing_invalidates_the_validators(client, content):
    url = f"/api/v1/meetings/{content.workshop.pk}/"
    first = get(client, url)
    page = content.workshop
    page.title = "Warsztat przeniesiony"
    page.save_revision().publish()
    response = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert response.json()["title"] == "Warsztat przeniesiony"
    assert response["ETag"] != first["ETag"]
    # Unpublishing too: the page is gone, and old validators no longer match.
    second = response["ETag"]
    page.unpublish()
    assert get(client, url, HTTP_IF_NONE_MATCH=second).status_code == 404


@pytest.mark.django_db
def test_document_and_snippet_changes_invalidate(client, content):
    url = "/api/v1/documents/"
    etag = get(client, url)["ETag"]
    content.minutes.title = "Protokół (poprawiony)"
    content.minutes.save()
    assert get(client, url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    etag = get(client, "/api/v1/meetings/")["ETag"]
    content.venue.address = "ul. Nowa 1"
    content.venue.save()
    assert get(client, "/api/v1/meetings/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_fingerprint_is_the_same_in_every_process(city, content):
    """Workers with their own cache derive equal validators from the database."""
    from programmes.api.caching import wagtail_fingerprint

    assert wagtail_fingerprint() == wagtail_fingerprint()
    before = wagtail_fingerprint()
    content.news_new.save_revision().publish()
    assert wagtail_fingerprint().token != before.token


@pytest.mark.django_db
def test_errors_are_not_marked_cacheable(client, content):
    response = get(client, "/api/v1/meetings/?kind=party")
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag")


# --- CORS ------------------------------------------------------------------------


def _set_origins(slug, origins):
    city = City.objects.get(slug=slug)
    city.cors_origins = origins
    city.save()


@pytest.mark.django_db
def test_cors_allows_only_the_citys_listed_origins(client, content):
    connection.set_schema_to_public()
    _set_origins("warszawa", "https://dialog.um.warszawa.pl/\nhttp://localhost:3000")
    allowed = get(client, "/api/v1/meetings/", HTTP_ORIGIN="https://dialog.um.warszawa.pl")
    assert allowed["Access-Control-Allow-Origin"] == "https://dialog.um.warszawa.pl"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "origin" in allowed["Vary"].lower()
    other = get(client, "/api/v1/meetings/", HTTP_ORIGIN="https://evil.example")
    assert not other.has_header("Access-Control-Allow-Origin")
    # Preflight of an allowed origin.
    preflight = client.options(
        "/api/v2/pages/",
        HTTP_HOST=HOST,
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    # Feeds are readable cross-origin; HTML pages and the admin are not.
    feed = get(client, "/feeds/calendar.ics", HTTP_ORIGIN="http://localhost:3000")
    assert feed["Access-Control-Allow-Origin"] == "http://localhost:3000"
    page = get(client, "/", HTTP_ORIGIN="http://localhost:3000")
    assert not page.has_header("Access-Control-Allow-Origin")


@pytest.mark.django_db
def test_cors_is_closed_by_default_and_per_city(client, content, wroclaw):
    connection.set_schema_to_public()
    _set_origins("warszawa", "https://dialog.um.warszawa.pl")
    response = client.get(
        "/api/v1/meetings/",
        HTTP_HOST="wroclaw.localhost",
        HTTP_ORIGIN="https://dialog.um.warszawa.pl",
    )
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")
    assert settings.CORS_ALLOWED_ORIGINS == []
    assert not getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False)


# --- Throttling ----------------------------------------------------------------------


def _rates(api, search="100000/min"):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"api": api, "search": search},
        }
    )


@pytest.mark.django_db
def test_throttling_per_ip_answers_429_in_the_error_shape(client, content):
    with _rates("3/min"):
        statuses = [
            get(client, f"/api/v1/news/?n={n}", REMOTE_ADDR="10.1.2.3").status_code
            for n in range(3)
        ]
        assert statuses == [200, 200, 200]
        response = get(client, "/api/v2/pages/", REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 429
        error = response.json()["error"]
        assert error["code"] == "throttled"
        assert 0 < error["details"]["retry_after"] <= 60
        assert 0 < int(response["Retry-After"]) <= 60
        assert response["Cache-Control"] == "no-store"
        # Another address is not affected.
        assert get(client, "/api/v1/news/", REMOTE_ADDR="10.1.2.4").status_code == 200


@pytest.mark.django_db
def test_search_has_its_own_stricter_limit(client, content):
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("programmes_api:search")
    except NoReverseMatch:
        pytest.skip("search API not mounted")
    with _rates("100/min", search="1/min"):
        first = get(client, url, REMOTE_ADDR="10.1.2.5")  # no q: a 400, but counted
        assert first.status_code in (200, 400)
        second = get(client, url, REMOTE_ADDR="10.1.2.5")
        assert second.status_code == 429
        assert second.json()["error"]["code"] == "throttled"
        assert get(client, "/api/v1/news/", REMOTE_ADDR="10.1.2.5").status_code == 200


# --- Response cache -------------------------------------------------------------------


@pytest.mark.django_db
def test_response_cache_serves_until_content_changes(client, content):
    url = f"/api/v1/meetings/{content.workshop.pk}/"
    with override_settings(PROGRAMMES_API_RESPONSE_CACHE=60):
        first = get(client, url)
        with CaptureQueriesContext(connection) as queries:
            second = get(client, url)
        assert second.status_code == 200 and second.content == first.content
        assert second["ETag"] == first["ETag"]
        statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
        assert len(statements) <= 1, statements  # the domain lookup only
        page = content.workshop
        page.title = "Nowy tytuł"
        page.save_revision().publish()
        third = get(client, url)
        assert third.json()["title"] == "Nowy tytuł"


@pytest.mark.django_db
def test_a_new_view_restriction_ends_cached_answers_at_once(client, content):
    # A page made private must leave the API now, not when the cache expires.
    from wagtail.models import PageViewRestriction

    url = f"/api/v1/meetings/{content.workshop.pk}/"
    with override_settings(PROGRAMMES_API_RESPONSE_CACHE=60):
        first = get(client, url)
        assert first.status_code == 200
        restriction = PageViewRestriction.objects.create(
            page=content.workshop, restriction_type="login"
        )
        assert get(client, url).status_code == 404
        assert get(client, url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
        restriction.delete()
        assert get(client, url).status_code == 200


@pytest.mark.django_db
def test_search_and_preview_are_never_validated_or_cached(client, content):
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("programmes_api:search")
    except NoReverseMatch:
        pytest.skip("search API not mounted")
    response = get(client, url)
    assert not response.has_header("ETag")
    assert not get(client, "/api/v1/preview/").has_header("ETag")


@pytest.mark.django_db
def test_revalidations_and_cached_answers_count_against_the_limit(client, content):
    url = "/api/v1/news/"
    etag = get(client, url, REMOTE_ADDR="10.1.2.9")["ETag"]
    with _rates("2/min"), override_settings(PROGRAMMES_API_RESPONSE_CACHE=60):
        statuses = [
            get(client, url, REMOTE_ADDR="10.1.2.6", HTTP_IF_NONE_MATCH=etag).status_code,
            get(client, url, REMOTE_ADDR="10.1.2.6").status_code,
            get(client, url, REMOTE_ADDR="10.1.2.6", HTTP_IF_NONE_MATCH=etag).status_code,
        ]
    assert statuses == [304, 200, 429]
