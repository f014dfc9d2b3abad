"""Everything registration and applications *do*: views, admin, commands and the API call these.

Capacity is enforced in the database. ``register`` locks the chosen session
rows (``SELECT … FOR UPDATE``, always in primary-key order so two bookings of
several sessions cannot deadlock) inside one transaction, counts the
confirmed places and inserts; cancellations and promotions take the same
locks. A partial unique index refuses a second active registration of the
same address for the same session even if two requests race past the check.

Translated meetings (wagtail-localize) get their own copies of the session
rows; places belong to the meeting in the default locale, so every entry
point maps a page or session to that *canonical* one first.

E-mails are sent after the transaction that changed the rows has been left,
never from inside it: a slow mail server must not hold the session locks.
"""

from __future__ import annotations

import csv
import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale, Site

from programmes.models import MeetingPage, MeetingPageSession, WorkingGroupPage

from . import emails
from .models import (
    ACCESSIBILITY_CHOICES,
    DEFAULT_RETENTION_DAYS,
    Application,
    Registration,
    RegistrationSettings,
)

logger = logging.getLogger(__name__)

# A namespace for the signer, not a secret (the secret is SECRET_KEY).
TOKEN_SALT = "programmes.registration.token"  # noqa: S105
DEFAULT_TOKEN_MAX_AGE = 400 * 24 * 3600  # a meeting announced a year ahead, plus slack


# --- errors ----------------------------------------------------------------


class RegistrationError(Exception):
    """A refusal the form shows to the resident; ``code`` says which."""

    code = "error"

    def __init__(self, code: str | None = None, session=None):
        super().__init__(code or self.code)
        if code:
            self.code = code
        self.session = session


class RegistrationClosed(RegistrationError):
    code = "closed"


class DuplicateRegistration(RegistrationError):
    code = "duplicate"


class SessionFull(RegistrationError):
    code = "full"


class ApplicationClosed(RegistrationError):
    code = "closed"


class DuplicateApplication(RegistrationError):
    code = "duplicate"


class GroupFull(RegistrationError):
    code = "group_full"


class BadToken(Exception):
    """The link is malformed, tampered with or expired."""


# --- input -----------------------------------------------------------------


@dataclass
class PersonData:
    name: str
    email: str
    organisation: str = ""
    accessibility_needs: list[str] = field(default_factory=list)
    accessibility_notes: str = ""
    language: str = ""
    privacy_notice_url: str = ""


@dataclass
class ApplicantData:
    name: str
    email: str
    role: str
    organisation: str = ""
    motivation: str = ""
    experience: str = ""
    language: str = ""
    privacy_notice_url: str = ""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# --- site, settings, tokens ------------------------------------------------


def site_for_page(page) -> Site | None:
    return page.get_site() or Site.objects.filter(is_default_site=True).first()


def settings_for_page(page) -> RegistrationSettings | None:
    site = site_for_page(page)
    return RegistrationSettings.for_site(site) if site else None


