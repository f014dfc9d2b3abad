"""Serializers of the domain API (/api/v1/): programmes, meetings, documents, news.

Flat, typed shapes meant for frontends (every field documented in the
OpenAPI schema); snippets and documents are expanded objects from
``programmes.api.fields``. Per-request lookups that would cost one query per
item (the programme of each meeting, remaining places) are computed once by
the view and handed over in the serializer context.

Each serializer declares its fields (what drf-spectacular documents) and a
``represent()`` that builds the same dict directly: the listings are the
API's hot path, and DRF's per-field machinery costs more than the queries.
tests/test_api_serializers.py checks that both give the same output.
"""

from __future__ import annotations

from urllib.parse import quote

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from .fields import (
    DocumentSerializer,
    FastSerializer,
    OrganisationSerializer,
    PageRefSerializer,
    PersonSerializer,
    RichTextHTMLField,
    StreamFieldSerializer,
    VenueSerializer,
    absolute_url,
    iso,
    iso_datetime,
    stream_representation,
)
from .hooks import places_info, session_places
from .scope import site_for_request
from .translations import TRANSLATIONS_HELP, translations_for, translations_schema_field

# --- Per-request helpers (memoised in the serializer context) ------------------

_PLACEHOLDER_ID = 987654321987
_PLACEHOLDER_SLUG = "zzslugplaceholderzz"


def _memo(context, key, factory):
    cache = context.setdefault("_memo", {})
    if key not in cache:
        cache[key] = factory()
    return cache[key]


def url_for(context, name: str, value) -> str:
    """Absolute URL of a named route with one argument, reversed once per request."""
    placeholder = _PLACEHOLDER_SLUG if isinstance(value, str) else _PLACEHOLDER_ID

    def template():
        return absolute_url(context, reverse(name, args=[placeholder]))

    return _memo(context, ("url", name), template).replace(str(placeholder), str(value))


def label(context, model, field: str, value) -> str:
    """The (translated) display label of a choice, looked up once per request."""

    def labels():
        return {key: str(text) for key, text in model._meta.get_field(field).flatchoices}

    return _memo(context, ("labels", model, field), labels).get(value, value)


def _site_roots(context):
    """Wagtail's site root paths (cached by Wagtail), the request's site first."""
    request = context.get("request")
    roots = list(Site.get_site_root_paths())
    site = site_for_request(request)
    if site is not None:
        roots.sort(key=lambda root: root.site_id != site.pk)  # stable: keeps Wagtail's order
    return roots


def _serve_prefix(language_code) -> str:
    try:
        with translation.override(language_code):
            return reverse("wagtail_serve", args=("",))
    except NoReverseMatch:
        return ""


def page_url(context, page) -> str | None:
    """``page.get_full_url(request)``, with the site lookups done once per request.

    Wagtail reverses its serve view and searches the site roots for every
    page; a listing of twenty pages did that twenty times.
    """
    for root in _memo(context, "site_roots", lambda: _site_roots(context)):
        if page.url_path.startswith(root.root_path):
            language = root.language_code
            prefix = _memo(
                context, ("serve", language), lambda language=language: _serve_prefix(language)
            )
            if not prefix:
                return None
            relative = quote(page.url_path[len(root.root_path) :], safe=RFC3986_SUBDELIMS + "/~:@")
            path = prefix + relative
            if not WAGTAIL_APPEND_SLASH and path != "/":
                path = path.rstrip("/")
            return root.root_url + path
    return None


# --- Pages ---------------------------------------------------------------------


class PageBaseSerializer(FastSerializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="Public HTML page.")
    locale = serializers.SerializerMethodField(help_text="Language code of the page.")
    translations = serializers.SerializerMethodField(help_text=TRANSLATIONS_HELP)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, page) -> str | None:
        return page_url(self.context, page)

    @extend_schema_field(OpenApiTypes.STR)
    def get_locale(self, page) -> str:
        return self.context.get("locale_code") or page.locale.language_code

    @translations_schema_field
    def get_translations(self, page):
        return translations_for(page, self.context)

    @classmethod
    def represent(cls, page, context) -> dict:
        return {
            "id": page.pk,
            "title": page.title,
            "slug": page.slug,
            "url": page_url(context, page),
            "locale": context.get("locale_code") or page.locale.language_code,
            "translations": translations_for(page, context),
        }


class ProgrammeChildMixin(serializers.Serializer):
    programme = serializers.SerializerMethodField(help_text="The programme the page belongs to.")

    @extend_schema_field(PageRefSerializer(allow_null=True))
    def get_programme(self, page):
        return self.context.get("programmes", {}).get(page.pk)


