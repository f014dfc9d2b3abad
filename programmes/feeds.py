"""Calendar (iCalendar) and news/document (RSS, Atom) feeds of the site.

- ``/feeds/calendar.ics``: every meeting of the site (the last year and the future);
- ``/feeds/programmes/<slug>/calendar.ics``: every meeting of one programme;
- ``/feeds/meetings/<id>.ics``: one meeting ("add to calendar");
- ``/feeds/programmes/<slug>/news.rss`` / ``news.atom``: the programme's news;
- ``/feeds/programmes/<slug>/documents.rss`` / ``documents.atom``: its documents.

Each session of a meeting is its own VEVENT with a stable UID
(``meeting-<pk>-session-<pk>@<host>``), so a calendar app updates the event
when the meeting changes instead of duplicating it; times are in
Europe/Warsaw (the site's TIME_ZONE) with the VTIMEZONE included; cancelled
meetings stay in the feed as STATUS:CANCELLED, which removes them from
subscribers' calendars. Feeds show live, public pages of the requesting
site's language tree (``?locale=en`` for a translation).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vGeo
from wagtail.models import Locale, Page, Site

from .documents import ProgrammeDocument
from .models import MeetingPage, MeetingPageSession, NewsPage, ProgrammePage

app_name = "programmes_feeds"

#: How far back the site-wide calendar reaches.
CITY_CALENDAR_PAST_DAYS = 365
FEED_ITEMS = 50


# --- Scope: live, public pages of the request's site and language -----------


def tree_root(request) -> Page:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page
    code = request.GET.get("locale")
    if code:
        locale = Locale.objects.filter(language_code=code).first()
        translated = locale and (
            root if root.locale_id == locale.pk else root.get_translation_or_none(locale)
        )
        if not translated:
            raise Http404
        root = translated
    return root


def public_pages(model, request):
    return model.objects.live().public().descendant_of(tree_root(request), inclusive=True)


def programme_or_404(request, slug) -> ProgrammePage:
    programme = public_pages(ProgrammePage, request).filter(slug=slug).order_by("path").first()
    if programme is None:
        raise Http404
    return programme


def meetings_with_sessions(queryset):
    return queryset.prefetch_related(
        Prefetch("sessions", queryset=MeetingPageSession.objects.select_related("venue"))
    ).order_by(F("first_session_start").asc(nulls_last=True), "pk")


# --- iCalendar ---------------------------------------------------------------


def _calendar_timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(getattr(settings, "PROGRAMMES_CALENDAR_TIME_ZONE", settings.TIME_ZONE))


def _location(session) -> str:
    parts = []
    if session.venue:
        parts.append(session.venue.name)
        if session.room:
            parts.append(session.room)
        if session.venue.full_address:
            parts.append(session.venue.full_address)
    if session.online_url:
        parts.append(session.online_url)
    return ", ".join(parts)


def session_event(meeting, session, host: str, url: str, tz) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}-session-{session.pk}@{host}")
    summary = meeting.title if not session.label else f"{meeting.title} – {session.label}"
    if meeting.status == "cancelled":
        summary = _("CANCELLED: %(title)s") % {"title": summary}
    event.add("summary", summary)
    event.add("dtstart", session.start.astimezone(tz))
    if session.end:
        event.add("dtend", session.end.astimezone(tz))
    stamp = meeting.last_published_at or meeting.latest_revision_created_at or timezone.now()
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    # SEQUENCE (minutes since 1970 of the last publication) grows with every
    # publication, so clients that require it accept updates and cancellations.
    event.add("sequence", int(stamp.timestamp()) // 60)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    location = _location(session)
    if location:
        event.add("location", location)
    venue = session.venue
    if venue and venue.latitude is not None and venue.longitude is not None:
        event.add("geo", vGeo((float(venue.latitude), float(venue.longitude))))
    description = "\n\n".join(part for part in (meeting.intro, url) if part)
    if description:
        event.add("description", description)
    event.add("url", url)
    event.add("categories", [str(meeting.get_kind_display())])
    return event


def build_calendar(request, meetings, name: str) -> Calendar:
    tz = _calendar_timezone()
    host = request.get_host().split(":")[0]
    calendar = Calendar()
    calendar.add("prodid", "-//Dialog CMS//programmes//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(tz))
    starts = []
    for meeting in meetings:
        url = meeting.get_full_url(request) or ""
        for session in meeting.sessions.all():
            calendar.add_component(session_event(meeting, session, host, url, tz))
            starts.append(session.start.date())
    # The VTIMEZONE of Europe/Warsaw (present even in an empty calendar, which
    # still declares X-WR-TIMEZONE), with transitions only for the years used.
    today = timezone.localdate()
    first = datetime.date(min(starts, default=today).year - 1, 1, 1)
    last = datetime.date(max(starts, default=today).year + 2, 1, 1)
    calendar.add_component(Timezone.from_tzid(str(tz), first_date=first, last_date=last))
    return calendar


def ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_calendar(request, pk: int):
    meeting = meetings_with_sessions(public_pages(MeetingPage, request).filter(pk=pk)).first()
    if meeting is None:
        raise Http404
    return ics_response(build_calendar(request, [meeting], meeting.title), f"meeting-{pk}.ics")


def programme_calendar(request, slug: str):
    programme = programme_or_404(request, slug)
    meetings = meetings_with_sessions(public_pages(MeetingPage, request).descendant_of(programme))
    return ics_response(build_calendar(request, meetings, programme.title), f"{slug}.ics")


def city_calendar(request):
    since = timezone.now() - datetime.timedelta(days=CITY_CALENDAR_PAST_DAYS)
    meetings = meetings_with_sessions(
        public_pages(MeetingPage, request).filter(last_session_end__gte=since)
    )
    site = Site.find_for_request(request)
    name = (site.site_name if site else "") or request.get_host()
    return ics_response(build_calendar(request, meetings, name), "calendar.ics")


# --- RSS and Atom ------------------------------------------------------------


class ProgrammeNewsFeed(Feed):
    """The programme's news, newest first (RSS 2.0)."""

    def get_object(self, request, slug):
        self.request = request
        return programme_or_404(request, slug)

    def title(self, programme):
        return _("%(programme)s: news") % {"programme": programme.title}

    def link(self, programme):
        return programme.get_full_url(self.request)

    def description(self, programme):
        return programme.summary

    def items(self, programme):
        return (
            public_pages(NewsPage, self.request)
            .descendant_of(programme)
            .order_by("-date", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, news):
        return news.title

    def item_description(self, news):
        return news.intro

    def item_link(self, news):
        return news.get_full_url(self.request)

    def item_pubdate(self, news):
        return timezone.make_aware(datetime.datetime.combine(news.date, datetime.time(12)))

    def item_updateddate(self, news):
        return news.last_published_at


class ProgrammeNewsAtomFeed(ProgrammeNewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, programme):
        return programme.summary


class ProgrammeDocumentsFeed(Feed):
    """The programme's documents, newest publication first, each as an enclosure."""

    def get_object(self, request, slug):
        self.request = request
        return programme_or_404(request, slug)

    def title(self, programme):
        return _("%(programme)s: documents") % {"programme": programme.title}

    def link(self, programme):
        return programme.get_full_url(self.request)

    def description(self, programme):
        return programme.summary

    def items(self, programme):
        return ProgrammeDocument.objects.filter(programme=programme).order_by(
            F("publication_date").desc(nulls_last=True), "-pk"
        )[:FEED_ITEMS]

    def item_title(self, document):
        return document.title

    def item_description(self, document):
        return strip_tags(document.description) or document.get_kind_display()

    def item_link(self, document):
        return self.request.build_absolute_uri(document.url)

    def item_guid(self, document):
        return f"document-{document.pk}@{self.request.get_host().split(':')[0]}"

    item_guid_is_permalink = False

    def item_pubdate(self, document):
        if document.publication_date:
            return timezone.make_aware(
                datetime.datetime.combine(document.publication_date, datetime.time(12))
            )
        return document.created_at

    def item_enclosure_url(self, document):
        return self.request.build_absolute_uri(document.url)

    def item_enclosure_length(self, document):
        return document.file_size or 0

    def item_enclosure_mime_type(self, document):
        return document.mime_type or "application/octet-stream"


class ProgrammeDocumentsAtomFeed(ProgrammeDocumentsFeed):
    feed_type = Atom1Feed

    def subtitle(self, programme):
        return programme.summary


def _per_request(feed_class):
    """A fresh Feed per request: our feeds keep the request on the instance."""

    def view(request, **kwargs):
        return feed_class()(request, **kwargs)

    return view


urlpatterns = [
    path("calendar.ics", city_calendar, name="city_calendar"),
    path("meetings/<int:pk>.ics", meeting_calendar, name="meeting_calendar"),
    path("programmes/<str:slug>/calendar.ics", programme_calendar, name="programme_calendar"),
    path(
        "programmes/<str:slug>/news.rss", _per_request(ProgrammeNewsFeed), name="programme_news_rss"
    ),
    path(
        "programmes/<str:slug>/news.atom",
        _per_request(ProgrammeNewsAtomFeed),
        name="programme_news_atom",
    ),
    path(
        "programmes/<str:slug>/documents.rss",
        _per_request(ProgrammeDocumentsFeed),
        name="programme_documents_rss",
    ),
    path(
        "programmes/<str:slug>/documents.atom",
        _per_request(ProgrammeDocumentsAtomFeed),
        name="programme_documents_atom",
    ),
]


def feeds_for_page(page, request=None) -> dict:
    """Feed URLs relevant to a page, for <link rel="alternate"> and visible links."""
    from django.urls import NoReverseMatch, reverse

    def url(name, *args):
        try:
            return reverse(f"{app_name}:{name}", args=args)
        except NoReverseMatch:  # feeds not mounted in this project
            return None

    feeds = {"city_calendar": url("city_calendar")}
    specific = getattr(page, "specific_deferred", page) if page is not None else None
    if isinstance(specific, ProgrammePage):
        programme = specific
    else:
        programme = getattr(specific, "programme", None)
    if programme is not None:
        slug = programme.slug
        feeds.update(
            programme_title=programme.title,
            programme_calendar=url("programme_calendar", slug),
            news_rss=url("programme_news_rss", slug),
            news_atom=url("programme_news_atom", slug),
            documents_rss=url("programme_documents_rss", slug),
            documents_atom=url("programme_documents_atom", slug),
        )
    if isinstance(specific, MeetingPage) and specific.pk:
        feeds["meeting_calendar"] = url("meeting_calendar", specific.pk)
    return feeds
