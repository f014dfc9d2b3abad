"""Headless preview: an editor's draft reaches the city's frontend by token, and only so."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from _api_content import build_content
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory, override_settings

from programmes.api.preview import HEADLESS_MODE
from tenants.models import City

HOST = "warszawa.localhost"


@pytest.fixture
def content(city):
    return build_content()


def _editor_request(city):
    request = RequestFactory().get("/admin/", HTTP_HOST=HOST)
    request.tenant = city
    request.user = get_user_model()(username="editor", is_superuser=True)
    return request


def start_preview(city, page):
    """What Wagtail's admin does when the editor picks the "Frontend" preview mode."""
    response = page.serve_preview(_editor_request(city), HEADLESS_MODE)
    assert response.status_code == 200
    src = re.search(r'<iframe src="([^"]+)"', response.content.decode()).group(1)
    src = src.replace("&amp;", "&")
    query = parse_qs(urlsplit(src).query)
    return src, query["content_type"][0], query["token"][0], response


def fetch_preview(client, content_type, token, host=HOST):
    return client.get(
        "/api/v1/preview/", {"content_type": content_type, "token": token}, HTTP_HOST=host
    )


@pytest.mark.django_db
def test_frontend_preview_mode_is_offered_next_to_the_html_preview(content):
    modes = dict(content.workshop.preview_modes)
    assert "" in modes and HEADLESS_MODE in modes


@pytest.mark.django_db
def test_draft_reaches_the_city_frontend_by_token(client, city, content):
    connection.set_schema_to_public()
    City.objects.filter(pk=city.pk).update(frontend_url="https://dialog.um.warszawa.pl/preview")
    edited_city = City.objects.get(pk=city.pk)  # the shared fixture instance stays as it was
    connection.set_tenant(edited_city)
    page = content.workshop
    page.title = "Wersja robocza warsztatu"  # edited in the form, not saved
    src, content_type, token, response = start_preview(edited_city, page)
    assert src.startswith("https://dialog.um.warszawa.pl/preview/?")
    assert content_type == "programmes.meetingpage"
    assert "https://dialog.um.warszawa.pl" in response._csp_update["frame-src"]

    draft = fetch_preview(client, content_type, token)
    assert draft.status_code == 200, draft.content
    data = draft.json()
    assert data["title"] == "Wersja robocza warsztatu"
    assert data["id"] == page.pk
    assert data["sessions"][0]["venue"]["name"] == "Pałac Ślubów"
    assert "no-store" in draft["Cache-Control"] and "private" in draft["Cache-Control"]
    assert not draft.has_header("ETag")
    # The public API still shows the published title.
    public = client.get(f"/api/v1/meetings/{page.pk}/", HTTP_HOST=HOST).json()
    assert public["title"] == "Warsztat diagnostyczny na Pradze"


@pytest.mark.django_db
def test_without_a_frontend_the_preview_shows_the_drafts_json(client, city, content):
    src, content_type, token, _response = start_preview(city, content.news_new)
    assert src.startswith("http://warszawa.localhost/api/v1/preview/?")
    assert fetch_preview(client, content_type, token).json()["title"] == "Raport opublikowany"


@pytest.mark.django_db
def test_a_new_page_never_saved_can_be_previewed(client, city, content):
    from programmes.models import NewsPage

    page = NewsPage(
        title="Nowa aktualność", slug="nowa", intro="Wkrótce.", locale=content.home.locale
    )
    page.set_url_path(content.programme)
    page.path, page.depth = None, content.programme.depth + 1
    page.get_parent = lambda: content.programme
    _src, content_type, token, _response = start_preview(city, page)
    data = fetch_preview(client, content_type, token).json()
    assert data["title"] == "Nowa aktualność" and data["intro"] == "Wkrótce."


def _assert_error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] in ("permission_denied", "not_found")
    assert "title" not in response.json()


@pytest.mark.django_db
def test_no_token_bad_token_or_other_city_never_see_the_draft(client, city, wroclaw, content):
    _src, content_type, token, _response = start_preview(city, content.workshop)
    _assert_error(client.get("/api/v1/preview/", HTTP_HOST=HOST), 403)
    _assert_error(fetch_preview(client, content_type, ""), 403)
    _assert_error(fetch_preview(client, content_type, token[:-3] + "xyz"), 403)
    _assert_error(fetch_preview(client, "auth.user", token), 404)
    _assert_error(fetch_preview(client, "nothing.here", token), 404)
    _assert_error(fetch_preview(client, "programmes.newspage", token), 404)
    # A valid token of Warszawa means nothing in Wrocław.
    connection.set_schema_to_public()
    _assert_error(fetch_preview(client, content_type, token, host="wroclaw.localhost"), 404)


@pytest.mark.django_db
def test_expired_tokens_are_refused(client, city, content):
    _src, content_type, token, _response = start_preview(city, content.workshop)
    with override_settings(PROGRAMMES_PREVIEW_TOKEN_MAX_AGE=-1):
        _assert_error(fetch_preview(client, content_type, token), 403)
