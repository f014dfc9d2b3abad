"""Calendar (iCalendar) and RSS/Atom feeds, parsed the way subscribers' apps parse them."""

from __future__ import annotations

import zoneinfo

import pytest
from _api_content import build_content
from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.test import RequestFactory
from icalendar import Calendar

HOST = "warszawa.localhost"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def content(city):
    return build_content()


def fetch(client, url, content_type):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith(content_type)
    return response.content


def calendar(client, url) -> Calendar:
    return Calendar.from_ical(fetch(client, url, "text/calendar"))


def events(cal):
    return list(cal.walk("VEVENT"))


@pytest.mark.django_db
def test_meeting_calendar_has_one_event_per_session_with_stable_uids(client, content):
    cal = calendar(client, f"/feeds/meetings/{content.workshop.pk}.ics")
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Warsaw"
    first, second = events(cal)
    sessions = list(content.workshop.sessions.all())
    assert str(first["UID"]) == f"meeting-{content.workshop.pk}-session-{sessions[0].pk}@{HOST}"
    assert str(second["UID"]) == f"meeting-{content.workshop.pk}-session-{sessions[1].pk}@{HOST}"
    start = first.decoded("DTSTART")
    assert (
        start.tzinfo is not None
        and start.utcoffset()
        == sessions[0].start.astimezone(zoneinfo.ZoneInfo("Europe/Warsaw")).utcoffset()
    )
    assert start == sessions[0].start
    assert first.decoded("DTEND") == sessions[0].end
    assert first["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert "Sesja I" in str(first["SUMMARY"])
    location = str(first["LOCATION"])
    assert "Pałac Ślubów" in location and "pl. Zamkowy 6, 00-277 Warszawa" in location
    assert str(second["LOCATION"]) == "https://example.org/live"
    assert str(first["URL"]).startswith("http://warszawa.localhost/")
    assert str(first["STATUS"]) == "CONFIRMED"
    assert first.decoded("GEO") is not None
    # The same feed fetched again has the same UIDs (calendar apps update, not duplicate).
    again = calendar(client, f"/feeds/meetings/{content.workshop.pk}.ics")
    assert [str(e["UID"]) for e in events(again)] == [str(e["UID"]) for e in events(cal)]


@pytest.mark.django_db
def test_cancelled_meetings_stay_in_the_feed_as_cancelled(client, content):
    cal = calendar(client, f"/feeds/meetings/{content.cancelled.pk}.ics")
    (event,) = events(cal)
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.django_db
def test_programme_calendar_has_every_meeting_of_the_programme(client, content):
    cal = calendar(client, "/feeds/programmes/program-rozwoju-dialogu/calendar.ics")
    summaries = {str(event["SUMMARY"]) for event in events(cal)}
    # 6 meetings, the workshop with two sessions; no drafts, no private pages, no
    # meetings of other programmes.
    assert len(events(cal)) == 7
    assert any("Spotkanie konsultacyjne" in s for s in summaries)  # below a consultation
    assert not any("budżecie" in s or "Szkic" in s or "zamknięte" in s for s in summaries)
    assert str(cal["X-WR-CALNAME"]) == "Program Rozwoju Dialogu"
    assert client.get("/feeds/programmes/nope/calendar.ics", HTTP_HOST=HOST).status_code == 404


@pytest.mark.django_db
def test_city_calendar_has_every_programme(client, content):
    cal = calendar(client, "/feeds/calendar.ics")
    summaries = " ".join(str(event["SUMMARY"]) for event in events(cal))
    assert "Spotkanie o budżecie" in summaries and "Warsztat diagnostyczny" in summaries
    assert len({str(event["UID"]) for event in events(cal)}) == len(events(cal)) == 8


@pytest.mark.django_db
def test_news_rss_and_atom(client, content):
    rss = ElementTree.fromstring(
        fetch(client, "/feeds/programmes/program-rozwoju-dialogu/news.rss", "application/rss+xml")
    )
    items = rss.findall("./channel/item")
    assert [item.findtext("title") for item in items] == [
        "Raport opublikowany",
        "Ruszają warsztaty",
    ]
    assert items[0].findtext("link").startswith("http://warszawa.localhost/")
    assert items[0].findtext("pubDate")
    atom = ElementTree.fromstring(
        fetch(client, "/feeds/programmes/program-rozwoju-dialogu/news.atom", "application/atom+xml")
    )
    entries = atom.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Raport opublikowany",
        "Ruszają warsztaty",
    ]


@pytest.mark.django_db
def test_documents_rss_with_enclosures_and_atom(client, content):
    rss = ElementTree.fromstring(
        fetch(
            client,
            "/feeds/programmes/program-rozwoju-dialogu/documents.rss",
            "application/rss+xml",
        )
    )
    items = {item.findtext("title"): item for item in rss.findall("./channel/item")}
    assert set(items) == {
        "Summary in English",
        "Protokół ze spotkania plenarnego",
        "Raport z warsztatów diagnostycznych",
    }
    enclosure = items["Raport z warsztatów diagnostycznych"].find("enclosure")
    assert enclosure.get("type") == "application/pdf"
    assert int(enclosure.get("length")) > 0
    assert enclosure.get("url").startswith("http://warszawa.localhost/documents/")
    atom = ElementTree.fromstring(
        fetch(
            client,
            "/feeds/programmes/program-rozwoju-dialogu/documents.atom",
            "application/atom+xml",
        )
    )
    assert len(atom.findall(f"{ATOM}entry")) == 3


@pytest.mark.django_db
def test_feed_links_include_for_head_and_body(content):
    request = RequestFactory().get("/", HTTP_HOST=HOST)
    head = render_to_string(
        "programmes/includes/feed_links.html",
        {"page": content.workshop, "head": True, "request": request},
    )
    assert f'href="/feeds/meetings/{content.workshop.pk}.ics"' in head
    assert 'type="application/rss+xml"' in head and 'type="application/atom+xml"' in head
    assert 'href="/feeds/programmes/program-rozwoju-dialogu/calendar.ics"' in head
    assert head.count('rel="alternate"') == 7
    body = render_to_string(
        "programmes/includes/feed_links.html", {"page": content.home, "request": request}
    )
    assert 'href="/feeds/calendar.ics"' in body and "<h2" in body
    assert "programmes/" not in body  # the home page has no programme feeds
