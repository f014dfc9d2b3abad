"""Serializers of the domain API (/api/v1/): programmes, meetings, documents, news.

Flat, typed shapes meant for frontends (every field documented in the
OpenAPI schema); snippets and documents are expanded objects from
``programmes.api.fields``. Per-request lookups that would cost one query per
item (the programme of each meeting, remaining places) are computed once by
the view and handed over in the serializer context.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .fields import (
    DocumentSerializer,
    OrganisationSerializer,
    PageRefSerializer,
    PersonSerializer,
    RichTextHTMLField,
    StreamFieldSerializer,
    VenueSerializer,
    absolute_url,
)


class PageBaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="Public HTML page.")
    locale = serializers.SerializerMethodField(help_text="Language code of the page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, page) -> str | None:
        request = self.context.get("request")
        return page.get_full_url(request)

    @extend_schema_field(OpenApiTypes.STR)
    def get_locale(self, page) -> str:
        code = self.context.get("locale_code")
        return code or page.locale.language_code


def _programme_field():
    return serializers.SerializerMethodField(help_text="The programme the page belongs to.")


class ProgrammeChildMixin(serializers.Serializer):
    programme = _programme_field()

    @extend_schema_field(PageRefSerializer(allow_null=True))
    def get_programme(self, page):
        return self.context.get("programmes", {}).get(page.pk)


# --- Programmes ------------------------------------------------------------


class PhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    is_current = serializers.SerializerMethodField()

    def get_is_current(self, phase) -> bool:
        current = self.context.get("current_phase_ids", set())
        return phase.pk in current


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
    def url(name):
        return absolute_url(context, reverse(f"programmes_feeds:{name}", args=[slug]))

    return {
        "calendar": url("programme_calendar"),
        "news_rss": url("programme_news_rss"),
        "news_atom": url("programme_news_atom"),
        "documents_rss": url("programme_documents_rss"),
        "documents_atom": url("programme_documents_atom"),
    }


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
        phase = programme.current_phase()
        if phase is None:
            return None
        context = {**self.context, "current_phase_ids": {phase.pk}}
        return PhaseSerializer(phase, context=context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, programme) -> str:
        return absolute_url(
            self.context, reverse("programmes_api:programme-detail", args=[programme.slug])
        )


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

    @extend_schema_field(PhaseSerializer(many=True))
    def get_phases(self, programme):
        phase = programme.current_phase()
        context = {**self.context, "current_phase_ids": {phase.pk} if phase else set()}
        return PhaseSerializer(programme.phases.all(), many=True, context=context).data

    @extend_schema_field(ProgrammeFeedsSerializer)
    def get_feeds(self, programme):
        return programme_feeds(self.context, programme.slug)

    def _listing(self, name, programme):
        return absolute_url(
            self.context, reverse(f"programmes_api:{name}-list") + f"?programme={programme.slug}"
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_meetings_url(self, programme) -> str:
        return self._listing("meeting", programme)

    @extend_schema_field(OpenApiTypes.URI)
    def get_documents_url(self, programme) -> str:
        return self._listing("document", programme)

    @extend_schema_field(OpenApiTypes.URI)
    def get_news_url(self, programme) -> str:
        return self._listing("news", programme)


# --- Meetings --------------------------------------------------------------


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True, allow_null=True)
    venue = VenueSerializer(read_only=True, allow_null=True)
    room = serializers.CharField(read_only=True)
    online_url = serializers.CharField(read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)


class AccessibilitySerializer(serializers.Serializer):
    sign_language_interpreter = serializers.BooleanField(read_only=True)
    step_free_access = serializers.BooleanField(read_only=True)
    notes = serializers.CharField(source="accessibility_notes", read_only=True)


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
        help_text="Places across sessions; null when unlimited."
    )
    remaining_places = serializers.SerializerMethodField(
        help_text="Places still free; null when not tracked or unlimited."
    )
    is_open = serializers.SerializerMethodField(help_text="Sign-ups are accepted now.")

    def get_capacity(self, meeting) -> int | None:
        capacities = [session.capacity for session in meeting.sessions.all()]
        if not capacities or any(capacity is None for capacity in capacities):
            return None
        return max(capacities)

    def get_remaining_places(self, meeting) -> int | None:
        return self.context.get("places", {}).get(meeting.pk)

    def get_is_open(self, meeting) -> bool:
        if meeting.registration_mode == "none" or meeting.status != "planned":
            return False
        now = timezone.now()
        if meeting.registration_deadline and meeting.registration_deadline < now:
            return False
        return bool(meeting.last_session_end and meeting.last_session_end >= now)


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
        now = self.context.get("now") or timezone.now()
        upcoming = [
            session.start
            for session in meeting.sessions.all()
            if (session.end or session.start) >= now
        ]
        return serializers.DateTimeField().to_representation(min(upcoming)) if upcoming else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, meeting) -> str:
        return absolute_url(
            self.context, reverse("programmes_api:meeting-detail", args=[meeting.pk])
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, meeting) -> str:
        return absolute_url(
            self.context, reverse("programmes_feeds:meeting_calendar", args=[meeting.pk])
        )


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


class OpenSpaceSerializer(serializers.Serializer):
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


class OutcomeSerializer(serializers.Serializer):
    summary = RichTextHTMLField(source="outcome_summary")
    documents = serializers.SerializerMethodField()

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, meeting):
        documents = [item.document for item in meeting.outcome_documents.all()]
        return DocumentSerializer(documents, many=True, context=self.context).data


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
        return OpenSpaceSerializer(meeting, context=self.context).data


# --- Documents and news ----------------------------------------------------


class NewsListSerializer(ProgrammeChildMixin, PageBaseSerializer):
    date = serializers.DateField(read_only=True)
    intro = serializers.CharField(read_only=True)
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, news) -> str:
        return absolute_url(self.context, reverse("programmes_api:news-detail", args=[news.pk]))


class NewsDetailSerializer(NewsListSerializer):
    body = StreamFieldSerializer()


__all__ = [
    "DocumentSerializer",
    "MeetingDetailSerializer",
    "MeetingListSerializer",
    "NewsDetailSerializer",
    "NewsListSerializer",
    "ProgrammeDetailSerializer",
    "ProgrammeListSerializer",
]
