"""The API shows places exactly as the registration form counts them.

Places come from ``services.places_bulk`` (registered as the API's places
provider), never from a computation of the API's own: reserved places are not
open to registration, and the listing stays a constant number of queries.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.registration import services

from .conftest import HOST, TENANT_MODE, make_meeting, make_session, person

pytestmark = [pytest.mark.django_db]
if TENANT_MODE:
    # Build the cities before the test's transaction (see test_meeting_cancelled.py).
    pytestmark.append(pytest.mark.usefixtures("cities"))


def _listing(client):
    response = client.get("/api/v1/meetings/", {"limit": 100}, HTTP_HOST=HOST)
    assert response.status_code == 200, response.content[:500]
    return {item["id"]: item for item in response.json()["results"]}


def _detail(client, meeting):
    response = client.get(f"/api/v1/meetings/{meeting.pk}/", HTTP_HOST=HOST)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_reserved_places_are_not_offered_in_the_listing_or_detail(client, programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=10, reserved=2)])
    session = meeting.sessions.get()
    for n in range(1, 8):
        services.register(meeting, [session], person(n), send_email=False)

    for item in (_listing(client)[meeting.pk], _detail(client, meeting)):
        (shown,) = item["sessions"]
        assert shown["capacity"] == 10
        assert shown["reserved_places"] == 2
        assert shown["remaining_places"] == 1
        assert shown["waiting_list_open"] is False
        registration = item["registration"]
        assert registration["remaining_places"] == 1
        assert registration["capacity"] == 8  # open to registration
        assert registration["is_open"] is True
        assert registration["waiting_list_open"] is False
    # The form agrees: one more is confirmed, the next one waits.
    assert services.register(meeting, [session], person(8), send_email=False).confirmed
    assert services.register(meeting, [session], person(9), send_email=False).waitlisted
    item = _detail(client, meeting)
    assert item["sessions"][0]["remaining_places"] == 0
    assert item["sessions"][0]["waiting_list_open"] is True
    assert item["registration"]["waiting_list_open"] is True


def test_places_per_session_of_a_meeting_with_several_sessions(client, programme):
    meeting = make_meeting(
        programme,
        sessions=[
            make_session(days=5, capacity=4, reserved=1),
            make_session(days=6, capacity=None),
        ],
    )
    first, second = meeting.sessions.order_by("start")
    services.register(meeting, [first, second], person(1), send_email=False)
    item = _detail(client, meeting)
    by_id = {s["id"]: s for s in item["sessions"]}
    assert by_id[first.pk]["remaining_places"] == 2
    assert by_id[second.pk]["remaining_places"] is None  # unlimited
    assert item["registration"]["remaining_places"] is None  # unlimited overall
    # The API shows what the service says, key for key.
    summary = services.meeting_places(meeting)
    bulk = services.places_bulk([meeting])[meeting.pk]
    assert bulk["sessions"] == {row.pop("id"): row for row in summary["sessions"]}
    assert {k: v for k, v in bulk.items() if k != "sessions"} == {
        k: v for k, v in summary.items() if k != "sessions"
    }


def test_meetings_without_the_form_do_not_track_places(client, programme):
    meeting = make_meeting(
        programme,
        registration_mode="email",
        registration_email="zapisy@um.example.pl",
        sessions=[make_session(capacity=30, reserved=5)],
    )
    item = _listing(client)[meeting.pk]
    assert item["sessions"][0]["remaining_places"] is None
    assert item["registration"]["remaining_places"] is None
    assert item["registration"]["capacity"] == 30  # informational, as entered


def test_listing_queries_do_not_grow_with_meetings(
    client, programme, django_assert_max_num_queries
):
    def add_meeting(n):
        meeting = make_meeting(
            programme,
            sessions=[make_session(days=3 + n, capacity=6, reserved=1), make_session(days=9)],
        )
        services.register(meeting, list(meeting.sessions.all()), person(n), send_email=False)

    add_meeting(1)
    _listing(client)  # warm per-process caches (site roots, content types)
    with CaptureQueriesContext(connection) as one:
        assert len(_listing(client)) == 1
    budget = len(one.captured_queries)  # (read now: the next request resets the log)
    for n in range(2, 9):
        add_meeting(n)
    # New content: the site and view restrictions are read again, once
    # (programmes.api.scope); what must not grow is the per-meeting work.
    _listing(client)
    with django_assert_max_num_queries(budget):
        listing = _listing(client)
    assert len(listing) == 8
    assert {item["registration"]["remaining_places"] for item in listing.values()} == {None}
    assert {item["sessions"][0]["remaining_places"] for item in listing.values()} == {4}


def _v2_sessions(client, path, **params):
    response = client.get(path, params, HTTP_HOST=HOST)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_api_v2_sessions_show_places_like_v1(client, programme):
    meeting = make_meeting(
        programme,
        sessions=[make_session(days=5, capacity=3, reserved=1), make_session(days=6)],
    )
    first, second = meeting.sessions.order_by("start")
    services.register(meeting, [first, second], person(1), send_email=False)
    services.register(meeting, [first], person(2), send_email=False)
    services.register(meeting, [first], person(3), send_email=False)  # waits

    detail = _v2_sessions(client, f"/api/v2/pages/{meeting.pk}/")
    by_id = {s["id"]: s for s in detail["sessions"]}
    assert by_id[first.pk]["capacity"] == 3
    assert by_id[first.pk]["reserved_places"] == 1
    assert by_id[first.pk]["remaining_places"] == 0
    assert by_id[first.pk]["waiting_list_open"] is True
    assert by_id[second.pk]["remaining_places"] is None  # unlimited
    assert by_id[second.pk]["waiting_list_open"] is False
    v1 = {s["id"]: s for s in _detail(client, meeting)["sessions"]}
    for pk, shown in by_id.items():
        for key in ("reserved_places", "remaining_places", "waiting_list_open"):
            assert shown[key] == v1[pk][key], key


def test_api_v2_listing_counts_places_of_all_meetings_at_once(client, programme):
    def add_meeting(n):
        meeting = make_meeting(programme, sessions=[make_session(days=3 + n, capacity=6)])
        services.register(meeting, list(meeting.sessions.all()), person(n), send_email=False)

    params = {"type": "programmes.MeetingPage", "fields": "sessions", "limit": 20}
    add_meeting(1)
    _v2_sessions(client, "/api/v2/pages/", **params)  # warm per-process caches
    with CaptureQueriesContext(connection) as one:
        _v2_sessions(client, "/api/v2/pages/", **params)
    budget = len(one.captured_queries)  # (read now: the next request resets the log)
    for n in range(2, 7):
        add_meeting(n)
    _v2_sessions(client, "/api/v2/pages/", **params)  # new content: scope read again once
    with CaptureQueriesContext(connection) as six:
        items = _v2_sessions(client, "/api/v2/pages/", **params)["items"]
    assert len(items) == 6
    assert {item["sessions"][0]["remaining_places"] for item in items} == {5}
    assert len(six.captured_queries) <= budget


def test_a_registration_changes_the_etag_so_revalidation_gets_new_counts(client, programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=5, reserved=1)])
    url = f"/api/v1/meetings/{meeting.pk}/"
    first = client.get(url, HTTP_HOST=HOST)
    assert first.json()["registration"]["remaining_places"] == 4
    etag = first["ETag"]
    assert client.get(url, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.register(meeting, list(meeting.sessions.all()), person(1), send_email=False)
    again = client.get(url, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again.json()["registration"]["remaining_places"] == 3
    assert again["ETag"] != etag


def test_the_content_fingerprint_follows_registrations(programme):
    from programmes.api.caching import wagtail_fingerprint

    meeting = make_meeting(programme, sessions=[make_session(capacity=5)])
    before = wagtail_fingerprint()
    result = services.register(meeting, list(meeting.sessions.all()), person(1), send_email=False)
    registered = wagtail_fingerprint()
    assert registered.token != before.token  # another process (its own cache) sees it too
    services.cancel_booking(result.booking)
    assert wagtail_fingerprint().token != registered.token
