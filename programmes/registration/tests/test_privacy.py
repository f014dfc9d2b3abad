"""None of the personal data reaches the public API or search; the API shows counts only."""

from __future__ import annotations

import pytest
from wagtail.search import index

from programmes.registration import services
from programmes.registration.models import Application, Registration

from .conftest import HOST, make_meeting, make_session

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zenobia Przykładowska"
SECRET_EMAIL = "zenobia.tajna@example.org"


def test_registration_models_are_not_searchable_or_page_fields():
    from programmes.models import MeetingPage, MeetingPageSession, WorkingGroupPage

    assert not issubclass(Registration, index.Indexed)
    assert not issubclass(Application, index.Indexed)
    for model in (MeetingPage, MeetingPageSession, WorkingGroupPage):
        exposed = {field.name for field in model.api_fields}
        assert not exposed & {"registrations", "applications"}, model


@pytest.fixture
def registered(programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=5)])
    session = meeting.sessions.get()
    services.register(
        meeting,
        [session],
        services.PersonData(name=SECRET_NAME, email=SECRET_EMAIL, organisation="Tajna Fundacja"),
        send_email=False,
    )
    return meeting


def _assert_clean(response):
    body = response.content.decode()
    assert response.status_code == 200, body[:500]
    for secret in (SECRET_NAME, SECRET_EMAIL, "Tajna Fundacja", "Przykładowska"):
        assert secret not in body


def test_api_responses_carry_counts_but_no_personal_data(registered, client):
    pytest.importorskip("programmes.api.hooks")
    listing = client.get("/api/v1/meetings/", HTTP_HOST=HOST)
    _assert_clean(listing)
    items = listing.json()
    items = items.get("results", items) if isinstance(items, dict) else items
    ours = next(item for item in items if item["id"] == registered.pk)
    assert ours["registration"]["remaining_places"] == 4

    detail = client.get(f"/api/v1/meetings/{registered.pk}/", HTTP_HOST=HOST)
    _assert_clean(detail)
    assert detail.json()["registration"]["remaining_places"] == 4

    _assert_clean(client.get("/api/v2/pages/?type=programmes.MeetingPage&fields=*", HTTP_HOST=HOST))
    _assert_clean(client.get(f"/api/v2/pages/{registered.pk}/", HTTP_HOST=HOST))


def test_remaining_places_bulk_counts_only(registered, programme):
    unlimited = make_meeting(programme, sessions=[make_session(capacity=None)])
    by_email = make_meeting(programme, registration_mode="email", registration_email="x@um.pl")
    places = services.remaining_places_bulk([registered, unlimited, by_email])
    assert places == {registered.pk: 4, unlimited.pk: None, by_email.pk: None}