# --- Programmes ------------------------------------------------------------------


class PhaseSerializer(FastSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    is_current = serializers.SerializerMethodField()

    def get_is_current(self, phase) -> bool:
        return phase.pk in self.context.get("current_phase_ids", set())

    @classmethod
    def represent(cls, phase, context, current=None) -> dict:
        if current is None:
            current = context.get("current_phase_ids", set())
        return {
            "id": phase.pk,
            "name": phase.name,
            "start_date": iso(phase.start_date),
            "end_date": iso(phase.end_date),
            "description": phase.description,
            "is_current": phase.pk in current,
        }


class PartnerSerializer(serializers.Serializer):
    organisation = OrganisationSerializer(read_only=True)
    role = serializers.CharField(read_only=True)


class ProgrammeFeedsSerializer(serializers.Serializer):
    calendar = serializers.URLField(read_only=True, help_text="iCalendar of all meetings.")
    news_rss = serializers.URLField(read_only=True)
    news_atom = serializers.URLField(read_only=True)
    documents_rss = serializers.URLField(read_only=True)
    documents_atom = serializers.URLField(read_only=True)


def programme_feeds(context, slug) -> dict:
    return {
        "calendar": url_for(context, "programmes_feeds:programme_calendar", slug),
        "news_rss": url_for(context, "programmes_feeds:programme_news_rss", slug),
        "news_atom": url_for(context, "programmes_feeds:programme_news_atom", slug),
        "documents_rss": url_for(context, "programmes_feeds:programme_documents_rss", slug),
        "documents_atom": url_for(context, "programmes_feeds:programme_documents_atom", slug),
    }


def _current_phase(context, programme):
    phase = programme.current_phase()
    return None if phase is None else PhaseSerializer.represent(phase, context, {phase.pk})


class ProgrammeListSerializer(PageBaseSerializer):
    summary = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    current_phase = serializers.SerializerMethodField()
    lead_organisation = OrganisationSerializer(read_only=True, allow_null=True)
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(PhaseSerializer(allow_null=True))
    def get_current_phase(self, programme):
        return _current_phase(self.context, programme)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, programme) -> str:
        return url_for(self.context, "programmes_api:programme-detail", programme.slug)

    @classmethod
    def represent(cls, programme, context) -> dict:
        organisation = programme.lead_organisation if programme.lead_organisation_id else None
        return {
            **PageBaseSerializer.represent(programme, context),
            "summary": programme.summary,
            "status": programme.status,
            "status_label": label(context, type(programme), "status", programme.status),
            "start_date": iso(programme.start_date),
            "end_date": iso(programme.end_date),
            "current_phase": _current_phase(context, programme),
            "lead_organisation": OrganisationSerializer.represent(organisation, context)
            if organisation
            else None,
            "api_url": url_for(context, "programmes_api:programme-detail", programme.slug),
        }


