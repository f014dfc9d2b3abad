"""Page types of the dialogue and cooperation programmes plugin.

Tree: HomePage -> ProgrammeIndexPage -> ProgrammePage -> (MeetingPage,
OpenSpaceSessionPage, ExpertPanelPage, ConsultationPage, WorkingGroupPage,
NewsPage, DocumentLibraryPage). Consultations and working groups hold their
own meetings.

OpenSpaceSessionPage inherits MeetingPage: an Open Space session *is* a
meeting (sessions, venue, accessibility, registration, outcome), so every
meeting listing, calendar feed and API filter includes it without special
cases; it adds the guiding question, the method and the topics raised.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .api.fields import (
    DocumentSerializer,
    OrganisationSerializer,
    PersonSerializer,
    SessionRemainingPlacesField,
    SessionWaitingListField,
    VenueSerializer,
)
from .api.preview import HeadlessPreviewMixin
from .blocks import RICH_FEATURES, ContentStreamBlock
from .documents import ProgrammeDocument  # noqa: F401 - registers the document model
from .forms import MeetingPageForm
from .snippets import Organisation, Person, Venue  # noqa: F401 - registers snippet models

SHORT_RICH = ["bold", "italic", "link", "ul", "ol", "document-link"]


def _tabs(content, *, schedule=None, registration=None, documents=None, extra_promote=None):
    """Panels grouped the same way on every page type (STYLE: editors first)."""
    tabs = [ObjectList(content, heading=_("Content"))]
    if schedule:
        tabs.append(ObjectList(schedule, heading=_("Schedule")))
    if registration:
        tabs.append(ObjectList(registration, heading=_("Registration")))
    if documents:
        tabs.append(ObjectList(documents, heading=_("Documents")))
    tabs.append(ObjectList(Page.promote_panels + (extra_promote or []), heading=_("Promote")))
    tabs.append(ObjectList(Page.settings_panels, heading=_("Settings")))
    return TabbedInterface(tabs)


class ProgrammeChildMixin:
    """Shared helpers of pages that live under a programme."""

    @cached_property
    def programme(self):
        return ProgrammePage.objects.ancestor_of(self).live().specific().last()


# --- Home and index --------------------------------------------------------


class HomePage(HeadlessPreviewMixin, Page):
    """The city's portal root: what happens next, news, open consultations."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=SHORT_RICH,
        help_text=_("Short welcome text shown at the top of the city's home page."),
    )

    override_translatable_fields = [
        TranslatableField("intro"),
    ]

    content_panels = Page.content_panels + [FieldPanel("intro")]
    edit_handler = _tabs(content_panels)
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["programmes.ProgrammeIndexPage"]
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        locale_pages = Page.objects.descendant_of(self).live().public()
        context["upcoming_meetings"] = (
            MeetingPage.objects.live()
            .public()
            .filter(pk__in=locale_pages.values("pk"))
            .filter(last_session_end__gte=now)
            .exclude(status="cancelled")
            .order_by("first_session_start")[:6]
        )
        context["latest_news"] = (
            NewsPage.objects.live()
            .public()
            .filter(pk__in=locale_pages.values("pk"))
            .order_by("-date")[:5]
        )
        context["open_consultations"] = [
            page
            for page in ConsultationPage.objects.live()
            .public()
            .filter(pk__in=locale_pages.values("pk"))
            if page.is_open()
        ]
        context["programmes"] = (
            ProgrammePage.objects.live()
            .public()
            .filter(pk__in=locale_pages.values("pk"))
            .order_by("-start_date")
        )
        return context


class ProgrammeIndexPage(HeadlessPreviewMixin, Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=SHORT_RICH,
        help_text=_("Text shown above the list of programmes."),
    )

    override_translatable_fields = [
        TranslatableField("intro"),
    ]

    content_panels = Page.content_panels + [FieldPanel("intro")]
    edit_handler = _tabs(content_panels)
    parent_page_types = ["programmes.HomePage"]
    subpage_types = ["programmes.ProgrammePage"]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("programme index")
        verbose_name_plural = _("programme indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = (
            ProgrammePage.objects.child_of(self).live().public().order_by("-start_date")
        )
        return context


