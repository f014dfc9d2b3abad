"""Domain API (/api/v1/) of a city and of the platform: shapes, filters, errors, scope."""

from __future__ import annotations

import datetime

import pytest
from _api_content import build_content
from django.db import connection
from django.utils import timezone

HOST = "warszawa.localhost"


@pytest.fixture
def content(city):
    return build_content()


def get(client, url, host=HOST, **params):
    return client.get(url, params, HTTP_HOST=host)


def ok(client, url, **params):
    response = get(client, url, **params)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return response.json()


def titles(data):
    return [item["title"] for item in data["results"]]


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


# --- Meetings ----------------------------------------------------------------


@pytest.mark.django_db
def test_meetings_are_live_public_and_ordered_by_first_session(client, content):
    data = ok(client, "/api/v1/meetings/")
    listed = titles(data)
    assert data["count"] == len(listed) == 7
    assert "Szkic spotkania" not in listed, "drafts are never listed"
    assert "Spotkanie zamknięte" not in listed, "pages behind a view restriction are not public"
    starts = [item["start"] for item in data["results"]]
    assert starts == sorted(starts)
    assert listed[0] == "Spotkanie grupy roboczej"  # 60 days ago


@pytest.mark.django_db
def test_upcoming_meetings_with_sessions_venue_accessibility_and_places(client, content):
    data = ok(client, "/api/v1/meetings/", upcoming="true")
    assert titles(data) == [
        "Warsztat diagnostyczny na Pradze",
        "Odwołane spotkanie",
        "Spotkanie o budżecie",
        "Spotkanie konsultacyjne",
        "Open Space: miasto dialogu",
    ]
    workshop = data["results"][0]
    assert workshop["programme"] == {
        "id": content.programme.pk,
        "slug": "program-rozwoju-dialogu",
        "title": "Program Rozwoju Dialogu",
    }
    assert workshop["kind"] == "workshop" and workshop["status"] == "planned"
    first, second = workshop["sessions"]
    assert first["label"] == "Sesja I"
    assert first["venue"]["name"] == "Pałac Ślubów"
    assert first["venue"]["full_address"] == "pl. Zamkowy 6, 00-277 Warszawa"
    assert first["venue"]["latitude"] == pytest.approx(52.248)
    assert second["venue"] is None and second["online_url"] == "https://example.org/live"
    assert workshop["accessibility"] == {
        "sign_language_interpreter": True,
        "step_free_access": True,
        "notes": "Pętla indukcyjna w sali.",
    }
    registration = workshop["registration"]
    assert registration["mode"] == "email" and registration["email"] == "zapisy@um.example.pl"
    assert registration["capacity"] == 50
    assert registration["remaining_places"] is None  # not tracked without a provider
    assert registration["is_open"] is True
    assert workshop["next_session_start"] == first["start"]
    assert workshop["calendar_url"].endswith(f"/feeds/meetings/{content.workshop.pk}.ics")
    cancelled = data["results"][1]
    assert cancelled["status"] == "cancelled" and cancelled["registration"]["is_open"] is False


@pytest.mark.django_db
def test_remaining_places_come_from_the_registered_provider(client, content):
    from programmes.api import hooks

    previous = hooks._places_provider
    hooks.register_places_provider(lambda meetings: {m.pk: 7 for m in meetings})
    try:
        data = ok(client, "/api/v1/meetings/", upcoming="true")
    finally:
        hooks.register_places_provider(previous)
    assert {item["registration"]["remaining_places"] for item in data["results"]} == {7}


