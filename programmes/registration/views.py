"""Public views: register for a meeting, apply to a working group, cancel by link.

Thin: they parse the form, apply the abuse checks (CSRF by middleware,
honeypot, rate limit) and call services.py. The same form is rendered on the
meeting page itself (templatetags) and, for errors and results, on pages of
their own here.
"""

from __future__ import annotations

import uuid

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from programmes.models import MeetingPage, WorkingGroupPage

from . import services
from .forms import ApplicationForm, RegistrationForm
from .models import Application, Registration, RegistrationSettings
from .ratelimit import over_limit

CLOSED_MESSAGES = {
    "not_form": _("This meeting does not take registrations through this site."),
    "not_live": _("This meeting is not published."),
    "cancelled": _("This meeting has been cancelled, so registration is closed."),
    "deadline": _("The registration deadline has passed."),
    "started": _("The meeting has already started, so registration is closed."),
    "no_sessions": _(
        "The date of this meeting has not been set yet; registration will open later."
    ),
    "unknown_session": _("The chosen session is no longer available. Please choose again."),
    "full": _("All places are taken."),
    "not_open": _("This working group does not recruit through this site."),
    "before": _("Recruitment to this working group has not opened yet."),
    "after": _("Recruitment to this working group has closed."),
}


def _privacy(request):
    return RegistrationSettings.for_request(request)


# --- meeting registration --------------------------------------------------


def meeting_registration_context(request, page, form=None, error=None, error_code="") -> dict:
    """What the registration block needs, on the meeting page or on its own page."""
    meeting = services.canonical_meeting(page)
    state = services.registration_state(meeting)
    privacy = _privacy(request)
    context = {
        "page": page,
        "meeting": meeting,
        "state": state,
        "closed_message": CLOSED_MESSAGES.get(state, ""),
        "privacy": privacy,
        "action": reverse("programmes_registration:register", args=[page.pk]),
        "form": None,
        "error": error,
        "error_code": error_code,
    }
    if state != "open":
        return context
    sessions = services.open_sessions(meeting)
    counts = services._confirmed_counts(s.pk for s in sessions)
    full = [
        s
        for s in sessions
        if services.public_places(s) is not None
        and counts.get(s.pk, 0) >= services.public_places(s)
    ]
    context["all_full"] = len(full) == len(sessions)
    if context["all_full"] and not meeting.waiting_list:
        context["state"] = "full"
        context["closed_message"] = CLOSED_MESSAGES["full"]
        return context
    context["form"] = form or RegistrationForm(
        meeting=meeting,
        sessions=sessions,
        counts=counts,
        privacy_notice_url=privacy.privacy_notice_url,
    )
    return context


def _meeting(meeting_id) -> MeetingPage:
    page = MeetingPage.objects.live().public().filter(pk=meeting_id).first()
    if page is None or page.registration_mode != "form":
        raise Http404
    return page


def _too_many(request):
    return render(request, "programmes_registration/too_many.html", status=429)


@require_http_methods(["GET", "POST"])
def register(request, meeting_id: int):
    page = _meeting(meeting_id)
    if request.method == "GET":
        context = meeting_registration_context(request, page)
        return render(request, "programmes_registration/register.html", context)
    if over_limit(request):
        return _too_many(request)
    context = meeting_registration_context(request, page)
    if context["form"] is None:
        return render(request, "programmes_registration/register.html", context, status=409)
    meeting = context["meeting"]
    form = RegistrationForm(
        request.POST,
        meeting=meeting,
        sessions=services.open_sessions(meeting),
        counts=services._confirmed_counts(s.pk for s in services.open_sessions(meeting)),
        privacy_notice_url=context["privacy"].privacy_notice_url,
    )
    if form.is_bot():
        # Look like success so the bot learns nothing; store nothing.
        return render(
            request, "programmes_registration/registered.html", {"page": page, "result": None}
        )
    if not form.is_valid():
        context["form"] = form
        return render(request, "programmes_registration/register.html", context, status=400)
    try:
        result = services.register(
            meeting, form.chosen_sessions(), form.person(language=get_language())
        )
    except services.DuplicateRegistration as error:
        context["form"] = form
        context["error_code"] = "duplicate"
        context["error"] = _(
            "This e-mail address is already registered for %(session)s. "
            "Check your inbox for the confirmation; it has a link to cancel."
        ) % {"session": _session_name(error.session) if error.session else _("this meeting")}
        return render(request, "programmes_registration/register.html", context, status=409)
    except services.SessionFull as error:
        context["form"] = form
        context["error_code"] = "full"
        context["error"] = _("All places in %(session)s are taken.") % {
            "session": _session_name(error.session)
        }
        return render(request, "programmes_registration/register.html", context, status=409)
    except services.RegistrationClosed as error:
        context = meeting_registration_context(
            request,
            page,
            error=CLOSED_MESSAGES.get(error.code, CLOSED_MESSAGES["deadline"]),
            error_code=error.code,
        )
        return render(request, "programmes_registration/register.html", context, status=409)
    return render(
        request,
        "programmes_registration/registered.html",
        {"page": page, "result": result, "email": form.cleaned_data["email"]},
    )