# --- Programme -------------------------------------------------------------


class ProgrammePage(HeadlessPreviewMixin, Page):
    STATUS_CHOICES = [
        ("planned", _("Planned")),
        ("in_progress", _("In progress")),
        ("consultation", _("In public consultation")),
        ("adopted", _("Adopted")),
        ("completed", _("Completed")),
    ]

    summary = models.TextField(
        _("summary"), help_text=_("Two or three sentences: what the programme is for.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=STATUS_CHOICES,
        default="in_progress",
        help_text=_("Where the programme stands as a whole."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("When work began.")
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("When work ended or will end.")
    )
    lead_organisation = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Office responsible for the programme."),
    )
    coordinator = models.ForeignKey(
        "programmes.Person",
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Person coordinating the work."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Where residents write.")
    )
    contact_phone = models.CharField(
        _("contact phone"), max_length=50, blank=True, help_text=_("Phone number for questions.")
    )
    funding = models.CharField(
        _("funding"),
        max_length=255,
        blank=True,
        help_text=_("Source of funding, e.g. Norwegian Financial Mechanism."),
    )
    body = StreamField(
        ContentStreamBlock(),
        verbose_name=_("goals and vision"),
        blank=True,
        help_text=_("Goals, vision, values and how the programme is built."),
    )

    override_translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("funding"),
        TranslatableField("body"),
        SynchronizedField("status"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("lead_organisation"),
        SynchronizedField("coordinator"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        TranslatableField("phases"),  # names, descriptions (dates sync: see the model)
        TranslatableField("partners"),  # roles
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("start_date"), FieldPanel("end_date")]),
        MultiFieldPanel(
            [
                FieldPanel("lead_organisation"),
                FieldPanel("coordinator"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Who runs it"),
        ),
        FieldPanel("funding"),
        InlinePanel("partners", heading=_("Partners"), label=_("Partner")),
        FieldPanel("body"),
    ]
    schedule_panels = [InlinePanel("phases", heading=_("Phases"), label=_("Phase"))]
    edit_handler = _tabs(content_panels, schedule=schedule_panels)

    parent_page_types = ["programmes.ProgrammeIndexPage"]
    subpage_types = [
        "programmes.MeetingPage",
        "programmes.OpenSpaceSessionPage",
        "programmes.ExpertPanelPage",
        "programmes.ConsultationPage",
        "programmes.WorkingGroupPage",
        "programmes.NewsPage",
        "programmes.DocumentLibraryPage",
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("status"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("lead_organisation", serializer=OrganisationSerializer(read_only=True)),
        APIField("coordinator", serializer=PersonSerializer(read_only=True)),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("funding"),
        APIField("body"),
        APIField("phases"),
        APIField("partners"),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def current_phase(self, today: datetime.date | None = None):
        """The phase whose dates contain today; between phases, none."""
        today = today or timezone.localdate()
        for phase in self.phases.all():
            if phase.start_date <= today and (phase.end_date is None or today <= phase.end_date):
                return phase
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        meetings = (
            MeetingPage.objects.descendant_of(self).live().public().order_by("first_session_start")
        )
        now = timezone.now()
        context["current_phase"] = self.current_phase()
        context["upcoming_meetings"] = [
            m for m in meetings if m.last_session_end and m.last_session_end >= now
        ]
        context["past_meetings"] = [
            m for m in meetings if not m.last_session_end or m.last_session_end < now
        ][::-1]
        context["news"] = NewsPage.objects.child_of(self).live().public().order_by("-date")
        context["children"] = (
            self.get_children().live().public().specific().not_type(MeetingPage, NewsPage)
        )
        context["documents"] = self.documents.order_by("-publication_date")[:10]
        return context


class TranslatableOrderable(TranslatableMixin, Orderable):
    """An inline row whose texts wagtail-localize translates segment by segment.

    A plain Orderable in a translated page is copied as a whole, so an English
    page showed Polish phase names and agenda items. With TranslatableMixin
    each row has a ``translation_key`` shared by its copies in every language
    and a ``locale`` (the page's); the row's dates, times and links to
    snippets stay synchronised with the source (docs/localization.md).
    """

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True


class ProgrammePagePhase(TranslatableOrderable):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Diagnostic workshops"))
    start_date = models.DateField(_("start date"), help_text=_("First day of the phase."))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Last day; empty if open-ended.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What happens in this phase.")
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("description"),
    ]
    api_fields = [
        APIField("name"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("description"),
    ]
    override_translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
    ]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The phase cannot end before it starts.")})

    def __str__(self):
        return self.name


class ProgrammePagePartner(TranslatableOrderable):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("e.g. Norwegian partner")
    )

    panels = [FieldPanel("organisation"), FieldPanel("role")]
    api_fields = [
        APIField("organisation", serializer=OrganisationSerializer(read_only=True)),
        APIField("role"),
    ]
    override_translatable_fields = [
        TranslatableField("role"),
        SynchronizedField("organisation"),
    ]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


# --- Meetings --------------------------------------------------------------


class MeetingPage(HeadlessPreviewMixin, ProgrammeChildMixin, Page):
    KIND_CHOICES = [
        ("plenary", _("Plenary meeting")),
        ("workshop", _("Workshop")),
        ("working_group", _("Working-group meeting")),
        ("consultation", _("Consultation meeting")),
        ("summary", _("Summary meeting")),
        ("open_space", _("Open Space session")),
        ("other", _("Other")),
    ]
    STATUS_CHOICES = [("planned", _("Planned")), ("cancelled", _("Cancelled")), ("held", _("Held"))]
    REGISTRATION_CHOICES = [
        ("none", _("No registration needed")),
        ("email", _("By e-mail to the organiser")),
        ("form", _("Built-in registration form")),
        ("external", _("External registration page")),
    ]

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=KIND_CHOICES,
        default="workshop",
        help_text=_("What sort of meeting this is."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=STATUS_CHOICES,
        default="planned",
        help_text=_("Mark cancelled meetings as cancelled rather than deleting them."),
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One paragraph: what the meeting is for.")
    )
    body = RichTextField(
        _("description"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("Longer description, goals, who is invited."),
    )
    # Accessibility
    sign_language_interpreter = models.BooleanField(
        _("sign-language interpreter"),
        default=False,
        help_text=_("A Polish sign-language interpreter is present."),
    )
    step_free_access = models.BooleanField(
        _("step-free access"), default=False, help_text=_("The venue can be entered without steps.")
    )
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("Hearing loop, childcare, materials in easy-to-read form."),
    )
    # Registration
    registration_mode = models.CharField(
        _("registration"),
        max_length=10,
        choices=REGISTRATION_CHOICES,
        default="none",
        help_text=_("How people sign up."),
    )
    registration_email = models.EmailField(
        _("registration e-mail"),
        blank=True,
        help_text=_("Where to send sign-ups when registering by e-mail."),
    )
    registration_url = models.URLField(
        _("registration page"), blank=True, help_text=_("Address of an external registration page.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Registration closes at this moment."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When full, further sign-ups join a waiting list."),
    )
    # Outcome
    outcome_summary = RichTextField(
        _("outcome summary"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("What was decided or discussed; filled in after the meeting."),
    )
    # Denormalised from sessions on save: listings and the API order and filter
    # by them with an index instead of joining and sorting every session row.
    first_session_start = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    last_session_end = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    override_translatable_fields = [
        TranslatableField("intro"),
        TranslatableField("body"),
        TranslatableField("accessibility_notes"),
        TranslatableField("outcome_summary"),
        SynchronizedField("kind"),
        SynchronizedField("status"),
        SynchronizedField("sign_language_interpreter"),
        SynchronizedField("step_free_access"),
        SynchronizedField("registration_mode"),
        SynchronizedField("registration_email"),
        SynchronizedField("registration_url"),
        SynchronizedField("registration_deadline"),
        SynchronizedField("waiting_list"),
        TranslatableField("sessions"),  # labels, rooms (times, venues, places sync)
        TranslatableField("agenda_items"),  # titles, descriptions (times sync)
        TranslatableField("facilitators"),  # roles (the person syncs)
        SynchronizedField("outcome_documents"),
    ]

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("facilitators", heading=_("Facilitators"), label=_("Facilitator")),
        MultiFieldPanel(
            [
                FieldPanel("sign_language_interpreter"),
                FieldPanel("step_free_access"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibility"),
        ),
    ]
    schedule_panels = [
        InlinePanel("sessions", heading=_("Sessions"), label=_("Session"), min_num=1),
        InlinePanel("agenda_items", heading=_("Agenda"), label=_("Agenda item")),
    ]
    registration_panels = [
        FieldPanel("registration_mode"),
        FieldPanel("registration_email"),
        FieldPanel("registration_url"),
        FieldRowPanel([FieldPanel("registration_deadline"), FieldPanel("waiting_list")]),
    ]
    documents_panels = [
        FieldPanel("outcome_summary"),
        InlinePanel("outcome_documents", heading=_("Minutes and documents"), label=_("Document")),
    ]
    edit_handler = _tabs(
        content_panels,
        schedule=schedule_panels,
        registration=registration_panels,
        documents=documents_panels,
    )

    base_form_class = MeetingPageForm
    parent_page_types = [
        "programmes.ProgrammePage",
        "programmes.ConsultationPage",
        "programmes.WorkingGroupPage",
    ]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=2),
        index.SearchField("body"),
        index.SearchField("outcome_summary"),
        index.FilterField("kind"),
        index.FilterField("status"),
        index.FilterField("first_session_start"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("status"),
        APIField("intro"),
        APIField("body"),
        APIField("sign_language_interpreter"),
        APIField("step_free_access"),
        APIField("accessibility_notes"),
        APIField("registration_mode"),
        APIField("registration_email"),
        APIField("registration_url"),
        APIField("registration_deadline"),
        APIField("waiting_list"),
        APIField("outcome_summary"),
        APIField("first_session_start"),
        APIField("last_session_end"),
        APIField("sessions"),
        APIField("agenda_items"),
        APIField("facilitators"),
        APIField("outcome_documents"),
    ]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def clean(self):
        super().clean()
        errors = {}
        if self.registration_mode == "email" and not self.registration_email:
            errors["registration_email"] = _("Give the e-mail address people register with.")
        if self.registration_mode == "external" and not self.registration_url:
            errors["registration_url"] = _("Give the address of the registration page.")
        if errors:
            raise ValidationError(errors)

    def update_session_bounds(self):
        sessions = [s for s in self.sessions.all() if s.start]
        self.first_session_start = min((s.start for s in sessions), default=None)
        self.last_session_end = max((s.end or s.start for s in sessions), default=None)

    def save(self, *args, **kwargs):
        self.update_session_bounds()
        return super().save(*args, **kwargs)

    @property
    def is_upcoming(self) -> bool:
        return bool(self.last_session_end and self.last_session_end >= timezone.now())

    @property
    def venues(self):
        seen = []
        for session in self.sessions.all():
            if session.venue and session.venue not in seen:
                seen.append(session.venue)
        return seen

    def get_template(self, request, *args, **kwargs):
        return (
            "programmes/meeting_page.html"
            if type(self) is MeetingPage
            else super().get_template(request)
        )


class MeetingPageSession(TranslatableOrderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="sessions")
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("e.g. Session I"))
    start = models.DateTimeField(_("start"), help_text=_("Date and time the session begins."))
    end = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Date and time the session ends.")
    )
    venue = models.ForeignKey(
        "programmes.Venue",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        help_text=_("Where it takes place; leave empty for online sessions."),
    )
    room = models.CharField(
        _("room"), max_length=100, blank=True, help_text=_("e.g. conference room, 1st floor")
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Link for online participation.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places available; empty means unlimited."),
    )
    reserved_places = models.PositiveIntegerField(
        _("reserved places"), default=0, help_text=_("Places kept aside, e.g. for officials.")
    )

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("room")]),
        FieldPanel("online_url"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("reserved_places")]),
    ]
    api_fields = [
        APIField("label"),
        APIField("start"),
        APIField("end"),
        APIField("venue", serializer=VenueSerializer(read_only=True)),
        APIField("room"),
        APIField("online_url"),
        APIField("capacity"),
        APIField("reserved_places"),
        APIField("remaining_places", serializer=SessionRemainingPlacesField()),
        APIField("waiting_list_open", serializer=SessionWaitingListField()),
    ]
    override_translatable_fields = [
        TranslatableField("label"),
        TranslatableField("room"),
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("venue"),
        SynchronizedField("online_url"),
        SynchronizedField("capacity"),
        SynchronizedField("reserved_places"),
    ]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The session must end after it starts.")})
        if not self.venue and not self.online_url:
            raise ValidationError({"venue": _("Choose a venue or give an online link.")})
        if self.capacity is not None and self.reserved_places > self.capacity:
            raise ValidationError({"reserved_places": _("More places reserved than the capacity.")})

    def __str__(self):
        return f"{self.page.title} – {self.start:%Y-%m-%d %H:%M}" if self.start else self.page.title


