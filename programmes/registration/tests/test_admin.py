"""Editors' side: registrations per meeting, CSV, attendance, applications and decisions."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from programmes.registration import services
from programmes.registration.models import ACCESSIBILITY_CHOICES, Application, Registration

from .conftest import HOST, make_meeting, make_session, person, requires_tenants

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def meeting_url(meeting, name="meeting"):
    return reverse(f"programmes_registration_admin:{name}", args=[meeting.pk])


@requires_tenants
def test_editor_group_holds_the_registration_permissions(editor):
    # As seeded into every city by tenants.seed.
    for codename in (
        "view_registration",
        "change_registration",
        "view_application",
        "change_application",
        "change_registrationsettings",
    ):
        assert editor.has_perm(f"programmes_registration.{codename}"), codename


def test_editor_sees_registrations_of_a_meeting(editor_client, meeting):
    services.register(
        meeting, list(meeting.sessions.all()), person(1, organisation="Fundacja"), send_email=False
    )
    listing = editor_client.get(reverse("programmes_registration_admin:meetings"), HTTP_HOST=HOST)
    assert listing.status_code == 200
    assert meeting.title in listing.content.decode()

    response = editor_client.get(meeting_url(meeting), HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "osoba1@example.org" in html and "Fundacja" in html


def test_people_without_the_permission_are_turned_away(client, meeting):
    user = get_user_model().objects.create_user("gosc", "gosc@example.org", "haslo-testowe-1")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(meeting_url(meeting), HTTP_HOST=HOST)
    assert response.status_code in (302, 403)
    export = client.get(meeting_url(meeting, "meeting_export"), HTTP_HOST=HOST)
    assert export.status_code in (302, 403)
    assert b"example.org" not in export.content


def test_csv_export_has_one_row_per_place(editor_client, programme):
    sessions = [make_session(days=3, label="Sesja I", capacity=1), make_session(days=4)]
    meeting = make_meeting(programme, sessions=sessions)
    first, second = meeting.sessions.order_by("start")
    services.register(
        meeting,
        [first, second],
        person(
            1,
            name="Anna Nowak",
            organisation="=HYPERLINK(1)",
            accessibility_needs=["sign_language"],
            accessibility_notes="pętla indukcyjna",
        ),
        send_email=False,
    )
    services.register(meeting, [first], person(2, name="Jan Kowalski"), send_email=False)
    Registration.objects.filter(email="osoba1@example.org", session=first).update(attended=True)

    response = editor_client.get(meeting_url(meeting, "meeting_export"), HTTP_HOST=HOST)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "session",
        "name",
        "email",
        "organisation",
        "accessibility_needs",
        "status",
        "attended",
        "created",
    ]
    body = rows[1:]
    assert len(body) == 3
    anna_first = next(r for r in body if r[1] == "Anna Nowak" and r[0].startswith("Sesja I"))
    assert anna_first[2] == "osoba1@example.org"
    assert anna_first[3] == "'=HYPERLINK(1)"  # no formula injection
    # Labels in the admin's language (Polish by default).
    with translation.override("pl"):
        interpreter = str(dict(ACCESSIBILITY_CHOICES)["sign_language"])
        statuses = {k: str(v) for k, v in Registration.STATUS_CHOICES}
    assert anna_first[4] == f"{interpreter}; pętla indukcyjna"
    assert anna_first[5] == statuses["confirmed"]
    assert anna_first[6] == "1"
    jan = next(r for r in body if r[1] == "Jan Kowalski")
    assert jan[5] == statuses["waitlisted"] and jan[6] == "0"


def test_marking_attendance(editor_client, meeting):
    session = meeting.sessions.get()
    rows = [
        services.register(meeting, [session], person(n), send_email=False).registrations[0]
        for n in range(3)
    ]
    response = editor_client.post(
        meeting_url(meeting),
        {
            "action": "attendance",
            "shown": [r.pk for r in rows],
            "attended": [rows[0].pk, rows[2].pk],
        },
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    attended = dict(Registration.objects.values_list("email", "attended"))
    assert attended == {
        "osoba0@example.org": True,
        "osoba1@example.org": False,
        "osoba2@example.org": True,
    }


def test_editor_cancelling_a_place_promotes_the_next_person(editor_client, programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=1)])
    session = meeting.sessions.get()
    first = services.register(meeting, [session], person(1), send_email=False)
    services.register(meeting, [session], person(2), send_email=False)
    mail.outbox.clear()
    editor_client.post(
        meeting_url(meeting),
        {"action": "cancel", "registration": first.registrations[0].pk},
        HTTP_HOST=HOST,
    )
    assert Registration.objects.get(email="osoba2@example.org").status == "confirmed"
    # The editor's cancellation keeps the data until the retention period ends.
    assert Registration.objects.get(email="osoba1@example.org").status == "cancelled"
    assert sorted(m.to[0] for m in mail.outbox) == ["osoba1@example.org", "osoba2@example.org"]


def _apply(group, n, role):
    return services.apply(
        group,
        services.ApplicantData(
            name=f"Kandydat {n}",
            email=f"kandydat{n}@example.org",
            role=role,
            motivation="Chcę pomóc.",
        ),
        send_email=False,
    )


def test_applications_review_counts_and_acceptance_email(editor_client, group):
    # max 4 members, half officials
    applications = [
        _apply(group, n, role)
        for n, role in enumerate(["official", "ngo", "resident", "ngo", "official"])
    ]
    url = reverse("programmes_registration_admin:group", args=[group.pk])
    page = editor_client.get(url, HTTP_HOST=HOST)
    assert page.status_code == 200
    assert "kandydat0@example.org" in page.content.decode()

    mail.outbox.clear()
    for application in applications[:4]:
        editor_client.post(
            url, {"application": application.pk, "decision": "accepted"}, HTTP_HOST=HOST
        )
    counts = services.group_counts(group)
    assert counts["accepted"] == 4 and counts["places_left"] == 0
    assert counts["officials_accepted"] == 1
    assert counts["officials_target"] == 2
    assert counts["officials_share_actual"] == 25
    assert sorted(m.to[0] for m in mail.outbox) == [f"kandydat{n}@example.org" for n in range(4)]
    assert all(group.title in m.subject for m in mail.outbox)

    # The fifth would exceed the maximum: refused, no e-mail.
    mail.outbox.clear()
    response = editor_client.post(
        url, {"application": applications[4].pk, "decision": "accepted"}, HTTP_HOST=HOST
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=applications[4].pk).status == "pending"
    assert not mail.outbox

    # Rejecting and re-accepting does not send a second welcome.
    editor_client.post(
        url, {"application": applications[1].pk, "decision": "rejected"}, HTTP_HOST=HOST
    )
    editor_client.post(
        url, {"application": applications[1].pk, "decision": "accepted"}, HTTP_HOST=HOST
    )
    assert not mail.outbox
    filtered = editor_client.get(url + "?role=official", HTTP_HOST=HOST).content.decode()
    assert "kandydat0@example.org" in filtered and "kandydat1@example.org" not in filtered

    export = editor_client.get(
        reverse("programmes_registration_admin:group_export", args=[group.pk]), HTTP_HOST=HOST
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["name", "email", "role"] and len(rows) == 6


def test_meeting_page_in_the_admin_has_a_registrations_button(editor_client, meeting):
    edit = editor_client.get(
        reverse("wagtailadmin_pages:edit", args=[meeting.pk]), HTTP_HOST=HOST
    ).content.decode()
    assert meeting_url(meeting) in edit


def test_admin_menu_links_to_registrations(editor_client):
    html = editor_client.get(reverse("wagtailadmin_home"), HTTP_HOST=HOST).content.decode()
    assert reverse("programmes_registration_admin:meetings") in html
    assert reverse("programmes_registration_admin:groups") in html


def test_editor_can_edit_the_registration_settings(editor_client, site_home):
    site = site_home.get_site()
    url = reverse(
        "wagtailsettings:edit",
        args=["programmes_registration", "registrationsettings", site.pk],
    )
    response = editor_client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert 'name="retention_days"' in response.content.decode()