@pytest.mark.django_db
def test_meeting_filters(client, content):
    assert titles(ok(client, "/api/v1/meetings/", upcoming="false")) == [
        "Spotkanie grupy roboczej",
        "Spotkanie plenarne",
    ]
    by_programme = titles(ok(client, "/api/v1/meetings/", programme="budzet-obywatelski"))
    assert by_programme == ["Spotkanie o budżecie"]
    # Meetings below a consultation or a working group belong to the programme too.
    in_programme = titles(ok(client, "/api/v1/meetings/", programme="program-rozwoju-dialogu"))
    assert "Spotkanie konsultacyjne" in in_programme and "Spotkanie grupy roboczej" in in_programme
    assert ok(client, "/api/v1/meetings/", programme="no-such-programme")["count"] == 0
    assert titles(ok(client, "/api/v1/meetings/", kind="plenary")) == [
        "Spotkanie plenarne",
        "Spotkanie o budżecie",
    ]
    assert titles(ok(client, "/api/v1/meetings/", status="cancelled")) == ["Odwołane spotkanie"]
    today = timezone.localdate()
    window = ok(
        client,
        "/api/v1/meetings/",
        **{
            "from": (today + datetime.timedelta(days=4)).isoformat(),
            "to": (today + datetime.timedelta(days=16)).isoformat(),
        },
    )
    # The workshop's second session (day 10) is inside the window.
    assert titles(window) == [
        "Warsztat diagnostyczny na Pradze",
        "Odwołane spotkanie",
        "Spotkanie o budżecie",
        "Spotkanie konsultacyjne",
    ]


@pytest.mark.django_db
def test_meeting_detail_has_agenda_facilitators_outcome_and_open_space(client, content):
    workshop = ok(client, f"/api/v1/meetings/{content.workshop.pk}/")
    assert workshop["agenda"] == [{"time": "17:00:00", "title": "Powitanie", "description": ""}]
    facilitator = workshop["facilitators"][0]
    assert facilitator["role"] == "moderatorka"
    assert facilitator["person"]["name"] == "Anna Kowalska"
    photo = facilitator["person"]["photo"]
    assert photo["renditions"]["thumbnail"]["url"].startswith("http://warszawa.localhost/")
    assert workshop["open_space"] is None
    plenary = ok(client, f"/api/v1/meetings/{content.plenary.pk}/")
    assert plenary["outcome"]["summary"] == "<p>Przyjęto wnioski.</p>"
    (document,) = plenary["outcome"]["documents"]
    assert document["title"] == "Protokół ze spotkania plenarnego"
    assert document["download_url"].startswith("http://warszawa.localhost/documents/")
    open_space = ok(client, f"/api/v1/meetings/{content.open_space.pk}/")["open_space"]
    assert open_space["guiding_question"] == "Jak wspólnie tworzyć miasto dialogu?"
    assert open_space["participant_groups"] == [
        "Organizacje pozarządowe",
        "Radni miejscy",
        "Urzędnicy",
    ]
    assert open_space["topics"][0]["topic"] == "Budżet obywatelski"
    assert open_space["report"]["kind"] == "report"
    assert open_space["report"]["mime_type"] == "application/pdf"


@pytest.mark.django_db
def test_drafts_and_private_meetings_are_not_found(client, content):
    assert_error(get(client, f"/api/v1/meetings/{content.draft.pk}/"), 404, "not_found")
    assert_error(get(client, f"/api/v1/meetings/{content.private.pk}/"), 404, "not_found")


# --- Programmes, documents, news -----------------------------------------------


@pytest.mark.django_db
def test_programmes_with_phases_and_current_phase(client, content):
    listing = ok(client, "/api/v1/programmes/")
    assert {item["slug"] for item in listing["results"]} == {
        "program-rozwoju-dialogu",
        "budzet-obywatelski",
    }
    programme = ok(client, "/api/v1/programmes/program-rozwoju-dialogu/")
    assert programme["current_phase"]["name"] == "Warsztaty"
    assert [(p["name"], p["is_current"]) for p in programme["phases"]] == [
        ("Diagnoza", False),
        ("Warsztaty", True),
    ]
    assert programme["lead_organisation"]["name"] == "Centrum Komunikacji Społecznej"
    assert programme["coordinator"]["display_name"] == "dr Anna Kowalska"
    assert programme["partners"] == [
        {
            "organisation": programme["partners"][0]["organisation"],
            "role": "partner norweski",
        }
    ]
    assert programme["partners"][0]["organisation"]["kind"] == "ngo"
    assert [block["type"] for block in programme["body"]] == [
        "heading",
        "paragraph",
        "goal",
        "quote",
        "image",
        "document",
    ]
    assert programme["feeds"]["calendar"].endswith(
        "/feeds/programmes/program-rozwoju-dialogu/calendar.ics"
    )
    assert programme["meetings_url"].endswith("/api/v1/meetings/?programme=program-rozwoju-dialogu")
    assert_error(get(client, "/api/v1/programmes/nope/"), 404, "not_found")