def make_token(kind: str, value) -> str:
    """A signed, timestamped token: ``b`` = booking (registrations), ``a`` = application."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(f"{kind}.{value}")


def read_token(token: str) -> tuple[str, str]:
    max_age = getattr(settings, "PROGRAMMES_REGISTRATION_TOKEN_MAX_AGE", DEFAULT_TOKEN_MAX_AGE)
    try:
        value = signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a subclass
        raise BadToken(str(error)) from error
    kind, _sep, ident = value.partition(".")
    if kind not in ("b", "a") or not ident:
        raise BadToken("unknown token kind")
    return kind, ident


# --- canonical meeting and sessions ----------------------------------------


def canonical_meeting(meeting: MeetingPage) -> MeetingPage:
    """The translation in the default locale, which owns the places."""
    try:
        default = Locale.get_default()
    except Locale.DoesNotExist:
        return meeting
    if meeting.locale_id == default.pk:
        return meeting
    source = MeetingPage.objects.filter(
        translation_key=meeting.translation_key, locale=default
    ).first()
    return source or meeting


def canonical_session(session: MeetingPageSession) -> MeetingPageSession:
    """The session of the canonical meeting in the same position as ``session``."""
    page = session.page
    canonical = canonical_meeting(page)
    if canonical.pk == page.pk:
        return session
    own = list(page.sessions.order_by("sort_order", "pk").values_list("pk", flat=True))
    theirs = list(canonical.sessions.order_by("sort_order", "pk"))
    try:
        return theirs[own.index(session.pk)]
    except (ValueError, IndexError):
        return session


def public_places(session: MeetingPageSession) -> int | None:
    """Places open to the public; None means unlimited."""
    if session.capacity is None:
        return None
    return max(0, session.capacity - (session.reserved_places or 0))


# --- is registration open? -------------------------------------------------


def registration_state(
    meeting: MeetingPage, now: datetime.datetime | None = None, starts: list | None = None
) -> str:
    """``open`` or why not: not_form, not_live, cancelled, deadline, started, no_sessions.

    ``starts`` (the sessions' start times) saves the query when the caller
    loaded the sessions already (``places_bulk``).
    """
    now = now or timezone.now()
    if meeting.registration_mode != "form":
        return "not_form"
    if not meeting.live:
        return "not_live"
    if meeting.status == "cancelled":
        return "cancelled"
    if meeting.status == "held":
        return "started"
    if meeting.registration_deadline and now >= meeting.registration_deadline:
        return "deadline"
    if starts is None:
        starts = [s.start for s in meeting.sessions.all()]
    starts = [start for start in starts if start]
    if not starts:
        return "no_sessions"
    if now >= min(starts):
        return "started"
    return "open"


def registration_open(meeting: MeetingPage, now: datetime.datetime | None = None) -> bool:
    return registration_state(meeting, now) == "open"


def open_sessions(meeting: MeetingPage, now: datetime.datetime | None = None):
    now = now or timezone.now()
    return [s for s in meeting.sessions.order_by("sort_order", "start") if s.start > now]


# --- counts for the public (API, page) -------------------------------------


def _confirmed_counts(session_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Registration.objects.filter(session_id__in=list(session_ids), status=Registration.CONFIRMED)
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def _places(session, taken: int, meeting_open: bool, waiting_list: bool, now=None) -> dict:
    capacity = public_places(session)
    remaining = None if capacity is None else max(0, capacity - taken)
    return {
        "capacity": capacity,
        "taken": taken,
        "remaining": remaining,
        "waiting_list_open": bool(
            waiting_list
            and meeting_open
            and remaining == 0
            and session.start > (now or timezone.now())
        ),
    }


def _counted_sessions(own, theirs, counts, is_open: bool, waiting_list: bool, now=None):
    """(session, places) for each of a page's own sessions.

    A translated page's sessions are counted on its original's, paired by
    position (``theirs``; the page's own when it is the original).
    """
    for index, session in enumerate(own):
        counted = theirs[index] if index < len(theirs) else session
        yield session, _places(counted, counts.get(counted.pk, 0), is_open, waiting_list, now)


def _meeting_totals(is_open: bool, per_session: list[dict], sessions) -> dict:
    """A meeting's counts from its sessions' (``_places``): sums, None = unlimited."""
    capacities = [p["capacity"] for p in per_session]
    unlimited = not per_session or any(c is None for c in capacities)
    return {
        "registration_open": is_open,
        "capacity": None if unlimited else sum(capacities),
        "taken": sum(p["taken"] for p in per_session),
        "remaining": None if unlimited else sum(p["remaining"] for p in per_session),
        "waiting_list_open": any(p["waiting_list_open"] for p in per_session),
        "sessions": sessions,
    }


def session_places(session: MeetingPageSession) -> dict:
    """Counts only: capacity (public places, None = unlimited), taken, remaining,
    waiting_list_open. Safe for the public API."""
    session = canonical_session(session)
    meeting = session.page
    taken = _confirmed_counts([session.pk]).get(session.pk, 0)
    return _places(session, taken, registration_open(meeting), meeting.waiting_list)


def meeting_places(meeting: MeetingPage) -> dict:
    """Counts for a whole meeting (sums over sessions) plus one entry per session.

    ``sessions`` is keyed by the ids of *this* page's sessions, so a translated
    page's API output lines up with its own session list.
    """
    canonical = canonical_meeting(meeting)
    own = list(meeting.sessions.order_by("sort_order", "pk"))
    theirs = (
        own if canonical.pk == meeting.pk else list(canonical.sessions.order_by("sort_order", "pk"))
    )
    counts = _confirmed_counts(s.pk for s in theirs)
    is_open = registration_open(canonical)
    per_session = [
        {"id": session.pk, **places}
        for session, places in _counted_sessions(
            own, theirs, counts, is_open, canonical.waiting_list
        )
    ]
    return _meeting_totals(is_open, per_session, per_session)


def places_bulk(
    meetings: Iterable[MeetingPage], now: datetime.datetime | None = None
) -> dict[int, dict | None]:
    """What ``meeting_places`` says, for a whole API page of meetings in a few queries.

    Per meeting pk: None when places are not tracked here (not the built-in
    form), else ``registration_open``, ``capacity`` (public places summed over
    sessions, None = unlimited), ``taken``, ``remaining``, ``waiting_list_open``
    and ``sessions``: ``{session pk: {capacity, taken, remaining,
    waiting_list_open}}`` keyed by the page's *own* sessions. Public places are
    ``capacity − reserved_places`` (``public_places``), exactly as ``register``
    counts them; a translated page reports its default-locale original's
    places, session by session in the same order. Counts only, never people.

    Queries: the default locale, the originals of translated pages (only if
    any), all sessions involved, the confirmed counts: independent of the
    number of meetings.
    """
    now = now or timezone.now()
    meetings = list(meetings)
    result: dict[int, dict | None] = {m.pk: None for m in meetings}
    tracked = [m for m in meetings if m.registration_mode == "form"]
    if not tracked:
        return result
    try:
        default_id = Locale.get_default().pk
    except Locale.DoesNotExist:
        default_id = None
    translated = [m for m in tracked if default_id and m.locale_id != default_id]
    originals = {
        original.translation_key: original
        for original in (
            MeetingPage.objects.filter(
                translation_key__in={m.translation_key for m in translated}, locale_id=default_id
            ).only(
                "pk",
                "translation_key",
                "live",
                "status",
                "registration_mode",
                "registration_deadline",
                "waiting_list",
            )
            if translated
            else []
        )
    }
    source = {m.pk: m for m in tracked}
    for meeting in translated:
        source[meeting.pk] = originals.get(meeting.translation_key, meeting)
    sessions: dict[int, list[MeetingPageSession]] = {}
    page_ids = {m.pk for m in source.values()} | {m.pk for m in translated}
    for session in (
        MeetingPageSession.objects.filter(page_id__in=page_ids)
        .order_by("sort_order", "pk")
        .only("pk", "page_id", "start", "capacity", "reserved_places")
    ):
        sessions.setdefault(session.page_id, []).append(session)
    counts = _confirmed_counts(
        s.pk for original in {m.pk for m in source.values()} for s in sessions.get(original, [])
    )
    for meeting in tracked:
        original = source[meeting.pk]
        theirs = sessions.get(original.pk, [])
        own = sessions.get(meeting.pk, []) if original.pk != meeting.pk else theirs
        is_open = registration_state(original, now, starts=[s.start for s in theirs]) == "open"
        per_session = {
            session.pk: places
            for session, places in _counted_sessions(
                own, theirs, counts, is_open, original.waiting_list, now
            )
        }
        result[meeting.pk] = _meeting_totals(is_open, list(per_session.values()), per_session)
    return result


def remaining_places_bulk(meetings: Iterable[MeetingPage]) -> dict[int, int | None]:
    """Remaining public places per meeting pk (``places_bulk``'s ``remaining``).

    None when places are not tracked here (not the built-in form) or unlimited.
    """
    return {
        pk: None if places is None else places["remaining"]
        for pk, places in places_bulk(meetings).items()
    }


def places_fingerprint() -> tuple:
    """``(parts, moment)`` that change whenever any place is taken or freed here.

    Part of the API's content version (ETag / Last-Modified), so a client
    revalidating a listing gets the new counts rather than a 304.
    """
    row = Registration.objects.aggregate(
        n=Count("pk"),
        last=Max("pk"),
        created=Max("created_at"),
        promoted=Max("promoted_at"),
        cancelled=Max("cancelled_at"),
    )
    moments = [row[key] for key in ("created", "promoted", "cancelled") if row[key]]
    return row, max(moments) if moments else None


# --- registering -----------------------------------------------------------


@dataclass
class BookingResult:
    booking: uuid.UUID
    registrations: list[Registration]

    @property
    def confirmed(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == Registration.CONFIRMED]

    @property
    def waitlisted(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == Registration.WAITLISTED]

    @property
    def token(self) -> str:
        # One token per result: signing again would give another timestamp.
        if not hasattr(self, "_token"):
            self._token = make_token("b", self.booking)
        return self._token


def _lock_sessions(ids: Iterable[int]) -> list[MeetingPageSession]:
    return list(
        MeetingPageSession.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    )


def register(
    meeting: MeetingPage,
    sessions: Iterable[MeetingPageSession],
    person: PersonData,
    *,
    now: datetime.datetime | None = None,
    send_email: bool = True,
) -> BookingResult:
    """Register ``person`` for ``sessions`` of ``meeting``: confirmed while places
    last, then waiting list (if the meeting has one), otherwise SessionFull.

    All sessions or none: a refusal for one leaves nothing behind.
    """
    now = now or timezone.now()
    meeting = canonical_meeting(meeting)
    state = registration_state(meeting, now)
    if state != "open":
        raise RegistrationClosed(state)
    wanted = sorted({canonical_session(s).pk for s in sessions})
    if not wanted:
        raise RegistrationClosed("no_sessions")
    email = normalise_email(person.email)
    booking = uuid.uuid4()
    rows: list[Registration] = []
    try:
        with transaction.atomic():
            locked = _lock_sessions(wanted)
            if len(locked) != len(wanted) or any(s.page_id != meeting.pk for s in locked):
                raise RegistrationClosed("unknown_session")
            for session in locked:
                if session.start <= now:
                    raise RegistrationClosed("started", session=session)
                duplicate = Registration.objects.filter(
                    session=session,
                    email__iexact=email,
                    status__in=Registration.ACTIVE,
                    anonymised_at__isnull=True,
                ).exists()
                if duplicate:
                    raise DuplicateRegistration(session=session)
                places = public_places(session)
                taken = Registration.objects.filter(
                    session=session, status=Registration.CONFIRMED
                ).count()
                if places is None or taken < places:
                    status = Registration.CONFIRMED
                elif meeting.waiting_list:
                    status = Registration.WAITLISTED
                else:
                    raise SessionFull(session=session)
                rows.append(
                    Registration(
                        meeting=meeting,
                        session=session,
                        booking=booking,
                        name=person.name.strip(),
                        email=email,
                        organisation=person.organisation.strip(),
                        accessibility_needs=sorted(set(person.accessibility_needs)),
                        accessibility_notes=person.accessibility_notes.strip(),
                        status=status,
                        language=person.language or get_language() or "",
                        consent_at=now,
                        privacy_notice_url=person.privacy_notice_url,
                        created_at=now,
                    )
                )
            Registration.objects.bulk_create(rows)
    except IntegrityError as error:
        # The partial unique index caught a race the check above could not see.
        raise DuplicateRegistration() from error
    result = BookingResult(booking=booking, registrations=rows)
    _places_changed()
    if send_email:
        _safely(emails.send_booking_received, meeting, rows, result.token)
    return result


def _places_changed() -> None:
    # bulk_create sends no post_save: tell the API's HTTP caching directly
    # (cancellations and promotions save rows, which its signals see).
    try:
        from programmes.api.caching import content_changed
    except ImportError:  # the plugin's API is optional
        return
    content_changed()


def _safely(function, *args):
    """Mail failures are logged, never turned into a failed registration."""
    try:
        function(*args)
    except Exception:  # noqa: BLE001 - any backend error; the rows are committed
        logger.exception("Could not send %s", function.__name__)


# --- cancelling and promoting ----------------------------------------------


def _promote(session: MeetingPageSession, meeting: MeetingPage, now) -> list[Registration]:
    """Fill free places of a *locked* session from its waiting list, oldest first."""
    if session.start <= now or meeting.status == "cancelled":
        return []
    waiting = (
        Registration.objects.select_for_update()
        .filter(session=session, status=Registration.WAITLISTED)
        .order_by("created_at", "pk")
    )
    places = public_places(session)
    if places is not None:
        taken = Registration.objects.filter(session=session, status=Registration.CONFIRMED).count()
        free = places - taken
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
    return promoted


def _send_promotions(meeting, promoted: list[Registration]) -> None:
    for registration in promoted:
        _safely(emails.send_promotion, meeting, registration, make_token("b", registration.booking))


def fill_from_waiting_list(meeting: MeetingPage, now=None) -> list[Registration]:
    """Promote waiting people wherever places are free (e.g. capacity was raised)."""
    now = now or timezone.now()
    meeting = canonical_meeting(meeting)
    with transaction.atomic():
        promoted = []
        for session in _lock_sessions(meeting.sessions.values_list("pk", flat=True)):
            promoted += _promote(session, meeting, now)
    _send_promotions(meeting, promoted)
    return promoted


@dataclass
class CancelResult:
    cancelled: list[Registration]
    promoted: list[Registration]


def booking_registrations(booking) -> list[Registration]:
    return list(
        Registration.objects.filter(booking=booking)
        .select_related("session", "meeting")
        .order_by("session__start", "pk")
    )


def cancel_booking(booking, *, remove_data: bool = True, now=None) -> CancelResult:
    """Cancel every active place of a booking (the resident's link), promote the
    next people in line and, by default, anonymise the booking's personal data."""
    now = now or timezone.now()
    rows = booking_registrations(booking)
    if not rows:
        return CancelResult([], [])
    meeting = rows[0].meeting
    contact = (rows[0].name, rows[0].email, rows[0].language)
    with transaction.atomic():
        locked = _lock_sessions(r.session_id for r in rows if r.session_id)
        active = list(
            Registration.objects.select_for_update().filter(
                booking=booking, status__in=Registration.ACTIVE
            )
        )
        for registration in active:
            registration.status = Registration.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
        promoted = []
        for session in locked:
            promoted += _promote(session, meeting, now)
        if remove_data:
            _anonymise_registrations(Registration.objects.filter(booking=booking), now)
    if active and contact[1]:
        _safely(emails.send_cancellation, meeting, active, *contact)
    _send_promotions(meeting, promoted)
    return CancelResult(active, promoted)


def cancel_registration(registration: Registration, now=None) -> CancelResult:
    """An editor cancels one place (keeps the data until the retention period ends)."""
    now = now or timezone.now()
    meeting = registration.meeting
    with transaction.atomic():
        locked = _lock_sessions([registration.session_id] if registration.session_id else [])
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in Registration.ACTIVE:
            return CancelResult([], [])
        registration.status = Registration.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = []
        for session in locked:
            promoted += _promote(session, meeting, now)
    if registration.email:
        _safely(
            emails.send_cancellation,
            meeting,
            [registration],
            registration.name,
            registration.email,
            registration.language,
        )
    _send_promotions(meeting, promoted)
    return CancelResult([registration], promoted)


def cancellation_notice_pending(meeting: MeetingPage) -> bool:
    """True when ``meeting`` is cancelled and someone active has not been told yet."""
    meeting = canonical_meeting(meeting)
    return meeting.status == "cancelled" and _cancel_notice_pending(meeting).exists()


def _cancel_notice_pending(meeting: MeetingPage):
    return Registration.objects.filter(
        meeting=meeting,
        status__in=Registration.ACTIVE,
        anonymised_at__isnull=True,
        meeting_cancelled_notice_at__isnull=True,
    ).exclude(email="")


def notify_meeting_cancelled(meeting: MeetingPage, *, now=None) -> int:
    """E-mail every active registrant (confirmed and waiting) of a cancelled meeting, once.

    One e-mail per booking, in the language the person registered in. Rows are
    *claimed* (marked as told) in a short transaction before anything is sent,
    so two publishes or two workers never mail the same person twice and no
    lock is held while the mail server answers; a failed send gives its claim
    back, so the next publish of the meeting tries that booking again.
    Registrations keep their status (the meeting's status says it all) and
    their data until the retention period ends or the person uses the link.
    Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    meeting = canonical_meeting(meeting)
    if meeting.status != "cancelled":
        return 0
    with transaction.atomic():
        claimed = list(
            _cancel_notice_pending(meeting)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=claimed).update(meeting_cancelled_notice_at=now)
    rows = (
        Registration.objects.filter(pk__in=claimed)
        .select_related("session__venue")
        .order_by("booking", "session__start", "pk")
    )
    bookings: dict[uuid.UUID, list[Registration]] = {}
    for registration in rows:
        bookings.setdefault(registration.booking, []).append(registration)
    sent = 0
    for booking, registrations in bookings.items():
        try:
            emails.send_meeting_cancelled(meeting, registrations, make_token("b", booking))
        except Exception:  # noqa: BLE001 - any backend error; retried at the next publish
            logger.exception("Could not send the cancellation notice of booking %s", booking)
            Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
                meeting_cancelled_notice_at=None
            )
        else:
            sent += 1
    return sent


def set_attendance(meeting: MeetingPage, shown_ids: Iterable[int], attended_ids: Iterable[int]):
    """Mark who came, among the rows an editor saw on the list."""
    shown = Registration.objects.filter(meeting=meeting, pk__in=list(shown_ids))
    attended = {int(pk) for pk in attended_ids}
    shown.filter(pk__in=attended).update(attended=True)
    shown.exclude(pk__in=attended).update(attended=False)


# --- editors' overview and export ------------------------------------------


def meeting_summary(meeting: MeetingPage) -> list[dict]:
    """Per session: public places, confirmed, waiting, attended (for the admin)."""
    stats = (
        Registration.objects.filter(meeting=meeting)
        .values("session_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=Registration.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=Registration.WAITLISTED)),
            cancelled=Count("pk", filter=Q(status=Registration.CANCELLED)),
            attended=Count("pk", filter=Q(attended=True)),
        )
    )
    by_session = {row["session_id"]: row for row in stats}
    empty = {"confirmed": 0, "waitlisted": 0, "cancelled": 0, "attended": 0}
    summary = []
    for session in meeting.sessions.order_by("sort_order", "start"):
        row = by_session.get(session.pk, empty)
        places = public_places(session)
        summary.append(
            {
                "session": session,
                "capacity": session.capacity,
                "reserved": session.reserved_places,
                "places": places,
                "remaining": None if places is None else max(0, places - row["confirmed"]),
                **{key: row[key] for key in empty},
            }
        )
    if None in by_session:
        summary.append({"session": None, "places": None, "remaining": None, **by_session[None]})
    return summary


def _session_label(session) -> str:
    if session is None:
        return "–"
    start = timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M")
    return f"{session.label} ({start})" if session.label else start


def _csv_safe(value) -> str:
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


REGISTRATION_CSV_HEADER = [
    "session",
    "name",
    "email",
    "organisation",
    "accessibility_needs",
    "status",
    "attended",
    "created",
]


def export_registrations_csv(registrations, out) -> None:
    """Write registrations to ``out`` (a text stream) as CSV, one row per place."""
    writer = csv.writer(out)
    writer.writerow(REGISTRATION_CSV_HEADER)
    statuses = dict(Registration.STATUS_CHOICES)
    for r in registrations:
        needs = r.accessibility_labels()
        if r.accessibility_notes:
            needs.append(r.accessibility_notes)
        writer.writerow(
            [
                _csv_safe(_session_label(r.session)),
                _csv_safe(r.name),
                _csv_safe(r.email),
                _csv_safe(r.organisation),
                _csv_safe("; ".join(needs)),
                str(statuses.get(r.status, r.status)),
                "1" if r.attended else "0",
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )


APPLICATION_CSV_HEADER = [
    "name",
    "email",
    "role",
    "organisation",
    "motivation",
    "experience",
    "status",
    "created",
]


def export_applications_csv(applications, out) -> None:
    writer = csv.writer(out)
    writer.writerow(APPLICATION_CSV_HEADER)
    roles = dict(Application.ROLE_CHOICES)
    statuses = dict(Application.STATUS_CHOICES)
    for a in applications:
        writer.writerow(
            [
                _csv_safe(a.name),
                _csv_safe(a.email),
                str(roles.get(a.role, a.role)),
                _csv_safe(a.organisation),
                _csv_safe(a.motivation),
                _csv_safe(a.experience),
                str(statuses.get(a.status, a.status)),
                timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )


# --- working-group applications --------------------------------------------


def canonical_group(group: WorkingGroupPage) -> WorkingGroupPage:
    try:
        default = Locale.get_default()
    except Locale.DoesNotExist:
        return group
    if group.locale_id == default.pk:
        return group
    return (
        WorkingGroupPage.objects.filter(
            translation_key=group.translation_key, locale=default
        ).first()
        or group
    )


def application_state(group: WorkingGroupPage, today: datetime.date | None = None) -> str:
    """``open`` or why not: not_live, not_open (no open recruitment), before, after."""
    today = today or timezone.localdate()
    if not group.live:
        return "not_live"
    if not group.open_recruitment or not group.recruitment_start or not group.recruitment_end:
        return "not_open"
    if today < group.recruitment_start:
        return "before"
    if today > group.recruitment_end:
        return "after"
    return "open"


def apply(
    group: WorkingGroupPage,
    applicant: ApplicantData,
    *,
    today: datetime.date | None = None,
    send_email: bool = True,
) -> Application:
    group = canonical_group(group)
    state = application_state(group, today)
    if state != "open":
        raise ApplicationClosed(state)
    email = normalise_email(applicant.email)
    exists = Application.objects.filter(
        group=group,
        email__iexact=email,
        status__in=[Application.PENDING, Application.ACCEPTED, Application.REJECTED],
        anonymised_at__isnull=True,
    ).exists()
    if exists:
        raise DuplicateApplication()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                group=group,
                name=applicant.name.strip(),
                email=email,
                role=applicant.role,
                organisation=applicant.organisation.strip(),
                motivation=applicant.motivation.strip(),
                experience=applicant.experience.strip(),
                language=applicant.language or get_language() or "",
                privacy_notice_url=applicant.privacy_notice_url,
            )
    except IntegrityError as error:
        raise DuplicateApplication() from error
    if send_email:
        _safely(
            emails.send_application_received, group, application, make_token("a", application.pk)
        )
    return application


def group_counts(group: WorkingGroupPage) -> dict:
    """Applications by status and role, measured against the group's rules."""
    applications = Application.objects.filter(group=group, anonymised_at__isnull=True)
    by_status = dict(
        applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    accepted = applications.filter(status=Application.ACCEPTED)
    accepted_by_role = dict(
        accepted.values_list("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    accepted_total = sum(accepted_by_role.values())
    officials = accepted_by_role.get("official", 0)
    officials_target = None
    if group.officials_share is not None and group.max_members:
        # Round half up: "half of 15" means 8 places for officials.
        officials_target = (group.max_members * group.officials_share + 50) // 100
    return {
        "pending": by_status.get(Application.PENDING, 0),
        "accepted": accepted_total,
        "rejected": by_status.get(Application.REJECTED, 0),
        "withdrawn": by_status.get(Application.WITHDRAWN, 0),
        "total": sum(by_status.values()),
        "accepted_by_role": {
            code: accepted_by_role.get(code, 0) for code, _label in Application.ROLE_CHOICES
        },
        "max_members": group.max_members,
        "places_left": None
        if group.max_members is None
        else max(0, group.max_members - accepted_total),
        "officials_accepted": officials,
        "officials_target": officials_target,
        "officials_share_target": group.officials_share,
        "officials_share_actual": round(100 * officials / accepted_total) if accepted_total else 0,
    }


def decide(application: Application, status: str, user=None, now=None) -> Application:
    """Accept, reject or reset an application; the first acceptance sends an e-mail.

    Accepting beyond the group's maximum is refused (GroupFull); the officials'
    share is shown to editors but not enforced, since groups are often filled
    in several rounds.
    """
    if status not in (Application.PENDING, Application.ACCEPTED, Application.REJECTED):
        raise ValueError(status)
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the group's page row so two editors cannot both take the last place.
        group = WorkingGroupPage.objects.select_for_update().get(pk=application.group_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.anonymised_at or application.status == Application.WITHDRAWN:
            raise RegistrationError("withdrawn")
        if (
            status == Application.ACCEPTED
            and application.status != Application.ACCEPTED
            and group.max_members is not None
            and Application.objects.filter(group=group, status=Application.ACCEPTED).count()
            >= group.max_members
        ):
            raise GroupFull()
        application.status = status
        application.decided_at = now if status != Application.PENDING else None
        application.decided_by = user if status != Application.PENDING else None
        notify = status == Application.ACCEPTED and application.accepted_notice_sent_at is None
        if notify:
            application.accepted_notice_sent_at = now
        application.save()
    if notify:
        _safely(emails.send_application_accepted, group, application)
    return application


def withdraw_application(application_id, *, now=None) -> Application | None:
    """The applicant's link: withdraw and remove the personal data."""
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if application is None or application.anonymised_at:
            return application
        application.status = Application.WITHDRAWN
        application.save(update_fields=["status"])
        _anonymise_applications(Application.objects.filter(pk=application.pk), now)
    application.refresh_from_db()
    return application


# --- personal data retention -----------------------------------------------


def _anonymise_registrations(queryset, now) -> int:
    return queryset.filter(anonymised_at__isnull=True).update(
        name="",
        email="",
        organisation="",
        accessibility_needs=[],
        accessibility_notes="",
        privacy_notice_url="",
        anonymised_at=now,
    )


def _anonymise_applications(queryset, now) -> int:
    return queryset.filter(anonymised_at__isnull=True).update(
        name="",
        email="",
        organisation="",
        motivation="",
        experience="",
        editor_note="",
        privacy_notice_url="",
        anonymised_at=now,
    )


@dataclass
class PurgeResult:
    registrations: int = 0
    applications: int = 0


def purge_personal_data(*, now=None, dry_run: bool = False) -> PurgeResult:
    """Anonymise registrations and applications past each site's retention period.

    The clock starts at the meeting's last session (or the registration, for a
    meeting without dates) and at the end of recruitment (or the application).
    Counts, statuses and attendance stay for statistics.
    """
    now = now or timezone.now()
    result = PurgeResult()
    sites = list(Site.objects.select_related("root_page"))
    default_days = next(
        (RegistrationSettings.for_site(s).retention_days for s in sites if s.is_default_site),
        DEFAULT_RETENTION_DAYS,
    )
    # Deepest site root first, so a site nested in another uses its own period;
    # then pages outside every site (possible in a plain Wagtail install).
    scopes = [
        (site.root_page.path, RegistrationSettings.for_site(site).retention_days)
        for site in sorted(sites, key=lambda s: -len(s.root_page.path))
    ]
    scopes.append(("", default_days))
    covered: list[str] = []
    for path, days in scopes:
        cutoff = now - datetime.timedelta(days=days)
        registrations = Registration.objects.filter(
            meeting__path__startswith=path, anonymised_at__isnull=True
        ).filter(
            Q(meeting__last_session_end__lt=cutoff)
            | Q(meeting__last_session_end__isnull=True, created_at__lt=cutoff)
        )
        applications = Application.objects.filter(
            group__path__startswith=path, anonymised_at__isnull=True
        ).filter(
            Q(group__recruitment_end__lt=timezone.localdate(now) - datetime.timedelta(days=days))
            | Q(group__recruitment_end__isnull=True, created_at__lt=cutoff)
        )
        for done in covered:
            registrations = registrations.exclude(meeting__path__startswith=done)
            applications = applications.exclude(group__path__startswith=done)
        covered.append(path)
        if dry_run:
            result.registrations += registrations.count()
            result.applications += applications.count()
            continue
        # update() cannot follow joins: select the ids first.
        result.registrations += _anonymise_registrations(
            Registration.objects.filter(pk__in=list(registrations.values_list("pk", flat=True))),
            now,
        )
        result.applications += _anonymise_applications(
            Application.objects.filter(pk__in=list(applications.values_list("pk", flat=True))),
            now,
        )
    return result


def accessibility_choices():
    return ACCESSIBILITY_CHOICES
