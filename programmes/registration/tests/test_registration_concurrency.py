"""No overbooking under concurrency, against the real PostgreSQL.

Many threads, each with its own database connection, register at the same
moment for the last free places of one session. Data must be committed to be
seen across connections, so this test does not run inside the usual test
transaction: it unblocks the database, works in a throwaway city and drops it.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from programmes.registration import services
from programmes.registration.models import Registration

from .conftest import make_meeting, make_programme, make_session, person, requires_tenants

pytestmark = requires_tenants

THREADS = 24
CAPACITY = 10
ALREADY_TAKEN = 7  # three places left for 24 people


def _race(city, meeting_id, session_id, emails):
    barrier = threading.Barrier(len(emails))
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(n, email):
        from programmes.models import MeetingPage, MeetingPageSession

        try:
            connection.set_tenant(city)
            meeting = MeetingPage.objects.get(pk=meeting_id)
            session = MeetingPageSession.objects.get(pk=session_id)
            barrier.wait(timeout=30)
            try:
                result = services.register(
                    meeting, [session], person(n, email=email), send_email=False
                )
                outcome = result.registrations[0].status
            except services.SessionFull:
                outcome = "full"
            except services.DuplicateRegistration:
                outcome = "duplicate"
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcome = f"error: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n, email)) for n, email in enumerate(emails)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes)


@pytest.fixture
def throwaway_city(django_db_setup, django_db_blocker):
    from tenants.provisioning import create_city, delete_city

    with django_db_blocker.unblock():
        city = create_city("regrace", "Wyścig", ["regrace.localhost"])
        try:
            yield city
        finally:
            connection.set_schema_to_public()
            delete_city("regrace")


def _setup_meeting(city, waiting_list: bool):
    from django_tenants.utils import schema_context

    with schema_context(city.schema_name):
        meeting = make_meeting(
            make_programme(),
            sessions=[make_session(capacity=CAPACITY + 2, reserved=2)],
            waiting_list=waiting_list,
        )
        session = meeting.sessions.get()
        for n in range(ALREADY_TAKEN):
            services.register(meeting, [session], person(1000 + n), send_email=False)
        return meeting.pk, session.pk


def test_simultaneous_registrations_never_overbook(throwaway_city, django_db_blocker):
    from django_tenants.utils import schema_context

    with django_db_blocker.unblock():
        meeting_id, session_id = _setup_meeting(throwaway_city, waiting_list=True)
        emails = [f"race{n}@example.org" for n in range(THREADS)]

        outcomes = _race(throwaway_city, meeting_id, session_id, emails)

        with schema_context(throwaway_city.schema_name):
            rows = Counter(
                Registration.objects.filter(session_id=session_id).values_list("status", flat=True)
            )
    assert sum(outcomes.values()) == THREADS, outcomes
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes["confirmed"] == CAPACITY - ALREADY_TAKEN
    assert outcomes["waitlisted"] == THREADS - (CAPACITY - ALREADY_TAKEN)
    assert rows["confirmed"] == CAPACITY  # never more than the public places
    assert rows["waitlisted"] == THREADS - (CAPACITY - ALREADY_TAKEN)


def test_simultaneous_duplicates_and_no_waiting_list(throwaway_city, django_db_blocker):
    """Without a waiting list the late ones are refused; the same address racing
    itself gets exactly one place."""
    from django_tenants.utils import schema_context

    with django_db_blocker.unblock():
        meeting_id, session_id = _setup_meeting(throwaway_city, waiting_list=False)
        emails = ["same@example.org"] * 4 + [f"other{n}@example.org" for n in range(THREADS - 4)]

        outcomes = _race(throwaway_city, meeting_id, session_id, emails)

        with schema_context(throwaway_city.schema_name):
            confirmed = Registration.objects.filter(session_id=session_id, status="confirmed")
            same = confirmed.filter(email="same@example.org").count()
            total = confirmed.count()
    errors = [o for o in outcomes if o.startswith("error")]
    assert not errors, outcomes
    assert total == CAPACITY
    assert same <= 1
    assert outcomes["confirmed"] == CAPACITY - ALREADY_TAKEN