@pytest.mark.django_db
def test_documents_filters(client, content):
    data = ok(client, "/api/v1/documents/")
    assert titles(data) == [
        "Summary in English",
        "Protokół ze spotkania plenarnego",
        "Raport z warsztatów diagnostycznych",
    ]
    assert titles(ok(client, "/api/v1/documents/", kind="minutes")) == [
        "Protokół ze spotkania plenarnego"
    ]
    assert titles(ok(client, "/api/v1/documents/", year="2017")) == [
        "Raport z warsztatów diagnostycznych"
    ]
    assert titles(ok(client, "/api/v1/documents/", language="en")) == ["Summary in English"]
    assert ok(client, "/api/v1/documents/", programme="program-rozwoju-dialogu")["count"] == 3
    assert ok(client, "/api/v1/documents/", programme="budzet-obywatelski")["count"] == 0
    report = data["results"][2]
    assert report["file_extension"] == "pdf" and report["file_size"] > 0
    assert report["page_count"] in (None, 1)  # extraction runs in the worker
    assert len(report["checksum"]) == 64


@pytest.mark.django_db
def test_news_newest_first_and_detail_with_body(client, content):
    data = ok(client, "/api/v1/news/")
    assert titles(data) == ["Raport opublikowany", "Ruszają warsztaty"]
    assert titles(ok(client, "/api/v1/news/", **{"from": "2018-01-01"})) == ["Raport opublikowany"]
    detail = ok(client, f"/api/v1/news/{content.news_new.pk}/")
    assert detail["body"][0]["type"] == "paragraph"
    assert detail["programme"]["slug"] == "program-rozwoju-dialogu"


# --- Pagination and bad input ---------------------------------------------------


@pytest.mark.django_db
def test_pagination_counts_and_clamps_huge_limits(client, content):
    page = ok(client, "/api/v1/meetings/", limit=2, offset=1)
    assert page["count"] == 7 and len(page["results"]) == 2
    assert "offset=3" in page["next"] and page["previous"]
    huge = ok(client, "/api/v1/meetings/", limit=10**12)
    assert len(huge["results"]) == 7  # clamped to 100, not an error
    assert ok(client, "/api/v1/meetings/", limit="abc")["count"] == 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/meetings/", {"kind": "party"}, "kind"),
        ("/api/v1/meetings/", {"status": "maybe"}, "status"),
        ("/api/v1/meetings/", {"from": "2018-13-45"}, "from"),
        ("/api/v1/meetings/", {"to": "yesterday"}, "to"),
        ("/api/v1/meetings/", {"upcoming": "soon"}, "upcoming"),
        ("/api/v1/meetings/", {"locale": "xx"}, "locale"),
        ("/api/v1/documents/", {"year": "MMXVIII"}, "year"),
        ("/api/v1/documents/", {"year": "99999999999999"}, "year"),
        ("/api/v1/documents/", {"kind": "novel"}, "kind"),
        ("/api/v1/news/", {"from": "x"}, "from"),
        ("/api/v1/programmes/", {"status": "dormant"}, "status"),
    ],
)
def test_bad_filter_values_are_400_with_field_details(client, content, url, params, field):
    error = assert_error(get(client, url, **params), 400, "invalid")
    assert field in error["details"]


@pytest.mark.django_db
def test_extreme_dates_and_ids_are_not_server_errors(client, content):
    assert ok(client, "/api/v1/meetings/", to="9999-12-31")["count"] == 7
    assert ok(client, "/api/v1/meetings/", **{"from": "0001-01-01"})["count"] == 7
    assert_error(get(client, "/api/v1/meetings/999999999999999999/"), 404, "not_found")
    assert_error(get(client, "/api/v1/meetings/abc/"), 404, "not_found")
    assert_error(get(client, "/api/v1/documents/0/"), 404, "not_found")


