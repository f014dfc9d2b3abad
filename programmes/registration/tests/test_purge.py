"""Personal data retention: purge_personal_data anonymises what is past the period."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from programmes.registration.models import Application, Registration, RegistrationSettings

from .conftest import make_group, make_meeting, make_session, requires_tenants

pytestmark = pytest.mark.django_db


def _registration(meeting, n, **extra):
    return Registration.objects.create(
        meeting=meeting,
        session=meeting.sessions.first(),
        name=f"Osoba {n}",
        email=f"osoba{n}@example.org",
        organisation="Fundacja",
        accessibility_needs=["step_free"],
        accessibility_notes="wózek",
        status=extra.pop("status", "confirmed"),
        attended=True,
        **extra,
    )


def _application(group, n):
    return Application.objects.create(
        group=group,
        name=f"Kandydat {n}",
        email=f"kandydat{n}@example.org",
        role="resident",
        motivation="Chcę pomóc.",
        experience="Dużo.",
    )


@pytest.fixture
def data(programme):
    today = timezone.localdate()
    old = make_meeting(programme, sessions=[make_session(days=-100)])
    recent = make_meeting(programme, sessions=[make_session(days=-10)])
    old_group = make_group(
        programme,
        recruitment_start=today - datetime.timedelta(days=140),
        recruitment_end=today - datetime.timedelta(days=100),
    )
    open_group = make_group(programme)
    return {
        "old": _registration(old, 1),
        "old_cancelled": _registration(old, 2, status="cancelled"),
        "recent": _registration(recent, 3),
        "old_application": _application(old_group, 1),
        "open_application": _application(open_group, 2),
    }


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_purge_anonymises_past_the_retention_period(data):
    output = _run("purge_personal_data")

    assert "2 registrations, 1 applications" in output
    old = Registration.objects.get(pk=data["old"].pk)
    assert (old.name, old.email, old.organisation, old.accessibility_notes) == ("", "", "", "")
    assert old.accessibility_needs == [] and old.anonymised_at is not None
    # What statistics need stays.
    assert (old.status, old.attended, old.session_id) == ("confirmed", True, data["old"].session_id)
    assert Registration.objects.get(pk=data["recent"].pk).email == "osoba3@example.org"
    application = Application.objects.get(pk=data["old_application"].pk)
    assert (application.name, application.email, application.motivation) == ("", "", "")
    assert Application.objects.get(pk=data["open_application"].pk).email == "kandydat2@example.org"

    assert "0 registrations, 0 applications" in _run("purge_personal_data")


def test_retention_period_comes_from_the_site_settings(data, programme):
    settings_row = RegistrationSettings.for_site(programme.get_site())
    settings_row.retention_days = 5
    settings_row.save()
    _run("purge_personal_data")
    assert Registration.objects.get(pk=data["recent"].pk).email == ""


def test_dry_run_changes_nothing(data):
    output = _run("purge_personal_data", "--dry-run")
    assert "would anonymise: 2 registrations, 1 applications" in output
    assert Registration.objects.filter(anonymised_at__isnull=False).count() == 0


@requires_tenants
def test_purge_for_every_city(data):
    output = _run("purge_personal_data_all", "--city", "warszawa")
    assert "warszawa\tanonymised: 2 registrations, 1 applications" in output
    assert Registration.objects.get(pk=data["old"].pk).email == ""
