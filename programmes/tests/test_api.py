"""The plugin's API and feeds, in the multi-city project and in a plain Wagtail site.

Runs under both settings (see conftest.py): the cross-app API tests live in
tests/test_api_*.py; these prove the plugin needs nothing from tenants.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from icalendar import Calendar

from programmes import factories as f
from programmes.api.preview import HEADLESS_MODE


@pytest.fixture
def meeting(home):
    index = f.ProgrammeIndexPageFactory(parent=home)
    programme = f.ProgrammePageFactory(parent=index, slug="program-dialogu")
    return f.MeetingPageFactory(
        parent=programme,
        title="Warsztat",
        sessions=[f.session(days=3), f.session(days=5, venue=None, online_url="https://x.org/")],
    )


def get(client, host, url, **extra):
    return client.get(url, HTTP_HOST=host, **extra)


@pytest.mark.django_db
def test_domain_api_lists_and_details_meetings(client, site_host, meeting):
    data = get(client, site_host, "/api/v1/meetings/", data={"upcoming": "true"}).json()
    assert [item["title"] for item in data["results"]] == ["Warsztat"]
    item = data["results"][0]
    assert item["programme"]["slug"] == "program-dialogu"
    assert item["sessions"][0]["venue"]["name"]
    detail = get(client, site_host, f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["id"] == meeting.pk and len(detail["sessions"]) == 2


@pytest.mark.django_db
def test_wagtail_api_expands_snippets(client, site_host, meeting):
    data = get(client, site_host, f"/api/v2/pages/{meeting.pk}/").json()
    assert data["sessions"][0]["venue"]["full_address"]
    assert data["meta"]["type"] == "programmes.MeetingPage"


@pytest.mark.django_db
def test_errors_have_one_shape(client, site_host, meeting):
    response = get(client, site_host, "/api/v1/meetings/", data={"kind": "party"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    response = get(client, site_host, "/api/v1/nothing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_etag_revalidation(client, site_host, meeting):
    etag = get(client, site_host, "/api/v1/meetings/")["ETag"]
    response = get(client, site_host, "/api/v1/meetings/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


@pytest.mark.django_db
def test_meeting_calendar(client, site_host, meeting):
    response = get(client, site_host, f"/feeds/meetings/{meeting.pk}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert all(str(e["UID"]).startswith(f"meeting-{meeting.pk}-session-") for e in events)
    assert str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Warsaw"


@pytest.mark.django_db
def test_headless_preview_without_a_frontend_url(client, site_host, meeting):
    request = RequestFactory().get("/admin/", HTTP_HOST=site_host)
    request.user = get_user_model()(username="editor", is_superuser=True)
    meeting.title = "Szkic"
    response = meeting.serve_preview(request, HEADLESS_MODE)
    src = re.search(r'<iframe src="([^"]+)"', response.content.decode()).group(1)
    query = parse_qs(urlsplit(src.replace("&amp;", "&")).query)
    draft = get(
        client,
        site_host,
        "/api/v1/preview/",
        data={"content_type": query["content_type"][0], "token": query["token"][0]},
    )
    assert draft.status_code == 200 and draft.json()["title"] == "Szkic"
    assert get(client, site_host, "/api/v1/preview/").status_code == 403
