"""Wagtail admin views: registrations per meeting, applications per working group.

Access follows model permissions of this app (view_/change_registration,
view_/change_application), which a city's Editors and Moderators groups hold.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from programmes.models import MeetingPage, WorkingGroupPage

from . import services
from .models import Application, Registration

APP = "programmes_registration"


def _require(user, codename: str):
    if not user.has_perm(f"{APP}.{codename}"):
        raise PermissionDenied


def _default_locale_filter(queryset):
    try:
        return queryset.filter(locale=Locale.get_default())
    except Locale.DoesNotExist:
        return queryset


def _csv_response(filename: str, write) -> HttpResponse:
    buffer = io.StringIO()
    write(buffer)
    # BOM: spreadsheet programs otherwise read the UTF-8 file as Windows-1250.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class _Base(WagtailAdminTemplateMixin, TemplateView):
    permission = "view_registration"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        _require(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)


# --- meetings --------------------------------------------------------------


class MeetingListView(_Base):
    template_name = "programmes_registration/admin/meetings.html"
    page_title = gettext_lazy("Registrations for meetings")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = set(
            MeetingPage.objects.filter(registration_mode="form").values_list("pk", flat=True)
        ) | set(Registration.objects.values_list("meeting_id", flat=True))
        meetings = (
            _default_locale_filter(MeetingPage.objects.filter(pk__in=ids))
            .annotate(
                confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
                waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
            )
            .order_by("-first_session_start", "title")
        )
        context["page_obj"] = Paginator(meetings, 50).get_page(self.request.GET.get("p"))
        context["now"] = timezone.now()
        return context


class MeetingRegistrationsView(_Base):
    template_name = "programmes_registration/admin/meeting.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.meeting = get_object_or_404(MeetingPage, pk=kwargs["meeting_id"])

    def get_page_title(self):
        return _("Registrations")

    def get_page_subtitle(self):
        return self.meeting.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("programmes_registration_admin:meetings"),
                "label": _("Registrations for meetings"),
            },
            {"url": "", "label": self.meeting.title},
        ]

    def filtered(self):
        rows = Registration.objects.filter(meeting=self.meeting).select_related("session")
        params = self.request.GET
        if params.get("session", "").isdigit():
            rows = rows.filter(session_id=int(params["session"]))
        if params.get("status") in dict(Registration.STATUS_CHOICES):
            rows = rows.filter(status=params["status"])
        query = params.get("q", "").strip()
        if query:
            rows = rows.filter(
                Q(name__icontains=query)
                | Q(email__icontains=query)
                | Q(organisation__icontains=query)
            )
        return rows.order_by("session__start", "created_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meeting=self.meeting,
            summary=services.meeting_summary(self.meeting),
            registrations=self.filtered(),
            statuses=Registration.STATUS_CHOICES,
            sessions=self.meeting.sessions.order_by("sort_order", "start"),
            selected_session=self.request.GET.get("session", ""),
            selected_status=self.request.GET.get("status", ""),
            query=self.request.GET.get("q", ""),
            can_change=self.request.user.has_perm(f"{APP}.change_registration"),
            export_url=reverse(
                "programmes_registration_admin:meeting_export", args=[self.meeting.pk]
            )
            + ("?" + self.request.GET.urlencode() if self.request.GET else ""),
            registration_state=services.registration_state(
                services.canonical_meeting(self.meeting)
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        _require(request.user, "change_registration")
        action = request.POST.get("action")
        if action == "attendance":
            services.set_attendance(
                self.meeting, request.POST.getlist("shown"), request.POST.getlist("attended")
            )
            messages.success(request, _("Attendance saved."))
        elif action == "cancel" and request.POST.get("registration", "").isdigit():
            registration = get_object_or_404(
                Registration, pk=int(request.POST["registration"]), meeting=self.meeting
            )
            result = services.cancel_registration(registration)
            if result.cancelled:
                messages.success(
                    request,
                    _("Registration cancelled; %(n)d moved up from the waiting list.")
                    % {"n": len(result.promoted)},
                )
        elif action == "fill":
            promoted = services.fill_from_waiting_list(self.meeting)
            messages.success(
                request,
                _("%(n)d moved up from the waiting list.") % {"n": len(promoted)},
            )
        url = request.path + ("?" + request.GET.urlencode() if request.GET else "")
        return redirect(url)


class MeetingExportView(View):
    def get(self, request, meeting_id):
        _require(request.user, "view_registration")
        meeting = get_object_or_404(MeetingPage, pk=meeting_id)
        view = MeetingRegistrationsView()
        view.setup(request, meeting_id=meeting_id)
        rows = view.filtered()
        stamp = timezone.localdate().isoformat()
        return _csv_response(
            f"rejestracje-{meeting.slug}-{stamp}.csv",
            lambda out: services.export_registrations_csv(rows, out),
        )


# --- working groups --------------------------------------------------------


class GroupListView(_Base):
    permission = "view_application"
    template_name = "programmes_registration/admin/groups.html"
    page_title = gettext_lazy("Working-group applications")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = (
            _default_locale_filter(WorkingGroupPage.objects.all())
            .annotate(
                pending=Count("applications", filter=Q(applications__status="pending")),
                accepted=Count("applications", filter=Q(applications__status="accepted")),
                total=Count("applications"),
            )
            .order_by("-recruitment_end", "title")
        )
        context["page_obj"] = Paginator(groups, 50).get_page(self.request.GET.get("p"))
        return context


class GroupApplicationsView(_Base):
    permission = "view_application"
    template_name = "programmes_registration/admin/group.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.group = get_object_or_404(WorkingGroupPage, pk=kwargs["group_id"])

    def get_page_title(self):
        return _("Applications")

    def get_page_subtitle(self):
        return self.group.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("programmes_registration_admin:groups"),
                "label": _("Working-group applications"),
            },
            {"url": "", "label": self.group.title},
        ]

    def filtered(self):
        rows = Application.objects.filter(group=self.group)
        params = self.request.GET
        if params.get("status") in dict(Application.STATUS_CHOICES):
            rows = rows.filter(status=params["status"])
        if params.get("role") in dict(Application.ROLE_CHOICES):
            rows = rows.filter(role=params["role"])
        return rows.order_by("created_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = services.group_counts(self.group)
        roles = dict(Application.ROLE_CHOICES)
        context.update(
            group=self.group,
            counts=counts,
            accepted_by_role=[(roles[code], n) for code, n in counts["accepted_by_role"].items()],
            applications=self.filtered(),
            statuses=Application.STATUS_CHOICES,
            roles=Application.ROLE_CHOICES,
            selected_status=self.request.GET.get("status", ""),
            selected_role=self.request.GET.get("role", ""),
            can_change=self.request.user.has_perm(f"{APP}.change_application"),
            state=services.application_state(self.group),
            export_url=reverse("programmes_registration_admin:group_export", args=[self.group.pk])
            + ("?" + self.request.GET.urlencode() if self.request.GET else ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        _require(request.user, "change_application")
        status = request.POST.get("decision")
        ident = request.POST.get("application", "")
        if ident.isdigit() and status in (
            Application.ACCEPTED,
            Application.REJECTED,
            Application.PENDING,
        ):
            application = get_object_or_404(Application, pk=int(ident), group=self.group)
            try:
                services.decide(application, status, user=request.user)
            except services.GroupFull:
                messages.error(
                    request,
                    _("The group already has %(max)d accepted members; raise the maximum first.")
                    % {"max": self.group.max_members},
                )
            except services.RegistrationError:
                messages.error(request, _("This application was withdrawn."))
            else:
                messages.success(request, _("Decision saved."))
        url = request.path + ("?" + request.GET.urlencode() if request.GET else "")
        return redirect(url)


class GroupExportView(View):
    def get(self, request, group_id):
        _require(request.user, "view_application")
        group = get_object_or_404(WorkingGroupPage, pk=group_id)
        view = GroupApplicationsView()
        view.setup(request, group_id=group_id)
        rows = view.filtered()
        stamp = timezone.localdate().isoformat()
        return _csv_response(
            f"zgloszenia-{group.slug}-{stamp}.csv",
            lambda out: services.export_applications_csv(rows, out),
        )
