"""Template helpers of the public pages: dates people read, file labels, breadcrumbs.

Dates follow the active language's Django formats, so Polish gets genitive
month names from Django's own locale ("13 marca 2018", format letter ``E``)
and the time is joined the way Polish notices write it: "13 marca 2018,
godz. 17:00". English falls back to Django's English formats.
"""

from __future__ import annotations

import datetime
import re

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()

# Labels for the content types ProgrammeDocument accepts (decided by sniffing).
FILE_TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.presentation": "ODP",
    "text/plain": "TXT",
    "text/csv": "CSV",
}

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_BRAND = "#0b5394"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def human_date(value) -> str:
    """``13 marca 2018`` (the active language's DATE_FORMAT)."""
    if not value:
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return date_format(value, "DATE_FORMAT")


@register.filter
def human_time(value) -> str:
    """``17:00`` (the active language's TIME_FORMAT)."""
    if not value:
        return ""
    return time_format(_local(value), "TIME_FORMAT")


@register.filter
def human_datetime(value) -> str:
    """``13 marca 2018, godz. 17:00``."""
    if not value:
        return ""
    value = _local(value)
    # Translators: a date followed by a time, e.g. "13 marca 2018, godz. 17:00".
    return _("%(date)s, at %(time)s") % {
        "date": human_date(value),
        "time": human_time(value),
    }


@register.simple_tag
def time_range(start, end=None) -> str:
    """A session's span: one day ``13 marca 2018, godz. 17:00–20:00``; else both ends."""
    if not start:
        return ""
    if not end:
        return human_datetime(start)
    start, end = _local(start), _local(end)
    if start.date() == end.date():
        return _("%(date)s, at %(time)s") % {
            "date": human_date(start),
            "time": f"{human_time(start)}–{human_time(end)}",
        }
    return f"{human_datetime(start)} – {human_datetime(end)}"


@register.simple_tag
def time_range_html(start, end=None):
    """``time_range`` marked up with a ``<time>`` element for each end."""
    if not start:
        return ""
    start = _local(start)
    start_html = format_html('<time datetime="{}">{}</time>', iso(start), human_datetime(start))
    if not end:
        return start_html
    end = _local(end)
    if start.date() == end.date():
        return format_html(
            '{}–<time datetime="{}">{}</time>', start_html, iso(end), human_time(end)
        )
    return format_html(
        '{} – <time datetime="{}">{}</time>', start_html, iso(end), human_datetime(end)
    )


@register.simple_tag
def date_range(start, end=None) -> str:
    """``1 kwietnia 2016 – 31 grudnia 2018``; an open end reads "since"."""
    if not start:
        return ""
    if not end:
        return _("since %(date)s") % {"date": human_date(start)}
    if start == end:
        return human_date(start)
    return f"{human_date(start)} – {human_date(end)}"


@register.filter
def iso(value) -> str:
    """Machine-readable value for ``<time datetime>``: local ISO 8601."""
    if not value:
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


@register.filter
def file_type_label(document) -> str:
    """``PDF``, ``DOCX``... from the sniffed type, else the file extension."""
    mime = getattr(document, "mime_type", "") or ""
    if mime in FILE_TYPE_LABELS:
        return FILE_TYPE_LABELS[mime]
    extension = getattr(document, "file_extension", "") or ""
    return extension.upper() or _("file")


@register.filter
def file_size_label(document) -> str:
    """Human file size in the active language (``1,2 MB``); empty when unknown."""
    size = getattr(document, "file_size", None)
    if size is None and isinstance(document, int):
        size = document
    if not size:
        return ""
    return filesizeformat(size)


@register.filter
def document_meta(document) -> str:
    """``PDF, 1,2 MB, 12 str.`` for the line under a document link."""
    parts = [file_type_label(document), file_size_label(document)]
    pages = getattr(document, "page_count", None)
    if pages:
        parts.append(_("%(count)s pp.") % {"count": pages})
    return ", ".join(part for part in parts if part)


@register.filter
def safe_colour(value) -> str:
    """A CSS hex colour, or the default brand colour when the value is not one."""
    value = (value or "").strip()
    return value if _COLOUR.match(value) else DEFAULT_BRAND


@register.filter
def contrast_colour(value) -> str:
    """Black or white, whichever reads better on the given background (WCAG luminance)."""
    value = safe_colour(value).lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with white is (1.05)/(L+0.05), with black (L+0.05)/0.05: pick the larger.
    return "#ffffff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#000000"


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page) -> list[Page]:
    """Ancestors of ``page`` from the site's root page down (page itself excluded)."""
    if page is None or not getattr(page, "pk", None):
        return []
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    ancestors = page.get_ancestors().filter(depth__gt=1)
    if site is not None:
        root = site.root_page
        ancestors = ancestors.filter(depth__gte=root.depth)
    return list(ancestors.specific())


@register.simple_tag
def phase_state(phase, current) -> str:
    """``current``, ``past`` or ``future`` for a phase of the timeline."""
    if current is not None and phase.pk == current.pk:
        return "current"
    today = timezone.localdate()
    if phase.end_date and phase.end_date < today:
        return "past"
    if phase.start_date and phase.start_date > today:
        return "future"
    return "past"


@register.filter
def lines(value) -> list[str]:
    """Non-empty lines of a plain-text field (participant groups and the like)."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


@register.simple_tag(takes_context=True)
def site_title(context) -> str:
    """Name of the Wagtail site serving the request (plain Wagtail has no city)."""
    from django.conf import settings

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return (site and site.site_name) or getattr(settings, "WAGTAIL_SITE_NAME", "") or "Dialog"


@register.filter
def is_past(value) -> bool:
    """True when a date or moment lies before now (deadlines, report due dates)."""
    if not value:
        return False
    if isinstance(value, datetime.datetime):
        return value < timezone.now()
    return value < timezone.localdate()


class OptionalIncludeNode(template.Node):
    def __init__(self, name, fallback):
        self.name = name
        self.fallback = fallback

    def render(self, context):
        name = self.name.resolve(context)
        try:
            included = context.template.engine.get_template(name)
        except template.TemplateDoesNotExist:
            return self.fallback.render(context)
        with context.push():
            return included.render(context)


@register.tag
def optional_include(parser, token):
    """Include a template when some app provides it, else render the fallback inside.

    ``{% optional_include "x.html" %}fallback{% end_optional_include %}``: the
    hook other apps fill (e.g. the registration form) without the plugin
    depending on them.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("optional_include takes one template name")
    fallback = parser.parse(("end_optional_include",))
    parser.delete_first_token()
    return OptionalIncludeNode(parser.compile_filter(bits[1]), fallback)


@register.simple_tag
def members_by_role(page) -> list[tuple[str, list]]:
    """A working group's members grouped by whom they represent, in choice order."""
    members = list(page.members.all())
    groups = []
    for value, label in type(members[0]).ROLE_CHOICES if members else []:
        chosen = [member for member in members if member.role == value]
        if chosen:
            groups.append((label, chosen))
    return groups