class ProgrammeDetailSerializer(ProgrammeListSerializer):
    coordinator = PersonSerializer(read_only=True, allow_null=True)
    contact_email = serializers.CharField(read_only=True)
    contact_phone = serializers.CharField(read_only=True)
    funding = serializers.CharField(read_only=True)
    body = StreamFieldSerializer(help_text="Goals and vision: typed StreamField blocks.")
    phases = serializers.SerializerMethodField()
    partners = PartnerSerializer(many=True, read_only=True, source="partners.all")
    feeds = serializers.SerializerMethodField()
    meetings_url = serializers.SerializerMethodField()
    documents_url = serializers.SerializerMethodField()
    news_url = serializers.SerializerMethodField()

    @staticmethod
    def _phases(context, programme):
        phase = programme.current_phase()
        current = {phase.pk} if phase else set()
        return [PhaseSerializer.represent(p, context, current) for p in programme.phases.all()]

    @extend_schema_field(PhaseSerializer(many=True))
    def get_phases(self, programme):
        return self._phases(self.context, programme)

    @extend_schema_field(ProgrammeFeedsSerializer)
    def get_feeds(self, programme):
        return programme_feeds(self.context, programme.slug)

    @staticmethod
    def _listing(context, name, programme):
        return absolute_url(context, reverse(f"programmes_api:{name}-list")) + (
            f"?programme={programme.slug}"
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_meetings_url(self, programme) -> str:
        return self._listing(self.context, "meeting", programme)

    @extend_schema_field(OpenApiTypes.URI)
    def get_documents_url(self, programme) -> str:
        return self._listing(self.context, "document", programme)

    @extend_schema_field(OpenApiTypes.URI)
    def get_news_url(self, programme) -> str:
        return self._listing(self.context, "news", programme)

    @classmethod
    def represent(cls, programme, context) -> dict:
        coordinator = programme.coordinator if programme.coordinator_id else None
        return {
            **ProgrammeListSerializer.represent(programme, context),
            "coordinator": PersonSerializer.represent(coordinator, context)
            if coordinator
            else None,
            "contact_email": programme.contact_email,
            "contact_phone": programme.contact_phone,
            "funding": programme.funding,
            "body": stream_representation(programme.body, context),
            "phases": cls._phases(context, programme),
            "partners": [
                {
                    "organisation": OrganisationSerializer.represent(partner.organisation, context),
                    "role": partner.role,
                }
                for partner in programme.partners.all()
            ],
            "feeds": programme_feeds(context, programme.slug),
            "meetings_url": cls._listing(context, "meeting", programme),
            "documents_url": cls._listing(context, "document", programme),
            "news_url": cls._listing(context, "news", programme),
        }


# --- Meetings ----------------------------------------------------------------------


# --- Places (counted by the registration app, see hooks.py) -----------------


def meeting_places_info(context, meeting) -> dict | None:
    """The places provider's counts for a meeting (None: not tracked)."""
    return places_info(context.get("places", {}).get(meeting.pk))


class SessionSerializer(FastSerializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True, allow_null=True)
    venue = VenueSerializer(read_only=True, allow_null=True)
    room = serializers.CharField(read_only=True)
    online_url = serializers.CharField(read_only=True)
    capacity = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Places in the room; null when unlimited."
    )
    reserved_places = serializers.IntegerField(
        read_only=True,
        help_text="Places kept for invited participants, not open to registration.",
    )
    remaining_places = serializers.SerializerMethodField(
        help_text="Places still open to registration (capacity minus reserved places minus "
        "confirmed registrations); null when not tracked or unlimited."
    )
    waiting_list_open = serializers.SerializerMethodField(
        help_text="The session is full and new registrations go to its waiting list."
    )

    def get_remaining_places(self, session) -> int | None:
        return session_places(self.context, session).get("remaining")

    def get_waiting_list_open(self, session) -> bool:
        return bool(session_places(self.context, session).get("waiting_list_open"))

    @classmethod
    def represent(cls, session, context) -> dict:
        venue = session.venue if session.venue_id else None
        places = session_places(context, session)
        return {
            "id": session.pk,
            "label": session.label,
            "start": iso_datetime(session.start),
            "end": iso_datetime(session.end),
            "venue": VenueSerializer.represent(venue, context) if venue else None,
            "room": session.room,
            "online_url": session.online_url,
            "capacity": session.capacity,
            "reserved_places": session.reserved_places or 0,
            "remaining_places": places.get("remaining"),
            "waiting_list_open": bool(places.get("waiting_list_open")),
        }


class AccessibilitySerializer(serializers.Serializer):
    sign_language_interpreter = serializers.BooleanField(read_only=True)
    step_free_access = serializers.BooleanField(read_only=True)
    notes = serializers.CharField(source="accessibility_notes", read_only=True)


def meeting_sessions(meeting) -> list:
    """The sessions of a meeting: rows a listing loaded in bulk, else the relation."""
    rows = getattr(meeting, "_api_sessions", None)
    return rows if rows is not None else list(meeting.sessions.all())


def _capacity(meeting, context) -> int | None:
    info = meeting_places_info(context, meeting)
    if info is not None and "capacity" in info:
        # Tracked: the places open to registration, as the form counts them.
        return info["capacity"]
    capacities = [session.capacity for session in meeting_sessions(meeting)]
    if not capacities or any(capacity is None for capacity in capacities):
        return None
    return max(capacities)


def _remaining_places(meeting, context) -> int | None:
    info = meeting_places_info(context, meeting)
    return None if info is None else info.get("remaining")


def _waiting_list_open(meeting, context) -> bool:
    info = meeting_places_info(context, meeting)
    return bool(info and info.get("waiting_list_open"))


def _registration_open(meeting, context) -> bool:
    info = meeting_places_info(context, meeting)
    if info is not None and "registration_open" in info:
        return bool(info["registration_open"])  # the form's own rule
    now = _now(context)
    if meeting.registration_mode == "none" or meeting.status != "planned":
        return False
    if meeting.registration_deadline and meeting.registration_deadline < now:
        return False
    return bool(meeting.last_session_end and meeting.last_session_end >= now)


