"""An editor cancels a meeting: every active registrant is told by e-mail, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from programmes.conf import current_task_context
from programmes.registration import services
from programmes.registration.models import Registration
from programmes.registration.tasks import send_meeting_cancelled_notices

from .conftest import TENANT_MODE, make_meeting, make_session, person

pytestmark = [pytest.mark.django_db]
if TENANT_MODE:
    # Session-scoped first: building the cities inside a test's transaction
    # fails (the city template runs migrations), e.g. when this file runs alone.
    pytestmark.append(pytest.mark.usefixtures("cities"))

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def full_meeting(programme):
    """Two places: two confirmed, one waiting, one who cancelled herself."""
    meeting = make_meeting(
        programme,
        title="Warsztat o lokalach",
        waiting_list=True,
        sessions=[make_session(capacity=2)],
    )
    session = meeting.sessions.get()
    services.register(meeting, [session], person(1))
    services.register(meeting, [session], person(2, language="en"))
    gone = services.register(meeting, [session], person(3))
    services.cancel_booking(gone.booking)
    services.register(meeting, [session], person(4))  # took the freed place
    services.register(meeting, [session], person(5))  # waiting
    mail.outbox.clear()
    return meeting


def cancel(meeting):
    meeting.status = "cancelled"
    meeting.save_revision().publish()


def test_publishing_a_cancelled_meeting_mails_every_active_registrant_once(
    full_meeting, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=IMMEDIATE_TASKS), django_capture_on_commit_callbacks(execute=True):
        cancel(full_meeting)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == [
        "osoba1@example.org",
        "osoba2@example.org",
        "osoba4@example.org",
        "osoba5@example.org",
    ]
    polish = by_address["osoba1@example.org"]
    assert polish.subject == "Spotkanie odwołane: Warsztat o lokalach"
    assert "organizator odwołał spotkanie" in polish.body
    assert "Twój zapis obejmował:" in polish.body
    assert "/udzial/cancel/" in polish.body  # the link to remove the data now
    waiting = by_address["osoba5@example.org"]
    assert "Twoje miejsce na liście rezerwowej dotyczyło:" in waiting.body
    english = by_address["osoba2@example.org"]
    assert english.subject == "Meeting cancelled: Warsztat o lokalach"
    assert "the organiser has cancelled the meeting" in english.body
    # Statuses stay (the meeting's status tells the story); everyone is marked as told.
    active = Registration.objects.filter(meeting=full_meeting, status__in=Registration.ACTIVE)
    assert active.count() == 4
    assert not active.filter(meeting_cancelled_notice_at__isnull=True).exists()

    mail.outbox.clear()
    with override_settings(TASKS=IMMEDIATE_TASKS), django_capture_on_commit_callbacks(execute=True):
        full_meeting.save_revision().publish()  # a typo fixed after cancelling
    assert mail.outbox == []


def test_publishing_queues_the_mails_for_the_worker(
    full_meeting, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        cancel(full_meeting)
    assert mail.outbox == []  # nothing is sent from the editor's request
    queued = DBTaskResult.objects.filter(
        task_path="programmes.registration.tasks.send_meeting_cancelled_notices"
    ).get()
    assert queued.args_kwargs["args"][1] == full_meeting.pk
    assert send_meeting_cancelled_notices.call(*queued.args_kwargs["args"]) == 4
    assert len(mail.outbox) == 4
    assert send_meeting_cancelled_notices.call(*queued.args_kwargs["args"]) == 0


def test_planned_meeting_and_meeting_without_registrations_queue_nothing(
    programme, full_meeting, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    empty = make_meeting(programme)
    with django_capture_on_commit_callbacks(execute=True):
        full_meeting.save_revision().publish()  # still planned
        cancel(empty)
    assert not DBTaskResult.objects.filter(
        task_path="programmes.registration.tasks.send_meeting_cancelled_notices"
    ).exists()
    assert services.notify_meeting_cancelled(full_meeting) == 0  # not cancelled: nothing


def test_a_failed_mail_is_tried_again_at_the_next_publish(full_meeting, settings):
    cancel(full_meeting)  # the task is queued, not run (no on_commit here)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    assert services.notify_meeting_cancelled(full_meeting) == 0
    assert services.cancellation_notice_pending(full_meeting)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_meeting_cancelled_notices.call(current_task_context(), full_meeting.pk) == 4
    assert not services.cancellation_notice_pending(full_meeting)
