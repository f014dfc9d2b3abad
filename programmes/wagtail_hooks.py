"""Admin integration of the plugin: snippet menus, meeting listing, dashboard panel.

Everything here is what a city editor sees in the Wagtail admin, so every
label goes through gettext (the admin is Polish by default).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ConsultationPage, MeetingPage
from .snippets import Organisation, Person, Venue

# --- Snippets ----------------------------------------------------------------


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "title", "affiliation", "email"]
    list_filter = ["affiliation"]
    search_fields = ["name", "affiliation"]
    ordering = ["name"]
    list_per_page = 50


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "address", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]
    ordering = ["name"]
    list_per_page = 50


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Venues")
    list_display = ["name", "address", "city", "step_free_access"]
    list_filter = ["city", "step_free_access"]
    search_fields = ["name", "address"]
    ordering = ["name"]
    list_per_page = 50


class DirectoryViewSetGroup(SnippetViewSetGroup):
    """One menu item for the people, organisations and venues pages refer to."""

    items = (PersonViewSet, OrganisationViewSet, VenueViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("People and places")
    menu_name = "programmes_directory"
    menu_order = 250


register_snippet(DirectoryViewSetGroup)


# --- Flat listing of meetings ----------------------------------------------------


class MeetingListingViewSet(PageListingViewSet):
    """Every meeting of the city in one list, soonest first, with kind and status."""

    model = MeetingPage
    icon = "date"
    menu_label = _("Meetings")
    name = "programmes_meetings"
    add_to_admin_menu = True
    menu_order = 240
    columns = [
        *PageListingViewSet.columns,
        DateColumn(
            "first_session_start",
            label=_("First session"),
            sort_key="first_session_start",
            width="14%",
        ),
        Column("kind", label=_("Kind"), accessor="get_kind_display", width="14%"),
        Column("status", label=_("Meeting status"), accessor="get_status_display", width="10%"),
    ]


@hooks.register("register_admin_viewset")
def register_meeting_listing():
    return MeetingListingViewSet()


# --- Dashboard -----------------------------------------------------------------


class ProgrammesPanel(Component):
    """Dashboard panel: what is coming up in this city's programmes."""

    name = "programmes"
    order = 50
    template_name = "programmes/admin/dashboard_panel.html"
    limit = 8

    def __init__(self, request):
        self.request = request

    def _site_pages(self):
        site = Site.find_for_request(self.request)
        if site is None:
            return Page.objects.all()
        return Page.objects.descendant_of(site.root_page, inclusive=True)

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        pages = self._site_pages().values("pk")
        meetings = (
            MeetingPage.objects.filter(pk__in=pages, last_session_end__gte=now)
            .exclude(status="cancelled")
            .order_by("first_session_start")
            .specific()[: self.limit]
        )
        today = timezone.localdate()
        consultations = ConsultationPage.objects.filter(
            pk__in=pages,
            status__in=("planned", "open"),
            start_date__lte=today,
            end_date__gte=today,
        ).order_by("end_date")[: self.limit]
        return {
            "meetings": meetings,
            "consultations": consultations,
            "request": self.request,
        }


@hooks.register("construct_homepage_panels")
def add_programmes_panel(request, panels):
    panels.append(ProgrammesPanel(request))