def _now(context):
    return context.get("now") or timezone.now()


class RegistrationSerializer(serializers.Serializer):
    mode = serializers.CharField(source="registration_mode", read_only=True)
    mode_label = serializers.CharField(source="get_registration_mode_display", read_only=True)
    email = serializers.CharField(source="registration_email", read_only=True)
    url = serializers.CharField(source="registration_url", read_only=True)
    deadline = serializers.DateTimeField(
        source="registration_deadline", read_only=True, allow_null=True
    )
    waiting_list = serializers.BooleanField(read_only=True)
    capacity = serializers.SerializerMethodField(
        help_text="With the built-in form: places open to registration summed over sessions "
        "(capacity minus reserved places); otherwise the largest session capacity. "
        "Null when unlimited."
    )
    remaining_places = serializers.SerializerMethodField(
        help_text="Places still free, summed over sessions; null when not tracked or unlimited."
    )
    waiting_list_open = serializers.SerializerMethodField(
        help_text="A session is full and new registrations go to its waiting list."
    )
    is_open = serializers.SerializerMethodField(help_text="Sign-ups are accepted now.")

    def get_capacity(self, meeting) -> int | None:
        return _capacity(meeting, self.context)

    def get_remaining_places(self, meeting) -> int | None:
        return _remaining_places(meeting, self.context)

    def get_waiting_list_open(self, meeting) -> bool:
        return _waiting_list_open(meeting, self.context)

    def get_is_open(self, meeting) -> bool:
        return _registration_open(meeting, self.context)


def _next_session_start(meeting, now):
    upcoming = [s.start for s in meeting_sessions(meeting) if (s.end or s.start) >= now]
    return iso_datetime(min(upcoming)) if upcoming else None


class MeetingListSerializer(ProgrammeChildMixin, PageBaseSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    intro = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(source="first_session_start", read_only=True, allow_null=True)
    end = serializers.DateTimeField(source="last_session_end", read_only=True, allow_null=True)
    next_session_start = serializers.SerializerMethodField(
        help_text="Start of the first session not yet over; null when all are over."
    )
    sessions = SessionSerializer(many=True, read_only=True, source="sessions.all")
    accessibility = AccessibilitySerializer(source="*", read_only=True)
    registration = RegistrationSerializer(source="*", read_only=True)
    api_url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField(help_text="iCalendar file of the meeting.")

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_next_session_start(self, meeting):
        return _next_session_start(meeting, _now(self.context))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, meeting) -> str:
        return url_for(self.context, "programmes_api:meeting-detail", meeting.pk)

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, meeting) -> str:
        return url_for(self.context, "programmes_feeds:meeting_calendar", meeting.pk)

    @classmethod
    def represent(cls, meeting, context) -> dict:
        model = type(meeting)
        return {
            **PageBaseSerializer.represent(meeting, context),
            "programme": context.get("programmes", {}).get(meeting.pk),
            "kind": meeting.kind,
            "kind_label": label(context, model, "kind", meeting.kind),
            "status": meeting.status,
            "status_label": label(context, model, "status", meeting.status),
            "intro": meeting.intro,
            "start": iso_datetime(meeting.first_session_start),
            "end": iso_datetime(meeting.last_session_end),
            "next_session_start": _next_session_start(meeting, _now(context)),
            "sessions": [
                SessionSerializer.represent(s, context) for s in meeting_sessions(meeting)
            ],
            "accessibility": {
                "sign_language_interpreter": meeting.sign_language_interpreter,
                "step_free_access": meeting.step_free_access,
                "notes": meeting.accessibility_notes,
            },
            "registration": {
                "mode": meeting.registration_mode,
                "mode_label": label(context, model, "registration_mode", meeting.registration_mode),
                "email": meeting.registration_email,
                "url": meeting.registration_url,
                "deadline": iso_datetime(meeting.registration_deadline),
                "waiting_list": meeting.waiting_list,
                "capacity": _capacity(meeting, context),
                "remaining_places": _remaining_places(meeting, context),
                "waiting_list_open": _waiting_list_open(meeting, context),
                "is_open": _registration_open(meeting, context),
            },
            "api_url": url_for(context, "programmes_api:meeting-detail", meeting.pk),
            "calendar_url": url_for(context, "programmes_feeds:meeting_calendar", meeting.pk),
        }


class AgendaItemSerializer(serializers.Serializer):
    time = serializers.TimeField(read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class FacilitatorSerializer(serializers.Serializer):
    person = PersonSerializer(read_only=True)
    role = serializers.CharField(read_only=True)


class TopicSerializer(serializers.Serializer):
    topic = serializers.CharField(read_only=True)
    convener = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)


