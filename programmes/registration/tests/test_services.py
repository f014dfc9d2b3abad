"""Registration rules: capacity, waiting list, promotion, deadline, duplicates, e-mails."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from programmes.registration import services
from programmes.registration.models import Registration

from .conftest import HOST, make_meeting, make_session, person

pytestmark = pytest.mark.django_db


def statuses(meeting):
    return list(
        Registration.objects.filter(meeting=meeting)
        .order_by("created_at", "pk")
        .values_list("email", "status")
    )


def test_places_fill_then_waiting_list_in_order(meeting):
    session = meeting.sessions.get()
    now = timezone.now()
    for n in range(1, 14):
        services.register(meeting, [session], person(n), now=now + datetime.timedelta(seconds=n))
    confirmed = Registration.objects.filter(session=session, status="confirmed").count()
    waiting = list(
        Registration.objects.filter(session=session, status="waitlisted")
        .order_by("created_at")
        .values_list("email", flat=True)
    )
    # 12 places, 2 reserved: 10 for the public.
    assert confirmed == 10
    assert waiting == ["osoba11@example.org", "osoba12@example.org", "osoba13@example.org"]


def test_cancellation_promotes_the_first_in_line(meeting):
    session = meeting.sessions.get()
    results = [services.register(meeting, [session], person(n)) for n in range(1, 13)]
    mail.outbox.clear()

    outcome = services.cancel_booking(results[3].booking)

    assert [r.email for r in outcome.promoted] == ["osoba11@example.org"]
    assert Registration.objects.get(email="osoba11@example.org").status == "confirmed"
    assert Registration.objects.get(email="osoba12@example.org").status == "waitlisted"
    assert Registration.objects.filter(session=session, status="confirmed").count() == 10
    # The cancelled row keeps no personal data.
    cancelled = Registration.objects.get(booking=results[3].booking)
    assert cancelled.status == "cancelled"
    assert (cancelled.name, cancelled.email, cancelled.anonymised_at is not None) == ("", "", True)
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2
    assert any(s.startswith("Registration cancelled") or "anulowan" in s for s in subjects)
    promotion = next(m for m in mail.outbox if m.to == ["osoba11@example.org"])
    assert promotion.attachments, "the promotion e-mail carries the .ics"


def test_cancelling_a_waitlisted_place_promotes_nobody(meeting):
    session = meeting.sessions.get()
    results = [services.register(meeting, [session], person(n)) for n in range(1, 13)]
    outcome = services.cancel_booking(results[-1].booking)
    assert outcome.promoted == []
    assert Registration.objects.filter(session=session, status="waitlisted").count() == 1


def test_without_waiting_list_a_full_session_refuses(programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=1)], waiting_list=False)
    session = meeting.sessions.get()
    services.register(meeting, [session], person(1))
    with pytest.raises(services.SessionFull):
        services.register(meeting, [session], person(2))
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_unlimited_capacity_always_confirms(programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=None)])
    session = meeting.sessions.get()
    for n in range(30):
        services.register(meeting, [session], person(n), send_email=False)
    assert Registration.objects.filter(status="confirmed").count() == 30
    assert services.session_places(session) == {
        "capacity": None,
        "taken": 30,
        "remaining": None,
        "waiting_list_open": False,
    }


def test_several_sessions_are_booked_together_or_not_at_all(programme):
    first, second = make_session(days=5, capacity=5), make_session(days=6, capacity=1)
    meeting = make_meeting(programme, sessions=[first, second], waiting_list=False)
    first, second = meeting.sessions.order_by("start")
    services.register(meeting, [second], person(1))
    with pytest.raises(services.SessionFull):
        services.register(meeting, [first, second], person(2))
    assert not Registration.objects.filter(email="osoba2@example.org").exists()
    result = services.register(meeting, [first], person(2))
    assert [r.session_id for r in result.confirmed] == [first.pk]


def test_one_email_confirms_several_sessions_with_one_ics_event_each(programme):
    sessions = [make_session(days=5, label="Sesja I"), make_session(days=12, label="Sesja II")]
    meeting = make_meeting(programme, sessions=sessions)
    chosen = list(meeting.sessions.order_by("start"))
    mail.outbox.clear()

    result = services.register(meeting, chosen, person(1))

    assert len(result.confirmed) == 2
    assert len({r.booking for r in result.registrations}) == 1
    (message,) = mail.outbox
    assert message.to == ["osoba1@example.org"]
    assert "Sesja I" in message.body and "Sesja II" in message.body
    cancel_url = f"http://{HOST}/udzial/cancel/{result.token}/"
    assert cancel_url in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    starts = sorted(e.decoded("dtstart") for e in events)
    assert [s.tzinfo.key for s in starts] == ["Europe/Warsaw", "Europe/Warsaw"]
    assert starts[0] == chosen[0].start.replace(microsecond=0)
    assert calendar.walk("VTIMEZONE"), "the calendar carries the time zone definition"


def test_waiting_list_notice_has_no_calendar(programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=0)])
    session = meeting.sessions.get()
    mail.outbox.clear()
    result = services.register(meeting, [session], person(1))
    assert result.waitlisted and not result.confirmed
    (message,) = mail.outbox
    assert "waiting list" in message.subject.lower() or "rezerwow" in message.subject.lower()
    assert not message.attachments
    assert result.token in message.body


def test_duplicate_email_for_the_same_session_is_refused(meeting):
    session = meeting.sessions.get()
    services.register(meeting, [session], person(1))
    with pytest.raises(services.DuplicateRegistration):
        services.register(meeting, [session], person(1, email="  OSOBA1@Example.org "))
    assert Registration.objects.filter(session=session).count() == 1


def test_same_email_may_register_for_another_session_and_again_after_cancelling(programme):
    meeting = make_meeting(programme, sessions=[make_session(days=3), make_session(days=4)])
    first, second = meeting.sessions.order_by("start")
    booking = services.register(meeting, [first], person(1)).booking
    services.register(meeting, [second], person(1))
    services.cancel_booking(booking)
    services.register(meeting, [first], person(1))
    assert Registration.objects.filter(status="confirmed", email="osoba1@example.org").count() == 2


def test_database_refuses_a_duplicate_even_without_the_check(meeting):
    from django.db import IntegrityError, transaction

    session = meeting.sessions.get()
    services.register(meeting, [session], person(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            meeting=meeting,
            session=session,
            name="X",
            email="osoba1@example.org",
            status="waitlisted",
        )


def test_registration_closes_at_the_deadline(programme):
    deadline = timezone.now() + datetime.timedelta(days=1)
    meeting = make_meeting(programme, registration_deadline=deadline)
    session = meeting.sessions.get()
    assert services.registration_state(meeting) == "open"
    assert services.registration_state(meeting, now=deadline) == "deadline"
    with pytest.raises(services.RegistrationClosed) as error:
        services.register(meeting, [session], person(1), now=deadline + datetime.timedelta(1))
    assert error.value.code == "deadline"


def test_registration_closes_when_the_first_session_starts(programme):
    meeting = make_meeting(programme, sessions=[make_session(days=2), make_session(days=9)])
    first = meeting.sessions.order_by("start").first()
    assert services.registration_state(meeting, now=first.start) == "started"


def test_cancelled_meeting_and_other_modes_are_closed(programme):
    cancelled = make_meeting(programme, status="cancelled")
    assert services.registration_state(cancelled) == "cancelled"
    by_email = make_meeting(programme, registration_mode="email", registration_email="a@b.pl")
    assert services.registration_state(by_email) == "not_form"
    with pytest.raises(services.RegistrationClosed):
        services.register(cancelled, list(cancelled.sessions.all()), person(1))


def test_raising_capacity_and_publishing_promotes_waiting_people(programme):
    meeting = make_meeting(programme, sessions=[make_session(capacity=1)])
    session = meeting.sessions.get()
    for n in range(1, 4):
        services.register(meeting, [session], person(n))
    mail.outbox.clear()
    session.capacity = 2
    session.save()
    meeting.save_revision().publish()
    assert statuses(meeting) == [
        ("osoba1@example.org", "confirmed"),
        ("osoba2@example.org", "confirmed"),
        ("osoba3@example.org", "waitlisted"),
    ]
    assert [m.to for m in mail.outbox] == [["osoba2@example.org"]]


def test_public_counts_carry_no_personal_data(meeting):
    session = meeting.sessions.get()
    for n in range(1, 12):
        services.register(meeting, [session], person(n), send_email=False)
    places = services.session_places(session)
    assert places == {"capacity": 10, "taken": 10, "remaining": 0, "waiting_list_open": True}
    summary = services.meeting_places(meeting)
    assert summary["registration_open"] is True
    assert summary["remaining"] == 0 and summary["waiting_list_open"] is True
    assert summary["sessions"] == [{"id": session.pk, **places}]
    assert "example.org" not in repr(summary) and "Osoba" not in repr(summary)


def test_mail_failure_does_not_lose_the_registration(meeting, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    result = services.register(meeting, [meeting.sessions.get()], person(1))
    assert Registration.objects.filter(booking=result.booking, status="confirmed").exists()


def test_tokens_are_signed_and_expire(settings):
    token = services.make_token("b", "3f0c1e5a-0000-4000-8000-000000000000")
    assert services.read_token(token) == ("b", "3f0c1e5a-0000-4000-8000-000000000000")
    with pytest.raises(services.BadToken):
        services.read_token(token[:-2] + "xx")
    settings.PROGRAMMES_REGISTRATION_TOKEN_MAX_AGE = -1
    with pytest.raises(services.BadToken):
        services.read_token(token)