def _session_name(session) -> str:
    if session is None:
        return ""
    from django.utils import formats, timezone

    when = formats.date_format(timezone.localtime(session.start), "DATETIME_FORMAT")
    return f"{session.label} ({when})" if session.label else when


# --- working-group applications --------------------------------------------


def group_application_context(request, page, form=None, error=None, error_code="") -> dict:
    group = services.canonical_group(page)
    state = services.application_state(group)
    privacy = _privacy(request)
    return {
        "page": page,
        "group": group,
        "state": state,
        "closed_message": CLOSED_MESSAGES.get(state, ""),
        "privacy": privacy,
        "action": reverse("programmes_registration:apply", args=[page.pk]),
        "form": (form or ApplicationForm(privacy_notice_url=privacy.privacy_notice_url))
        if state == "open"
        else None,
        "error": error,
        "error_code": error_code,
    }


@require_http_methods(["GET", "POST"])
def apply(request, group_id: int):
    page = WorkingGroupPage.objects.live().public().filter(pk=group_id).first()
    if page is None:
        raise Http404
    if request.method == "GET":
        context = group_application_context(request, page)
        return render(request, "programmes_registration/apply.html", context)
    if over_limit(request):
        return _too_many(request)
    context = group_application_context(request, page)
    if context["form"] is None:
        return render(request, "programmes_registration/apply.html", context, status=409)
    form = ApplicationForm(request.POST, privacy_notice_url=context["privacy"].privacy_notice_url)
    if form.is_bot():
        return render(
            request, "programmes_registration/applied.html", {"page": page, "application": None}
        )
    if not form.is_valid():
        context["form"] = form
        return render(request, "programmes_registration/apply.html", context, status=400)
    try:
        application = services.apply(page, form.applicant(language=get_language()))
    except services.DuplicateApplication:
        context["form"] = form
        context["error_code"] = "duplicate"
        context["error"] = _(
            "An application from this e-mail address has already been received. "
            "Check your inbox for the confirmation."
        )
        return render(request, "programmes_registration/apply.html", context, status=409)
    except services.ApplicationClosed as error:
        context = group_application_context(
            request,
            page,
            error=CLOSED_MESSAGES.get(error.code, CLOSED_MESSAGES["after"]),
            error_code=error.code,
        )
        return render(request, "programmes_registration/apply.html", context, status=409)
    return render(
        request,
        "programmes_registration/applied.html",
        {"page": page, "application": application},
    )


# --- cancellation and withdrawal by link -----------------------------------


def _bad_link(request):
    return render(request, "programmes_registration/bad_link.html", status=400)


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    """GET shows what will be cancelled; POST cancels and removes the data."""
    try:
        kind, ident = services.read_token(token)
    except services.BadToken:
        return _bad_link(request)
    if kind == "a":
        return _withdraw(request, ident)
    try:
        booking = uuid.UUID(ident)
    except ValueError:
        return _bad_link(request)
    rows = services.booking_registrations(booking)
    if not rows:
        return _bad_link(request)
    page = rows[0].meeting
    if all(r.anonymised_at for r in rows):
        return render(request, "programmes_registration/cancelled.html", {"page": page})
    if request.method == "GET":
        return render(
            request,
            "programmes_registration/cancel_confirm.html",
            {
                "page": page,
                "registrations": rows,
                "active": [r for r in rows if r.status in Registration.ACTIVE],
            },
        )
    services.cancel_booking(booking, remove_data=True)
    return render(request, "programmes_registration/cancelled.html", {"page": page})


def _withdraw(request, ident: str):
    if not ident.isdigit():
        return _bad_link(request)
    application = Application.objects.select_related("group").filter(pk=int(ident)).first()
    if application is None:
        return _bad_link(request)
    page = application.group
    if application.anonymised_at:
        return render(request, "programmes_registration/withdrawn.html", {"page": page})
    if request.method == "GET":
        return render(
            request,
            "programmes_registration/withdraw_confirm.html",
            {"page": page, "application": application},
        )
    services.withdraw_application(application.pk)
    return render(request, "programmes_registration/withdrawn.html", {"page": page})
