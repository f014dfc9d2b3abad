"""Editors get clear form errors instead of broken pages.

Most checks go through the admin form class Wagtail builds from the panels
(so inline formsets and the form's cross-field checks both take part); one
goes through the real admin add view to see the error in Polish.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from programmes import factories as f
from programmes.models import ConsultationPage, MeetingPage, NewsPage

FMT = "%Y-%m-%d %H:%M"


@pytest.fixture
def programme(home):
    return f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home))


@pytest.fixture
def editor(home):
    return get_user_model().objects.create_superuser(
        "redaktor", "redaktor@example.org", "hasło-testowe-123"
    )


def _when(days, hour):
    base = timezone.localtime() + datetime.timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def meeting_data(venue, sessions, **fields):
    data = {
        "title": "Warsztat",
        "slug": "warsztat",
        "kind": "workshop",
        "status": "planned",
        "intro": "",
        "body": rich_text(""),
        "accessibility_notes": "",
        "registration_mode": "none",
        "registration_email": "",
        "registration_url": "",
        "registration_deadline": "",
        "waiting_list": "on",
        "outcome_summary": rich_text(""),
        "sessions": inline_formset(
            [
                {
                    "label": "",
                    "start": start.strftime(FMT),
                    "end": end.strftime(FMT) if end else "",
                    "venue": str(venue.pk),
                    "room": "",
                    "online_url": "",
                    "capacity": "",
                    "reserved_places": "0",
                }
                for start, end in sessions
            ],
            min=1,
        ),
        "agenda_items": inline_formset([]),
        "facilitators": inline_formset([]),
        "outcome_documents": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def meeting_form(programme, data, user=None):
    form_class = MeetingPage.get_edit_handler().get_form_class()
    return form_class(data, instance=MeetingPage(), parent_page=programme, for_user=user)


@pytest.mark.django_db
def test_valid_meeting_form_saves_with_session_bounds(programme, editor):
    venue = f.VenueFactory()
    start, end = _when(10, 17), _when(10, 20)
    form = meeting_form(programme, meeting_data(venue, [(start, end)]), editor)
    assert form.is_valid(), (form.errors, [fs.errors for fs in form.formsets.values()])
    page = form.save(commit=False)
    programme.add_child(instance=page)
    page.refresh_from_db()
    assert page.first_session_start == start and page.last_session_end == end


@pytest.mark.django_db
def test_session_ending_before_it_starts_is_refused(programme, editor):
    venue = f.VenueFactory()
    form = meeting_form(programme, meeting_data(venue, [(_when(10, 17), _when(10, 15))]), editor)
    with translation.override("pl"):
        assert not form.is_valid()
        errors = form.formsets["sessions"].errors[0]
        assert errors["end"] == ["Sesja musi się kończyć później, niż się zaczyna."]


@pytest.mark.django_db
def test_session_needs_a_venue_or_online_link(programme, editor):
    venue = f.VenueFactory()
    data = meeting_data(venue, [(_when(10, 17), _when(10, 19))])
    data["sessions-0-venue"] = ""
    form = meeting_form(programme, data, editor)
    assert not form.is_valid()
    assert "venue" in form.formsets["sessions"].errors[0]


@pytest.mark.django_db
def test_registration_deadline_after_first_session_is_refused(programme, editor):
    venue = f.VenueFactory()
    first, second = (_when(10, 17), _when(10, 19)), (_when(3, 17), _when(3, 19))
    data = meeting_data(
        venue,
        [first, second],
        registration_deadline=_when(5, 12).strftime(FMT),  # after the 3-day session
    )
    form = meeting_form(programme, data, editor)
    with translation.override("pl"):
        assert not form.is_valid()
        assert form.errors["registration_deadline"] == [
            "Zapisy muszą się zakończyć przed rozpoczęciem pierwszej sesji."
        ]

    data["registration_deadline"] = _when(2, 12).strftime(FMT)
    assert meeting_form(programme, data, editor).is_valid()


@pytest.mark.django_db
def test_registration_by_email_needs_an_address(programme, editor):
    venue = f.VenueFactory()
    data = meeting_data(venue, [(_when(4, 10), _when(4, 12))], registration_mode="email")
    form = meeting_form(programme, data, editor)
    assert not form.is_valid()
    assert "registration_email" in form.errors


@pytest.mark.django_db
def test_consultation_ending_before_it_starts_is_refused(programme, editor):
    form_class = ConsultationPage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": "Konsultacje",
            "slug": "konsultacje",
            "subject": "Projekt programu",
            "status": "planned",
            "channels": rich_text(""),
            "comments_email": "",
            "form_url": "",
            "start_date": "2018-03-20",
            "end_date": "2018-03-01",
            "draft_document": "",
            "report": "",
            "results": rich_text(""),
        }
    )
    form = form_class(data, instance=ConsultationPage(), parent_page=programme, for_user=editor)
    with translation.override("pl"):
        assert not form.is_valid()
        assert form.errors["end_date"] == ["Konsultacje nie mogą się zakończyć przed rozpoczęciem."]


@pytest.mark.django_db
def test_duplicate_slug_under_the_same_parent_is_refused(programme, editor):
    f.NewsPageFactory(parent=programme, title="Ruszyły zapisy", slug="ruszyly-zapisy")
    form_class = NewsPage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": "Ruszyły zapisy",
            "slug": "ruszyly-zapisy",
            "date": "2018-03-13",
            "intro": "Zapraszamy.",
            "body-count": "0",
        }
    )
    form = form_class(data, instance=NewsPage(), parent_page=programme, for_user=editor)
    assert not form.is_valid()
    assert "slug" in form.errors

    # The model refuses it too (imports, scripts), while another parent is fine.
    with pytest.raises(ValidationError) as error:
        programme.add_child(instance=NewsPage(title="x", slug="ruszyly-zapisy", intro="x"))
    assert "slug" in error.value.message_dict
    other = f.ProgrammePageFactory(parent=programme.get_parent())
    other.add_child(instance=NewsPage(title="x", slug="ruszyly-zapisy", intro="x"))


@pytest.mark.django_db
def test_phase_and_recruitment_dates_are_checked(programme):
    phase = f.ProgrammePagePhase(
        page=programme,
        name="Zła faza",
        start_date=datetime.date(2018, 5, 1),
        end_date=datetime.date(2018, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        phase.full_clean()
    assert "end_date" in error.value.message_dict

    group = f.WorkingGroupPageFactory.build(
        recruitment_start=datetime.date(2018, 5, 1), recruitment_end=datetime.date(2018, 4, 1)
    )
    with pytest.raises(ValidationError) as error:
        group.clean()
    assert "recruitment_end" in error.value.message_dict


@pytest.mark.django_db
def test_admin_add_view_shows_the_error_in_polish(client, programme, editor, site_host):
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    venue = f.VenueFactory()
    url = reverse("wagtailadmin_pages:add", args=("programmes", "meetingpage", programme.pk))
    data = meeting_data(venue, [(_when(10, 17), _when(10, 15))])
    response = client.post(url, data, HTTP_HOST=site_host)
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "Sesja musi się kończyć później, niż się zaczyna." in html
    assert not MeetingPage.objects.filter(slug="warsztat").exists()

    data = meeting_data(venue, [(_when(10, 17), _when(10, 19))])
    response = client.post(url, data, HTTP_HOST=site_host)
    assert response.status_code == 302
    assert MeetingPage.objects.get(slug="warsztat").sessions.count() == 1