class MeetingPageAgendaItem(TranslatableOrderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    time = models.TimeField(
        _("time"), null=True, blank=True, help_text=_("Optional start time of the item.")
    )
    title = models.CharField(
        _("item"), max_length=255, help_text=_("e.g. Welcome and goals of the meeting")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Details of the item.")
    )

    panels = [FieldRowPanel([FieldPanel("time"), FieldPanel("title")]), FieldPanel("description")]
    api_fields = [APIField("time"), APIField("title"), APIField("description")]
    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("description"),
        SynchronizedField("time"),
    ]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")


class MeetingPageFacilitator(TranslatableOrderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="facilitators")
    person = models.ForeignKey(
        "programmes.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("e.g. moderator, speaker")
    )

    panels = [FieldPanel("person"), FieldPanel("role")]
    api_fields = [APIField("person", serializer=PersonSerializer(read_only=True)), APIField("role")]
    override_translatable_fields = [TranslatableField("role"), SynchronizedField("person")]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")


class MeetingPageDocument(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="outcome_documents")
    document = models.ForeignKey(
        "programmes.ProgrammeDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]
    api_fields = [APIField("document", serializer=DocumentSerializer(read_only=True))]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class OpenSpaceSessionPage(MeetingPage):
    guiding_question = models.CharField(
        _("guiding question"),
        max_length=500,
        help_text=_("The question that frames the whole session."),
    )
    method_description = RichTextField(
        _("method"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("How Open Space works, for newcomers."),
    )
    participant_groups = models.TextField(
        _("participant groups"),
        blank=True,
        help_text=_("One group per line, e.g. NGO members, city councillors."),
    )
    report_due_date = models.DateField(
        _("report due"), null=True, blank=True, help_text=_("When the report will be published.")
    )
    report = models.ForeignKey(
        "programmes.ProgrammeDocument",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The published report."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Organisers' e-mail.")
    )
    contact_phone = models.CharField(
        _("contact phone"), max_length=50, blank=True, help_text=_("Organisers' phone.")
    )

    override_translatable_fields = MeetingPage.override_translatable_fields + [
        TranslatableField("guiding_question"),
        TranslatableField("method_description"),
        TranslatableField("participant_groups"),
        SynchronizedField("report_due_date"),
        SynchronizedField("report"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        TranslatableField("topics"),  # topics, summaries (the convener syncs)
    ]

    content_panels = MeetingPage.content_panels + [
        FieldPanel("guiding_question"),
        FieldPanel("method_description"),
        FieldPanel("participant_groups"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone")], heading=_("Contact")
        ),
    ]
    documents_panels = [
        FieldPanel("report_due_date"),
        FieldPanel("report"),
        InlinePanel("topics", heading=_("Topics raised"), label=_("Topic")),
    ] + MeetingPage.documents_panels
    edit_handler = _tabs(
        content_panels,
        schedule=MeetingPage.schedule_panels,
        registration=MeetingPage.registration_panels,
        documents=documents_panels,
    )
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types: list[str] = []
    search_fields = MeetingPage.search_fields + [
        index.SearchField("guiding_question", boost=2),
        index.SearchField("participant_groups"),
    ]
    api_fields = MeetingPage.api_fields + [
        APIField("guiding_question"),
        APIField("method_description"),
        APIField("participant_groups"),
        APIField("report_due_date"),
        APIField("report", serializer=DocumentSerializer(read_only=True)),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("topics"),
    ]

    class Meta:
        verbose_name = _("Open Space session")
        verbose_name_plural = _("Open Space sessions")

    def save(self, *args, **kwargs):
        self.kind = "open_space"
        return super().save(*args, **kwargs)

    @property
    def participant_group_list(self) -> list[str]:
        return [line.strip() for line in self.participant_groups.splitlines() if line.strip()]


class OpenSpaceSessionPageTopic(TranslatableOrderable):
    page = ParentalKey(OpenSpaceSessionPage, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(
        _("topic"), max_length=255, help_text=_("The topic as its convener named it.")
    )
    convener = models.CharField(
        _("convener"), max_length=200, blank=True, help_text=_("Who proposed it.")
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the group concluded."))

    panels = [FieldPanel("topic"), FieldPanel("convener"), FieldPanel("summary")]
    api_fields = [APIField("topic"), APIField("convener"), APIField("summary")]
    override_translatable_fields = [
        TranslatableField("topic"),
        TranslatableField("summary"),
        SynchronizedField("convener"),  # a person's name
    ]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


# --- Expert panel ----------------------------------------------------------


class ExpertPanelPage(HeadlessPreviewMixin, ProgrammeChildMixin, Page):
    purpose = RichTextField(
        _("purpose"), features=RICH_FEATURES, help_text=_("What the experts advise on and how.")
    )

    override_translatable_fields = [
        TranslatableField("purpose"),
        TranslatableField("members"),  # roles (the person syncs)
    ]

    content_panels = Page.content_panels + [
        FieldPanel("purpose"),
        InlinePanel("members", heading=_("Members"), label=_("Member")),
    ]
    edit_handler = _tabs(content_panels)
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [index.SearchField("purpose")]
    api_fields = [APIField("purpose"), APIField("members")]

    class Meta:
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")


class ExpertPanelPageMember(TranslatableOrderable):
    page = ParentalKey(ExpertPanelPage, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "programmes.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role in the panel"), max_length=100, blank=True, help_text=_("e.g. chair")
    )

    panels = [FieldPanel("person"), FieldPanel("role")]
    api_fields = [APIField("person", serializer=PersonSerializer(read_only=True)), APIField("role")]
    override_translatable_fields = [TranslatableField("role"), SynchronizedField("person")]

    class Meta(TranslatableOrderable.Meta):
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")


# --- Consultation ----------------------------------------------------------


class ConsultationPage(HeadlessPreviewMixin, ProgrammeChildMixin, Page):
    STATUS_CHOICES = [
        ("planned", _("Planned")),
        ("open", _("Open for comments")),
        ("closed", _("Closed")),
        ("report_published", _("Report published")),
    ]

    subject = models.TextField(_("subject"), help_text=_("What is being consulted."))
    start_date = models.DateField(_("start date"), help_text=_("First day comments are accepted."))
    end_date = models.DateField(_("end date"), help_text=_("Last day comments are accepted."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=STATUS_CHOICES,
        default="planned",
        help_text=_("Where the consultation stands."),
    )
    comments_email = models.EmailField(
        _("e-mail for comments"), blank=True, help_text=_("Residents send their comments here.")
    )
    form_url = models.URLField(
        _("comment form"), blank=True, help_text=_("Address of an online comment form.")
    )
    channels = RichTextField(
        _("how to take part"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("Meetings, e-mail, forms, consultation points."),
    )
    draft_document = models.ForeignKey(
        "programmes.ProgrammeDocument",
        verbose_name=_("consulted document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The draft residents comment on."),
    )
    report = models.ForeignKey(
        "programmes.ProgrammeDocument",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Report summarising the comments."),
    )
    results = RichTextField(
        _("results"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("What changed thanks to the comments."),
    )

    override_translatable_fields = [
        TranslatableField("subject"),
        TranslatableField("channels"),
        TranslatableField("results"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("status"),
        SynchronizedField("comments_email"),
        SynchronizedField("form_url"),
        SynchronizedField("draft_document"),
        SynchronizedField("report"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("subject"),
        FieldPanel("status"),
        FieldPanel("channels"),
        MultiFieldPanel(
            [FieldPanel("comments_email"), FieldPanel("form_url")], heading=_("Channels")
        ),
    ]
    schedule_panels = [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])]
    documents_panels = [FieldPanel("draft_document"), FieldPanel("report"), FieldPanel("results")]
    edit_handler = _tabs(content_panels, schedule=schedule_panels, documents=documents_panels)
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = ["programmes.MeetingPage"]
    search_fields = Page.search_fields + [
        index.SearchField("subject", boost=2),
        index.SearchField("channels"),
        index.SearchField("results"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("subject"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("status"),
        APIField("comments_email"),
        APIField("form_url"),
        APIField("channels"),
        APIField("draft_document", serializer=DocumentSerializer(read_only=True)),
        APIField("report", serializer=DocumentSerializer(read_only=True)),
        APIField("results"),
    ]

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The consultation cannot end before it starts.")})

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in ("planned", "open") and self.start_date <= today <= self.end_date

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["meetings"] = (
            MeetingPage.objects.child_of(self).live().public().order_by("first_session_start")
        )
        return context


# --- Working group ---------------------------------------------------------


class WorkingGroupPage(HeadlessPreviewMixin, ProgrammeChildMixin, Page):
    area_of_work = RichTextField(
        _("area of work"), features=RICH_FEATURES, help_text=_("What the group works on.")
    )
    membership_rules = RichTextField(
        _("membership rules"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("Who can join and how members are chosen."),
    )
    max_members = models.PositiveIntegerField(
        _("maximum members"), null=True, blank=True, help_text=_("e.g. 16")
    )
    officials_share = models.PositiveSmallIntegerField(
        _("share of officials (%)"),
        null=True,
        blank=True,
        help_text=_("e.g. 50 when half the places are for officials."),
    )
    open_recruitment = models.BooleanField(
        _("open recruitment"),
        default=True,
        help_text=_("Untick when members are appointed internally."),
    )
    recruitment_start = models.DateField(
        _("recruitment opens"),
        null=True,
        blank=True,
        help_text=_("First day applications are accepted."),
    )
    recruitment_end = models.DateField(
        _("recruitment closes"),
        null=True,
        blank=True,
        help_text=_("Last day applications are accepted."),
    )
    application_email = models.EmailField(
        _("applications e-mail"),
        blank=True,
        help_text=_("Where applications are sent, if not by the form."),
    )

    override_translatable_fields = [
        TranslatableField("area_of_work"),
        TranslatableField("membership_rules"),
        SynchronizedField("max_members"),
        SynchronizedField("officials_share"),
        SynchronizedField("open_recruitment"),
        SynchronizedField("recruitment_start"),
        SynchronizedField("recruitment_end"),
        SynchronizedField("application_email"),
        SynchronizedField("members"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("area_of_work"),
        FieldPanel("membership_rules"),
        FieldRowPanel([FieldPanel("max_members"), FieldPanel("officials_share")]),
        InlinePanel("members", heading=_("Members"), label=_("Member")),
    ]
    schedule_panels = [
        FieldPanel("open_recruitment"),
        FieldRowPanel([FieldPanel("recruitment_start"), FieldPanel("recruitment_end")]),
        FieldPanel("application_email"),
    ]
    edit_handler = _tabs(content_panels, registration=schedule_panels)
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = ["programmes.MeetingPage"]
    search_fields = Page.search_fields + [
        index.SearchField("area_of_work", boost=2),
        index.SearchField("membership_rules"),
    ]
    api_fields = [
        APIField("area_of_work"),
        APIField("membership_rules"),
        APIField("max_members"),
        APIField("officials_share"),
        APIField("open_recruitment"),
        APIField("recruitment_start"),
        APIField("recruitment_end"),
        APIField("application_email"),
        APIField("members"),
    ]

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def clean(self):
        super().clean()
        if (
            self.recruitment_start
            and self.recruitment_end
            and self.recruitment_end < self.recruitment_start
        ):
            raise ValidationError(
                {"recruitment_end": _("Recruitment cannot close before it opens.")}
            )
        if self.officials_share is not None and self.officials_share > 100:
            raise ValidationError({"officials_share": _("A share is at most 100%.")})

    def recruitment_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.open_recruitment
            and self.recruitment_start
            and self.recruitment_end
            and self.recruitment_start <= today <= self.recruitment_end
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["meetings"] = (
            MeetingPage.objects.child_of(self).live().public().order_by("first_session_start")
        )
        return context


class WorkingGroupPageMember(Orderable):
    ROLE_CHOICES = [("resident", _("Resident")), ("official", _("Official")), ("ngo", _("NGO"))]
    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "programmes.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("represents"),
        max_length=10,
        choices=ROLE_CHOICES,
        default="resident",
        help_text=_("Whom the member represents."),
    )

    panels = [FieldPanel("person"), FieldPanel("role")]
    api_fields = [APIField("person", serializer=PersonSerializer(read_only=True)), APIField("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("group member")
        verbose_name_plural = _("group members")


# --- News and documents ----------------------------------------------------


class NewsPage(HeadlessPreviewMixin, ProgrammeChildMixin, Page):
    date = models.DateField(
        _("date"), default=datetime.date.today, help_text=_("Date of the update.")
    )
    intro = models.TextField(
        _("lead"), help_text=_("One or two sentences shown in lists and feeds.")
    )
    body = StreamField(
        ContentStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("The full text of the update."),
    )

    override_translatable_fields = [
        TranslatableField("intro"),
        TranslatableField("body"),
        SynchronizedField("date"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    edit_handler = _tabs(content_panels)
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=2),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [APIField("date"), APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["date"])]


class DocumentLibraryPage(HeadlessPreviewMixin, ProgrammeChildMixin, Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=SHORT_RICH,
        help_text=_("Text shown above the list of documents."),
    )

    override_translatable_fields = [
        TranslatableField("intro"),
    ]

    content_panels = Page.content_panels + [FieldPanel("intro")]
    edit_handler = _tabs(content_panels)
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("document library")
        verbose_name_plural = _("document libraries")

    def filtered_documents(self, params):
        documents = ProgrammeDocument.objects.all()
        programme = self.programme
        if programme is not None:
            documents = documents.filter(programme=programme)
        kind = params.get("kind")
        if kind in dict(ProgrammeDocument.KIND_CHOICES):
            documents = documents.filter(kind=kind)
        year = params.get("year", "")
        if year.isdigit():
            documents = documents.filter(publication_date__year=int(year))
        return documents.order_by("-publication_date", "title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["documents"] = self.filtered_documents(request.GET)
        base = (
            ProgrammeDocument.objects.filter(programme=self.programme)
            if self.programme
            else ProgrammeDocument.objects
        )
        context["years"] = sorted(
            {d.year for d in base.exclude(publication_date=None).only("publication_date")},
            reverse=True,
        )
        context["kinds"] = ProgrammeDocument.KIND_CHOICES
        context["selected_kind"] = request.GET.get("kind", "")
        context["selected_year"] = request.GET.get("year", "")
        return context
