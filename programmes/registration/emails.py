"""E-mails to residents: confirmation (with .ics), waiting list, promotion, cancellation,
meeting cancelled by the organiser, application received and accepted.

Sent through Django's e-mail backend (console in development, locmem in
tests, SMTP in production), in the language the person used on the site.
Links are absolute, built from the Wagtail Site of the page, so they point at
the city's own domain. Subjects and bodies are templates under
``programmes_registration/email/``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event, vText
from wagtail.models import Site

TIME_ZONE = "Europe/Warsaw"


def _site(page) -> Site | None:
    return page.get_site() or Site.objects.filter(is_default_site=True).first()


def root_url(page) -> str:
    site = _site(page)
    if site is not None:
        return site.root_url
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def absolute(page, path: str) -> str:
    return root_url(page) + path


def token_url(page, token: str) -> str:
    return absolute(page, reverse("programmes_registration:cancel", args=[token]))


def _settings(page):
    from .models import RegistrationSettings

    site = _site(page)
    return RegistrationSettings.for_site(site) if site else None


def _venue_text(session) -> str:
    parts = []
    if session.venue:
        venue = session.venue
        parts.append(
            ", ".join(
                p
                for p in [
                    venue.name,
                    session.room,
                    venue.address,
                    " ".join(x for x in [venue.postcode, venue.city] if x),
                ]
                if p
            )
        )
    elif session.room:
        parts.append(session.room)
    if session.online_url:
        parts.append(session.online_url)
    return " / ".join(parts)


def build_ics(meeting, sessions) -> bytes:
    """A calendar with one VEVENT per session (times in Europe/Warsaw)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(TIME_ZONE)
    site = _site(meeting)
    host = site.hostname if site else "dialog"
    calendar = Calendar()
    calendar.add("prodid", "-//Dialog CMS//registration//PL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    url = meeting.get_full_url() or ""
    for session in sessions:
        if session is None:
            continue
        start = session.start.astimezone(zone)
        end = (session.end or session.start + datetime.timedelta(hours=2)).astimezone(zone)
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}-session-{session.pk}@{host}")
        event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
        event.add("dtstart", start)
        event.add("dtend", end)
        title = f"{meeting.title} – {session.label}" if session.label else meeting.title
        event.add("summary", title)
        location = _venue_text(session)
        if location:
            event["location"] = vText(location)
        if meeting.intro:
            event.add("description", f"{meeting.intro}\n\n{url}".strip())
        if url:
            event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _send(page, template: str, context: dict, to: str, language: str, ics: bytes | None = None):
    if not to:
        return
    registration_settings = _settings(page)
    reply_to = (
        [registration_settings.reply_to_email]
        if registration_settings and registration_settings.reply_to_email
        else None
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "page": page,
            "page_url": page.get_full_url() or "",
            "site_name": (_site(page).site_name if _site(page) else "") or "",
            **context,
        }
        subject = render_to_string(f"programmes_registration/email/{template}_subject.txt", context)
        body = render_to_string(f"programmes_registration/email/{template}.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
    )
    if ics:
        message.attach("spotkanie.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


def send_booking_received(meeting, registrations, token: str) -> None:
    first = registrations[0]
    confirmed = [r for r in registrations if r.status == "confirmed"]
    waitlisted = [r for r in registrations if r.status == "waitlisted"]
    _send(
        meeting,
        "confirmation" if confirmed else "waiting_list",
        {
            "name": first.name,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "cancel_url": token_url(meeting, token),
        },
        first.email,
        first.language,
        ics=build_ics(meeting, [r.session for r in confirmed]) if confirmed else None,
    )


def send_promotion(meeting, registration, token: str) -> None:
    _send(
        meeting,
        "promotion",
        {
            "name": registration.name,
            "registration": registration,
            "cancel_url": token_url(meeting, token),
        },
        registration.email,
        registration.language,
        ics=build_ics(meeting, [registration.session]),
    )


def send_cancellation(meeting, registrations, name: str, email: str, language: str) -> None:
    _send(
        meeting,
        "cancellation",
        {"name": name, "cancelled": registrations},
        email,
        language,
    )


def send_meeting_cancelled(meeting, registrations, token: str) -> None:
    """The organiser cancelled the meeting: one booking's places (confirmed or waiting)."""
    first = registrations[0]
    _send(
        meeting,
        "meeting_cancelled",
        {
            "name": first.name,
            "confirmed": [r for r in registrations if r.status == "confirmed"],
            "waitlisted": [r for r in registrations if r.status == "waitlisted"],
            "remove_url": token_url(meeting, token),
        },
        first.email,
        first.language,
    )


def send_application_received(group, application, token: str) -> None:
    _send(
        group,
        "application_received",
        {
            "name": application.name,
            "application": application,
            "withdraw_url": token_url(group, token),
        },
        application.email,
        application.language,
    )


def send_application_accepted(group, application) -> None:
    _send(
        group,
        "application_accepted",
        {"name": application.name, "application": application},
        application.email,
        application.language,
    )
