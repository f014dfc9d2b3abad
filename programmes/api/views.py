"""Views of the domain API (/api/v1/): read-only, public, live pages only.

Every page endpoint is scoped to the requesting Site (the city in a
multi-city project) and to one language tree: ``?locale=<code>`` picks a
translation tree, default the site's own language; an unknown code is a 400.
Only live pages without view restrictions are listed; drafts are reachable
only through the token-protected preview endpoint.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import F, Prefetch, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import get_restricted_collection_ids
from wagtail.models import Locale, Page

from ..documents import ProgrammeDocument
from ..models import (
    MeetingPage,
    MeetingPageDocument,
    MeetingPageFacilitator,
    MeetingPageSession,
    NewsPage,
    ProgrammePage,
    ProgrammePagePartner,
)
from ..snippets import Venue
from . import filters, serializers
from .errors import ErrorSerializer
from .hooks import meeting_places_bulk
from .scope import public, site_for_request, site_trees
from .serializers import url_for
from .translations import page_translations

LOCALE_PARAMETER = OpenApiParameter(
    "locale",
    OpenApiTypes.STR,
    description="Language code of a translation tree (e.g. en); default: the site's language. "
    "Unknown codes are a 400.",
)


class ApiPagination(LimitOffsetPagination):
    """limit/offset with a total ``count``; limits above 100 are clamped to 100."""

    default_limit = 20
    max_limit = 100


def programme_refs(pages) -> dict[int, dict]:
    """{page pk: {id, slug, title} of its programme} in one query for all pages."""
    steplen = Page.steplen
    prefixes = {
        page.path[:end] for page in pages for end in range(steplen, len(page.path), steplen)
    }
    if not prefixes:
        return {}
    programmes = {
        path: {"id": pk, "slug": slug, "title": title}
        for pk, slug, title, path in ProgrammePage.objects.filter(path__in=prefixes).values_list(
            "pk", "slug", "title", "path"
        )
    }
    refs = {}
    for page in pages:
        for end in range(len(page.path) - steplen, 0, -steplen):
            ref = programmes.get(page.path[:end])
            if ref:
                refs[page.pk] = ref
                break
    return refs


class SiteScopedMixin:
    """Pages of the requesting site, in one language tree, live and public."""

    page_model: type[Page] = Page
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.locale_code = None
        self.tree_root = None
        site = site_for_request(request)
        if site is None:
            return
        trees = site_trees(site)
        root = trees[0]
        code = request.query_params.get("locale")
        if code is None:
            self.tree_root = root
            return
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            raise exceptions.ValidationError({"locale": [_("Unknown language: %s") % code[:20]]})
        self.locale_code = locale.language_code
        translation.activate(locale.language_code)
        self.tree_root = next(
            (tree for tree in trees if tree.locale_id == locale.pk), None
        ) or root.get_translation_or_none(locale)

    def base_queryset(self):
        # No tree_root while drf-spectacular inspects the view (no request).
        if getattr(self, "tree_root", None) is None:
            return self.page_model.objects.none()
        return (
            public(self.page_model.objects.live())
            .descendant_of(self.tree_root, inclusive=True)
            .select_related("locale")
        )

    #: The v1 detail route of the pages listed, and the attribute it looks them up by.
    detail_route: str = ""
    detail_lookup: str = "pk"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["locale_code"] = self.locale_code
        context["now"] = timezone.now()
        context["translation_api_url"] = self.translation_api_url(context)
        return context

    def translation_api_url(self, context):
        """The API URL of a translation: the detail route with its ``?locale=``."""
        if not self.detail_route:
            return None
        route, by_slug = self.detail_route, self.detail_lookup == "slug"

        def api_url(pk, slug, code):
            return url_for(context, route, slug if by_slug else pk) + f"?locale={code}"

        return api_url


class PageListMixin:
    """Serialize a page of results with per-page lookups done once."""

    def enrich_context(self, pages, context) -> None:
        context["programmes"] = programme_refs(pages)
        self.add_translations(pages, context)

    def add_translations(self, pages, context) -> None:
        # One query for the translations of every page listed (not one per item).
        context["translations"] = page_translations(
            pages, context, context.get("translation_api_url")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        pages = list(self.paginate_queryset(queryset))
        context = self.get_serializer_context()
        self.enrich_context(pages, context)
        serializer = self.get_serializer_class()(pages, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        page = self.get_object()
        context = self.get_serializer_context()
        self.enrich_context([page], context)
        return Response(self.get_serializer_class()(page, context=context).data)


@extend_schema_view(
    list=extend_schema(
        summary="Programmes of the site",
        description="Live programmes, newest first, with their current phase.",
        parameters=[LOCALE_PARAMETER],
    ),
    retrieve=extend_schema(
        summary="One programme by slug",
        description="Phases (with the current one), partners, contacts, goals, feeds.",
        parameters=[LOCALE_PARAMETER],
    ),
)
class ProgrammeViewSet(SiteScopedMixin, PageListMixin, viewsets.ReadOnlyModelViewSet):
    page_model = ProgrammePage
    detail_route = "programmes_api:programme-detail"
    detail_lookup = "slug"
    filterset_class = filters.ProgrammeFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]{1,255}"
    queryset = ProgrammePage.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return (
            self.base_queryset()
            .select_related("lead_organisation", "coordinator__photo")
            .prefetch_related("phases")
            .order_by(F("start_date").desc(nulls_last=True), "path")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProgrammeDetailSerializer
        return serializers.ProgrammeListSerializer

    def enrich_context(self, pages, context):
        self.add_translations(pages, context)

    def get_object(self):
        programme = self.get_queryset().filter(slug=self.kwargs["slug"]).order_by("path").first()
        if programme is None:
            raise exceptions.NotFound()
        prefetch_related_objects(
            [programme],
            Prefetch(
                "partners",
                queryset=ProgrammePagePartner.objects.select_related("organisation"),
            ),
        )
        return programme


SESSION_COLUMNS = (
    "id",
    "page_id",
    "label",
    "start",
    "end",
    "room",
    "online_url",
    "capacity",
    "reserved_places",
)
VENUE_COLUMNS = (
    "name",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "step_free_access",
    "accessibility_notes",
)


class _Row(SimpleNamespace):
    """A session or venue read as plain values (what the serializers read)."""


def attach_sessions(meetings) -> None:
    """Sessions and venues of a page of meetings in one query, without model objects.

    A prefetch builds a model instance per session and per venue; for a
    listing that is most of the request's CPU. The serializers read the same
    attributes from these rows (tests/test_api_serializers.py checks it).
    """
    ids = [meeting.pk for meeting in meetings]
    columns = SESSION_COLUMNS + ("venue_id",) + tuple(f"venue__{name}" for name in VENUE_COLUMNS)
    by_meeting: dict[int, list] = {pk: [] for pk in ids}
    venues: dict[int, _Row] = {}
    rows = (
        MeetingPageSession.objects.filter(page_id__in=ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list(*columns)
    )
    full_address = Venue.full_address.fget
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        venue = None
        if row["venue_id"] is not None:
            venue = venues.get(row["venue_id"])
            if venue is None:
                venue = _Row(pk=row["venue_id"], **{n: row[f"venue__{n}"] for n in VENUE_COLUMNS})
                venue.full_address = full_address(venue)
                venues[venue.pk] = venue
        by_meeting[row["page_id"]].append(
            _Row(
                pk=row["id"],
                venue_id=row["venue_id"],
                venue=venue,
                **{name: row[name] for name in SESSION_COLUMNS[2:]},
            )
        )
    for meeting in meetings:
        meeting._api_sessions = by_meeting[meeting.pk]


def _sessions_prefetch():
    return Prefetch("sessions", queryset=MeetingPageSession.objects.select_related("venue"))


@extend_schema_view(
    list=extend_schema(
        summary="Meetings",
        description="Live meetings (including Open Space sessions) ordered by their first "
        "session, soonest first; meetings without sessions last. Each with its sessions and "
        "venues, accessibility and registration (remaining places when tracked).",
        parameters=[LOCALE_PARAMETER],
    ),
    retrieve=extend_schema(
        summary="One meeting",
        description="Everything in the listing plus description, agenda, facilitators, "
        "outcome (summary and documents) and, for Open Space sessions, their details.",
        parameters=[LOCALE_PARAMETER],
    ),
)
class MeetingViewSet(SiteScopedMixin, PageListMixin, viewsets.ReadOnlyModelViewSet):
    page_model = MeetingPage
    detail_route = "programmes_api:meeting-detail"
    filterset_class = filters.MeetingFilter
    lookup_value_regex = r"[0-9]{1,18}"
    queryset = MeetingPage.objects.none()

    def get_queryset(self):
        return self.base_queryset().order_by(F("first_session_start").asc(nulls_last=True), "pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MeetingDetailSerializer
        return serializers.MeetingListSerializer

    def enrich_context(self, pages, context):
        super().enrich_context(pages, context)
        if self.action == "list":
            attach_sessions(pages)
        context["places"] = meeting_places_bulk(pages)

    def get_object(self):
        meeting = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if meeting is None:
            raise exceptions.NotFound()
        if meeting.specific_class is not MeetingPage:
            meeting = meeting.specific
            prefetch_related_objects([meeting], "topics")
        prefetch_related_objects(
            [meeting],
            _sessions_prefetch(),
            "agenda_items",
            Prefetch(
                "facilitators",
                queryset=MeetingPageFacilitator.objects.select_related("person__photo"),
            ),
            Prefetch(
                "outcome_documents",
                queryset=MeetingPageDocument.objects.select_related("document__programme"),
            ),
        )
        return meeting


@extend_schema_view(
    list=extend_schema(
        summary="News", description="Live news items, newest first.", parameters=[LOCALE_PARAMETER]
    ),
    retrieve=extend_schema(summary="One news item", parameters=[LOCALE_PARAMETER]),
)
class NewsViewSet(SiteScopedMixin, PageListMixin, viewsets.ReadOnlyModelViewSet):
    page_model = NewsPage
    detail_route = "programmes_api:news-detail"
    filterset_class = filters.NewsFilter
    lookup_value_regex = r"[0-9]{1,18}"
    queryset = NewsPage.objects.none()

    def get_queryset(self):
        return self.base_queryset().order_by("-date", "-pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.NewsDetailSerializer
        return serializers.NewsListSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Documents",
        description="Reports, minutes and other documents, newest publication first.",
    ),
    retrieve=extend_schema(summary="One document"),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DocumentSerializer
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.DocumentFilter
    lookup_value_regex = r"[0-9]{1,18}"
    queryset = ProgrammeDocument.objects.none()

    def get_queryset(self):
        return (
            ProgrammeDocument.objects.exclude(
                collection__in=get_restricted_collection_ids(self.request)
            )
            .select_related("programme")
            .order_by(F("publication_date").desc(nulls_last=True), "-pk")
        )


class PreviewView(APIView):
    """The draft behind a headless-preview token, as /api/v2/pages/<id>/ shows pages."""

    @extend_schema(
        summary="Draft preview (headless preview token)",
        description="Called by the frontend with the two parameters the editor's preview "
        "passed to it. Tokens expire after an hour and only work on the site where the "
        "editor created them. Missing or invalid tokens are a 403; an unknown content type "
        "or a token without a stored draft is a 404.",
        parameters=[
            OpenApiParameter("content_type", OpenApiTypes.STR, required=True),
            OpenApiParameter("token", OpenApiTypes.STR, required=True),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="The draft, shaped like /api/v2/pages/<id>/."
            ),
            403: OpenApiResponse(ErrorSerializer, description="Missing, invalid or expired token."),
        },
    )
    def get(self, request):
        from .preview import page_from_token
        from .urls import v2_router

        content_type = request.query_params.get("content_type", "")
        token = request.query_params.get("token", "")
        if not token or not content_type:
            raise exceptions.PermissionDenied(_("A preview token is required."))
        try:
            page = page_from_token(content_type, token)
        except PermissionError as error:
            raise exceptions.PermissionDenied(_("Invalid or expired preview token.")) from error
        except LookupError as error:
            raise exceptions.NotFound() from error
        from .v2 import page_representation

        data = page_representation(request, v2_router, page)
        response = Response(data)
        # A draft: never cached by browsers or proxies, never indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process, URL conf and language.

    Generation walks every view and serializer (~100 ms); the result only
    changes with the code, so it is kept in memory.
    """

    _generated: dict = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        # Developer documentation: English unless ?lang= asks otherwise.
        language = request.GET.get("lang") or "en"
        key = (str(self.urlconf), version, language)
        schema = self._generated.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            with translation.override(language):
                schema = generator.get_schema(request=request, public=self.serve_public)
            self._generated[key] = schema
        return Response(
            data=schema,
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


__all__ = [
    "DocumentViewSet",
    "MeetingViewSet",
    "NewsViewSet",
    "PreviewView",
    "ProgrammeViewSet",
    "SchemaView",
]