class OpenSpaceSerializer(FastSerializer):
    guiding_question = serializers.CharField(read_only=True)
    method_description = RichTextHTMLField()
    participant_groups = serializers.ListField(
        source="participant_group_list", child=serializers.CharField(), read_only=True
    )
    report_due_date = serializers.DateField(read_only=True, allow_null=True)
    report = DocumentSerializer(read_only=True, allow_null=True)
    contact_email = serializers.CharField(read_only=True)
    contact_phone = serializers.CharField(read_only=True)
    topics = TopicSerializer(many=True, read_only=True, source="topics.all")

    @classmethod
    def represent(cls, meeting, context) -> dict:
        report = meeting.report if meeting.report_id else None
        return {
            "guiding_question": meeting.guiding_question,
            "method_description": expand_db_html(meeting.method_description)
            if meeting.method_description
            else "",
            "participant_groups": meeting.participant_group_list,
            "report_due_date": iso(meeting.report_due_date),
            "report": DocumentSerializer.represent(report, context) if report else None,
            "contact_email": meeting.contact_email,
            "contact_phone": meeting.contact_phone,
            "topics": [
                {"topic": t.topic, "convener": t.convener, "summary": t.summary}
                for t in meeting.topics.all()
            ],
        }


class OutcomeSerializer(serializers.Serializer):
    summary = RichTextHTMLField(source="outcome_summary")
    documents = serializers.SerializerMethodField()

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, meeting):
        return [
            DocumentSerializer.represent(item.document, self.context)
            for item in meeting.outcome_documents.all()
        ]


class MeetingDetailSerializer(MeetingListSerializer):
    body = RichTextHTMLField(help_text="Description as HTML.")
    agenda = AgendaItemSerializer(many=True, read_only=True, source="agenda_items.all")
    facilitators = FacilitatorSerializer(many=True, read_only=True, source="facilitators.all")
    outcome = OutcomeSerializer(source="*", read_only=True)
    open_space = serializers.SerializerMethodField(
        help_text="Open Space details; null for other kinds of meeting."
    )

    @extend_schema_field(OpenSpaceSerializer(allow_null=True))
    def get_open_space(self, meeting):
        if not hasattr(meeting, "guiding_question"):
            return None
        return OpenSpaceSerializer.represent(meeting, self.context)

    @classmethod
    def represent(cls, meeting, context) -> dict:
        return {
            **MeetingListSerializer.represent(meeting, context),
            "body": expand_db_html(meeting.body) if meeting.body else "",
            "agenda": [
                {"time": iso(item.time), "title": item.title, "description": item.description}
                for item in meeting.agenda_items.all()
            ],
            "facilitators": [
                {"person": PersonSerializer.represent(item.person, context), "role": item.role}
                for item in meeting.facilitators.all()
            ],
            "outcome": {
                "summary": expand_db_html(meeting.outcome_summary)
                if meeting.outcome_summary
                else "",
                "documents": [
                    DocumentSerializer.represent(item.document, context)
                    for item in meeting.outcome_documents.all()
                ],
            },
            "open_space": OpenSpaceSerializer.represent(meeting, context)
            if hasattr(meeting, "guiding_question")
            else None,
        }


# --- News ----------------------------------------------------------------------------


class NewsListSerializer(ProgrammeChildMixin, PageBaseSerializer):
    date = serializers.DateField(read_only=True)
    intro = serializers.CharField(read_only=True)
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, news) -> str:
        return url_for(self.context, "programmes_api:news-detail", news.pk)

    @classmethod
    def represent(cls, news, context) -> dict:
        return {
            **PageBaseSerializer.represent(news, context),
            "programme": context.get("programmes", {}).get(news.pk),
            "date": iso(news.date),
            "intro": news.intro,
            "api_url": url_for(context, "programmes_api:news-detail", news.pk),
        }


class NewsDetailSerializer(NewsListSerializer):
    body = StreamFieldSerializer()

    @classmethod
    def represent(cls, news, context) -> dict:
        return {
            **NewsListSerializer.represent(news, context),
            "body": stream_representation(news.body, context),
        }


__all__ = [
    "DocumentSerializer",
    "MeetingDetailSerializer",
    "MeetingListSerializer",
    "NewsDetailSerializer",
    "NewsListSerializer",
    "ProgrammeDetailSerializer",
    "ProgrammeListSerializer",
]
