"""Query filters of the domain API, with strict validation.

Every filter value is validated by a form field: an unknown ``kind``, a
malformed date or a non-numeric year is a 400 with the field's error in
``details``, never an empty 200 that hides a typo and never a 5xx.
Dates are calendar days in the site's time zone (TIME_ZONE, Europe/Warsaw).
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from ..documents import ProgrammeDocument
from ..models import MeetingPage, NewsPage, ProgrammePage

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_day_start(day: datetime.date) -> datetime.datetime | None:
    """Start of the following day; None past the last representable day."""
    try:
        return day_start(day + datetime.timedelta(days=1))
    except OverflowError:
        return None


def programme_paths_q(slug: str) -> Q | None:
    """Tree paths of the programmes with this slug, as a path-prefix filter."""
    paths = ProgrammePage.objects.filter(slug=slug).values_list("path", flat=True)
    condition = None
    for path in paths:
        condition = (
            Q(path__startswith=path) if condition is None else condition | Q(path__startswith=path)
        )
    return condition


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class ProgrammeSlugFilterMixin(filters.FilterSet):
    programme = filters.CharFilter(
        method="filter_programme",
        max_length=255,
        help_text="Slug of a programme: only its pages (at any depth below it).",
    )

    def filter_programme(self, queryset, name, value):
        condition = programme_paths_q(value)
        return queryset.none() if condition is None else queryset.filter(condition)


class ProgrammeFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=ProgrammePage.STATUS_CHOICES, help_text="Where the programme stands."
    )

    class Meta:
        model = ProgrammePage
        fields = ["status"]


class MeetingFilter(ProgrammeSlugFilterMixin):
    kind = filters.ChoiceFilter(choices=MeetingPage.KIND_CHOICES, help_text="Kind of meeting.")
    status = filters.ChoiceFilter(
        choices=MeetingPage.STATUS_CHOICES, help_text="planned, cancelled or held."
    )
    to = filters.DateFilter(
        method="filter_to", help_text="Meetings starting on or before this day (YYYY-MM-DD)."
    )
    upcoming = filters.TypedChoiceFilter(
        choices=BOOLEAN_CHOICES,
        coerce=lambda value: value == "true",
        method="filter_upcoming",
        help_text="true: meetings not yet over (cancelled ones included, with their status); "
        "false: meetings already over.",
    )

    class Meta:
        model = MeetingPage
        fields: list[str] = []  # all declared above (and "from" below)

    def filter_from(self, queryset, name, value):
        return queryset.filter(last_session_end__gte=day_start(value))

    def filter_to(self, queryset, name, value):
        end = next_day_start(value)
        return queryset if end is None else queryset.filter(first_session_start__lt=end)

    @extend_schema_field({"type": "string", "enum": ["true", "false"]})
    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        if value:
            return queryset.filter(last_session_end__gte=now)
        return queryset.filter(last_session_end__lt=now)


class NewsFilter(ProgrammeSlugFilterMixin):
    to = filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Up to this day.")

    class Meta:
        model = NewsPage
        fields: list[str] = []


class DocumentFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(
        choices=ProgrammeDocument.KIND_CHOICES, help_text="Kind of document."
    )
    year = YearFilter(
        field_name="publication_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2999,
        help_text="Year of publication.",
    )
    programme = filters.CharFilter(
        field_name="programme__slug", max_length=255, help_text="Slug of a programme."
    )
    language = filters.CharFilter(max_length=10, help_text="Language code, e.g. pl.")

    class Meta:
        model = ProgrammeDocument
        fields = ["kind", "year", "programme", "language"]


# "from" is a Python keyword: these filters are added after the class bodies.
MeetingFilter.base_filters["from"] = filters.DateFilter(
    method="filter_from", help_text="Meetings ending on or after this day (YYYY-MM-DD)."
)
NewsFilter.base_filters["from"] = filters.DateFilter(
    field_name="date", lookup_expr="gte", help_text="From this day on (YYYY-MM-DD)."
)