@pytest.mark.django_db
def test_one_error_shape_for_unknown_routes_and_methods(client, content):
    assert_error(get(client, "/api/v1/nothing-here/"), 404, "not_found")
    assert_error(get(client, "/api/v3/pages/"), 404, "not_found")
    response = client.post("/api/v1/meetings/", {}, HTTP_HOST=HOST)
    assert_error(response, 405, "method_not_allowed")
    response = client.delete(f"/api/v2/pages/{content.programme.pk}/", HTTP_HOST=HOST)
    assert_error(response, 405, "method_not_allowed")


# --- Locale --------------------------------------------------------------------


@pytest.mark.django_db
def test_locale_selects_the_translation_tree(client, content):
    from wagtail.models import Locale

    english = Locale.objects.get(language_code="en")
    translated = content.programme.copy_for_translation(english, copy_parents=True)
    translated.title = "Dialogue Development Programme"
    translated.save_revision().publish()
    en = ok(client, "/api/v1/programmes/", locale="en")
    assert titles(en) == ["Dialogue Development Programme"]
    assert en["results"][0]["locale"] == "en"
    pl = ok(client, "/api/v1/programmes/")
    assert "Dialogue Development Programme" not in titles(pl)
    detail = ok(client, "/api/v1/programmes/program-rozwoju-dialogu/", locale="en")
    assert detail["title"] == "Dialogue Development Programme"
    # A configured language without a translation yet: empty, not an error.
    assert ok(client, "/api/v1/meetings/", locale="en")["count"] == 0


# --- Isolation and the platform -------------------------------------------------


@pytest.mark.django_db
def test_another_city_sees_none_of_warszawas_content(client, content, wroclaw):
    connection.set_schema_to_public()
    data = ok_host(client, "/api/v1/meetings/", "wroclaw.localhost")
    assert data["count"] == 0
    response = get(client, f"/api/v1/meetings/{content.workshop.pk}/", host="wroclaw.localhost")
    assert response.status_code == 404


def ok_host(client, url, host, **params):
    response = get(client, url, host=host, **params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.django_db
def test_platform_lists_cities_with_domains_languages_and_api_urls(client, cities):
    data = ok_host(client, "/api/v1/cities/", "localhost")
    by_slug = {city["slug"]: city for city in data["results"]}
    assert {"warszawa", "wroclaw"} <= set(by_slug)
    warszawa = by_slug["warszawa"]
    assert warszawa["name"] == "Warszawa"
    assert warszawa["domains"][0] == "warszawa.localhost"
    assert warszawa["languages"] == ["pl", "en"]
    assert warszawa["api_url"] == "http://warszawa.localhost/api/v1/"
    assert warszawa["api_v2_url"] == "http://warszawa.localhost/api/v2/"
    detail = ok_host(client, "/api/v1/cities/wroclaw/", "localhost")
    assert detail["languages"] == ["pl"]
    assert_error(get(client, "/api/v1/cities/gdansk/", host="localhost"), 404, "not_found")
    # The platform has no city endpoints, and cities have no cities endpoint.
    assert_error(get(client, "/api/v1/meetings/", host="localhost"), 404, "not_found")


@pytest.mark.django_db
def test_schemas_document_the_right_endpoints(client, cities):
    import yaml

    platform = yaml.safe_load(get(client, "/api/v1/schema/", host="localhost").content)
    assert {"/api/v1/cities/", "/api/v1/cities/{slug}/"} <= set(platform["paths"])
    assert not any(path.startswith(("/api/v1/meetings", "/api/v2")) for path in platform["paths"])
    city = yaml.safe_load(get(client, "/api/v1/schema/").content)
    assert {"/api/v1/meetings/", "/api/v1/programmes/{slug}/", "/api/v1/documents/"} <= set(
        city["paths"]
    )
    assert not any(path.startswith("/api/v1/cities") for path in city["paths"])
    assert "Error" in city["components"]["schemas"]
    docs = get(client, "/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()
