"""The public side: form on the meeting page, register, abuse checks, cancel link, apply."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programmes.registration import services
from programmes.registration.models import Application, Registration, RegistrationSettings

from .conftest import HOST, make_group, make_meeting, make_session, person

pytestmark = pytest.mark.django_db


def form_data(n=1, **extra):
    data = {
        "name": f"Anna Nowak {n}",
        "email": f"anna{n}@example.org",
        "organisation": "Fundacja Przykładowa",
        "accessibility_needs": ["sign_language", "step_free"],
        "accessibility_notes": "Pętla indukcyjna przy stole",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def register_url(meeting):
    return reverse("programmes_registration:register", args=[meeting.pk])


def test_meeting_page_shows_the_form_with_consent_and_privacy_notice(meeting, client):
    settings_row = RegistrationSettings.for_site(meeting.get_site())
    settings_row.privacy_notice_url = "https://um.warszawa.pl/rodo"
    settings_row.privacy_notice_text = "Administratorem danych jest Prezydent m.st. Warszawy."
    settings_row.save()

    response = client.get(meeting.url, HTTP_HOST=HOST)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{register_url(meeting)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="consent"' in html and 'name="website"' in html
    assert "https://um.warszawa.pl/rodo" in html
    assert "Administratorem danych" in html
    # One session: nothing to choose.
    assert 'name="sessions"' not in html


def test_several_sessions_are_offered_as_checkboxes(programme, client):
    meeting = make_meeting(
        programme, sessions=[make_session(days=3, label="Sesja I"), make_session(days=4)]
    )
    html = client.get(register_url(meeting), HTTP_HOST=HOST).content.decode()
    assert html.count('name="sessions"') == 2
    assert "Sesja I" in html


def test_registering_through_the_form(meeting, client):
    mail.outbox.clear()
    response = client.post(register_url(meeting), form_data(), HTTP_HOST=HOST)
    assert response.status_code == 200
    registration = Registration.objects.get(email="anna1@example.org")
    assert registration.status == "confirmed"
    assert registration.organisation == "Fundacja Przykładowa"
    assert registration.accessibility_needs == ["sign_language", "step_free"]
    assert registration.accessibility_notes == "Pętla indukcyjna przy stole"
    assert registration.consent_at is not None
    assert len(mail.outbox) == 1


def test_consent_is_required(meeting, client):
    response = client.post(register_url(meeting), form_data(consent=""), HTTP_HOST=HOST)
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_duplicate_is_refused_politely(meeting, client):
    client.post(register_url(meeting), form_data(), HTTP_HOST=HOST)
    response = client.post(
        register_url(meeting), form_data(email="ANNA1@example.org"), HTTP_HOST=HOST
    )
    assert response.status_code == 409
    assert 'data-error="duplicate"' in response.content.decode()
    assert Registration.objects.count() == 1


def test_after_the_deadline_the_form_is_closed(programme, client):
    meeting = make_meeting(
        programme, registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.get(register_url(meeting), HTTP_HOST=HOST)
    assert 'name="consent"' not in page.content.decode()
    response = client.post(register_url(meeting), form_data(), HTTP_HOST=HOST)
    assert response.status_code == 409
    assert 'data-state="deadline"' in response.content.decode()
    assert not Registration.objects.exists()


def test_full_meeting_without_waiting_list_shows_no_form(programme, client):
    meeting = make_meeting(programme, sessions=[make_session(capacity=1)], waiting_list=False)
    services.register(meeting, list(meeting.sessions.all()), person(1), send_email=False)
    html = client.get(register_url(meeting), HTTP_HOST=HOST).content.decode()
    assert 'data-state="full"' in html and 'name="consent"' not in html


def test_honeypot_stores_nothing_but_looks_like_success(meeting, client):
    response = client.post(
        register_url(meeting), form_data(website="http://spam.example"), HTTP_HOST=HOST
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_rate_limit_per_address(meeting, client):
    for n in range(10):
        response = client.post(register_url(meeting), form_data(n), HTTP_HOST=HOST)
        assert response.status_code == 200, n
    response = client.post(register_url(meeting), form_data(99), HTTP_HOST=HOST)
    assert response.status_code == 429
    assert Registration.objects.count() == 10
    # Another address is not affected.
    other = client.post(
        register_url(meeting), form_data(100), HTTP_HOST=HOST, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 200


def test_csrf_is_enforced(meeting):
    client = Client(enforce_csrf_checks=True)
    response = client.post(register_url(meeting), form_data(), HTTP_HOST=HOST)
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_unknown_or_non_form_meeting_is_404(programme, client):
    by_email = make_meeting(programme, registration_mode="email", registration_email="z@um.pl")
    assert client.get(register_url(by_email), HTTP_HOST=HOST).status_code == 404
    url = reverse("programmes_registration:register", args=[999999])
    assert client.get(url, HTTP_HOST=HOST).status_code == 404


# --- the cancellation link -------------------------------------------------


def _cancel_link(message):
    pattern = rf"http://{re.escape(HOST)}(/udzial/cancel/\S+/)"
    return re.search(pattern, message.body).group(1)


def test_cancel_link_confirms_on_get_and_cancels_on_post(programme, client):
    meeting = make_meeting(programme, sessions=[make_session(capacity=1)])
    client.post(register_url(meeting), form_data(1), HTTP_HOST=HOST)
    client.post(register_url(meeting), form_data(2), HTTP_HOST=HOST)
    link = _cancel_link(mail.outbox[0])
    mail.outbox.clear()

    page = client.get(link, HTTP_HOST=HOST)
    assert page.status_code == 200
    assert 'data-action="cancel"' in page.content.decode()
    assert Registration.objects.get(email="anna1@example.org").status == "confirmed"

    done = client.post(link, HTTP_HOST=HOST)
    assert done.status_code == 200
    assert not Registration.objects.filter(email="anna1@example.org").exists()
    cancelled = Registration.objects.get(status="cancelled")
    assert cancelled.name == "" and cancelled.anonymised_at is not None
    assert Registration.objects.get(email="anna2@example.org").status == "confirmed"
    assert sorted(m.to[0] for m in mail.outbox) == ["anna1@example.org", "anna2@example.org"]

    again = client.get(link, HTTP_HOST=HOST)
    assert again.status_code == 200 and 'data-page="cancelled"' in again.content.decode()


def test_bad_and_expired_links_get_a_friendly_400(meeting, client, settings):
    bad = client.get("/udzial/cancel/b.not-a-real-token:abc:def/", HTTP_HOST=HOST)
    assert bad.status_code == 400
    assert 'data-page="bad-link"' in bad.content.decode()

    client.post(register_url(meeting), form_data(), HTTP_HOST=HOST)
    link = _cancel_link(mail.outbox[0])
    settings.PROGRAMMES_REGISTRATION_TOKEN_MAX_AGE = -1
    expired = client.post(link, HTTP_HOST=HOST)
    assert expired.status_code == 400
    assert Registration.objects.get().status == "confirmed"


# --- working-group applications --------------------------------------------


def application_data(n=1, **extra):
    data = {
        "name": f"Jan Kowalski {n}",
        "email": f"jan{n}@example.org",
        "role": "ngo",
        "organisation": "Stowarzyszenie Sąsiedzkie",
        "motivation": "Chcę współtworzyć program.",
        "experience": "Pięć lat w radzie działalności pożytku publicznego.",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def apply_url(group):
    return reverse("programmes_registration:apply", args=[group.pk])


def test_working_group_page_shows_the_application_form(group, client):
    html = client.get(group.url, HTTP_HOST=HOST).content.decode()
    assert f'action="{apply_url(group)}"' in html
    assert 'name="motivation"' in html and 'name="role"' in html


def test_applying_and_withdrawing(group, client):
    mail.outbox.clear()
    response = client.post(apply_url(group), application_data(), HTTP_HOST=HOST)
    assert response.status_code == 200
    application = Application.objects.get()
    assert (application.role, application.status) == ("ngo", "pending")
    (message,) = mail.outbox
    link = _cancel_link(message)

    again = client.post(apply_url(group), application_data(), HTTP_HOST=HOST)
    assert again.status_code == 409

    assert 'data-action="withdraw"' in client.get(link, HTTP_HOST=HOST).content.decode()
    client.post(link, HTTP_HOST=HOST)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.email == "" and application.motivation == ""


def test_applications_are_closed_outside_the_recruitment_window(programme, client):
    today = timezone.localdate()
    later = make_group(
        programme,
        recruitment_start=today + datetime.timedelta(days=2),
        recruitment_end=today + datetime.timedelta(days=9),
    )
    response = client.post(apply_url(later), application_data(), HTTP_HOST=HOST)
    assert response.status_code == 409
    assert 'data-state="before"' in response.content.decode()
    past = make_group(
        programme,
        recruitment_start=today - datetime.timedelta(days=20),
        recruitment_end=today - datetime.timedelta(days=1),
    )
    assert client.post(apply_url(past), application_data(), HTTP_HOST=HOST).status_code == 409
    assert not Application.objects.exists()
