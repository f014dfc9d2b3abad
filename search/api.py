"""GET /api/v1/search/: the search service as JSON (mounted by cms/api.py).

On a city's domain it searches that city; on the platform domain all active
cities (or those named with ``city``), each result labelled with its city.
Bad parameters are a 400 with the API's error shape, an unreachable search
backend a 503; never a 500 for anything a client can send.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from wagtail.coreutils import get_supported_content_language_variant

from .es import SearchUnavailable
from .items import KIND_LABELS
from .query import (
    ALL_LANGUAGES,
    MAX_PER_PAGE,
    MAX_RESULTS,
    PAGE_ID_MAX,
    SearchError,
    language_codes,
    language_filter,
    search,
)

try:  # the API's per-IP limits (programmes/api/throttling.py), when present
    from programmes.api.throttling import SearchRateThrottle
except ImportError:  # pragma: no cover - the plugin without its API
    SearchRateThrottle = None


SEARCH_MAX_AGE = 10


class ServiceUnavailable(APIException):
    status_code = 503
    default_detail = _("Search is temporarily unavailable. Please try again in a few minutes.")
    default_code = "search_unavailable"


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        help_text="What to look for: any inflected form, with or without Polish letters.",
    )
    kind = serializers.ChoiceField(
        choices=list(KIND_LABELS), required=False, help_text="Only results of this type."
    )
    year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, help_text="Only results dated this year."
    )
    programme = serializers.IntegerField(
        min_value=1,
        max_value=PAGE_ID_MAX,
        required=False,
        help_text="Only results of this programme (its page id).",
    )
    language = serializers.ChoiceField(
        choices=[*language_codes(), ALL_LANGUAGES],
        required=False,
        help_text="Only results in this language; `all`: every language. "
        "Default: the language of `locale`, else the city's default language (pl).",
    )
    locale = serializers.ChoiceField(
        choices=language_codes(),
        required=False,
        help_text="The language the client shows (as `?locale=` of the page endpoints): "
        "the default of `language`, and English query analysis for `en`.",
    )
    city = serializers.ListField(
        child=serializers.SlugField(max_length=30),
        required=False,
        max_length=100,
        help_text="Platform domain only: limit to these cities (repeat the parameter). "
        "Ignored on a city's domain, which only ever searches that city.",
    )
    page = serializers.IntegerField(min_value=1, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=MAX_PER_PAGE, default=10)

    def validate(self, attrs):
        if attrs["page"] * attrs["per_page"] > MAX_RESULTS:
            raise ValidationError(
                {"page": [_("Results are only available up to number %(n)s.") % {"n": MAX_RESULTS}]}
            )
        return attrs


class ProgrammeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class CityRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="Path on the city's site; absolute in cross-city search.")
    full_url = serializers.CharField(help_text="Absolute URL.")
    type = serializers.ChoiceField(choices=["page", "document"])
    kind = serializers.ChoiceField(choices=list(KIND_LABELS))
    subkind = serializers.CharField(
        help_text="Meeting kind or document kind, e.g. workshop, report."
    )
    kind_label = serializers.CharField(help_text="Human label, e.g. 'Spotkanie · Warsztat'.")
    date = serializers.DateField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    language = serializers.CharField()
    programme = ProgrammeRefSerializer(allow_null=True)
    file_type = serializers.CharField(help_text="Documents: file extension, e.g. pdf.")
    file_size = serializers.IntegerField(allow_null=True, help_text="Documents: bytes.")
    snippet = serializers.CharField(
        help_text="HTML: the matching passage, every match in <mark>, everything else escaped."
    )
    city = CityRefSerializer(required=False, help_text="Cross-city search only.")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="Value to pass back as the filter parameter.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    kind = FacetValueSerializer(many=True, required=False)
    year = FacetValueSerializer(many=True, required=False)
    programme = FacetValueSerializer(many=True, required=False)
    language = FacetValueSerializer(many=True, required=False)
    city = FacetValueSerializer(many=True, required=False, help_text="Cross-city search only.")


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = SearchResultSerializer(many=True)
    facets = FacetsSerializer()
    did_you_mean = serializers.CharField(
        allow_null=True, help_text="When nothing matched: a spelling that finds something."
    )
    cross_city = serializers.BooleanField()


logger = logging.getLogger(__name__)


def default_language() -> str:
    """The default language of a city's content: Polish, the default and fallback."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _throttles():
    classes = list(api_settings.DEFAULT_THROTTLE_CLASSES)
    if SearchRateThrottle is not None:
        classes.append(SearchRateThrottle)
    return classes


class SearchView(APIView):
    """Full-text search with facets, highlights and pagination."""

    authentication_classes: list = []
    throttle_classes = _throttles()

    @extend_schema(
        operation_id="search",
        tags=["search"],
        summary="Search pages and documents",
        description=(
            "Searches the city's published pages and documents (including the text "
            "inside PDF/DOCX/ODT files). Polish is matched by lemma (any inflection), "
            "without diacritics and with typos. Results are in one language: `language` "
            "if given, else the language of `locale`, else the city's default language "
            "(Polish); `language=all` searches every language (the `language` facet "
            "counts the results of the language searched). On the platform domain, "
            "searches all cities and labels each result with its city."
        ),
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(description="Invalid parameters (error.details per field)."),
            429: OpenApiResponse(description="Too many requests."),
            503: OpenApiResponse(description="The search backend is unreachable."),
        },
        examples=[
            OpenApiExample(
                "Inflected query without diacritics",
                value={"q": "warsztatow palac slubow"},
                request_only=True,
            )
        ],
    )
    def get(self, request):
        data = {key: request.query_params.get(key) for key in request.query_params}
        if "city" in request.query_params:
            data["city"] = request.query_params.getlist("city")
        params = SearchQuerySerializer(data=data)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        on_platform = getattr(connection, "schema_name", "public") == "public"
        locale = values.get("locale")
        language = language_filter(values.get("language"), locale or default_language())
        try:
            results = search(
                values["q"],
                kind=values.get("kind"),
                year=values.get("year"),
                programme=values.get("programme"),
                language=language,
                page=values["page"],
                per_page=values["per_page"],
                cities=values.get("city") if on_platform else None,
                ui_language=locale or language or get_language(),
            )
        except SearchError as error:
            raise ValidationError({"page": [str(error)]}) from error
        except SearchUnavailable as error:
            raise ServiceUnavailable() from error
        except Exception as error:
            # Never a 500 from the API: an unexpected backend failure is logged
            # and answered as "search unavailable".
            logger.exception("Search failed unexpectedly")
            raise ServiceUnavailable() from error
        payload = results.as_dict()
        for rows in payload["facets"].values():
            for row in rows:
                row["value"] = str(row["value"])
        # The payload already has the documented shape (SearchResponseSerializer,
        # checked by the tests): no second serialisation pass per request.
        response = Response(payload)
        # Fresh within seconds of the worker indexing a change; no ETag (see
        # PROGRAMMES_API_CACHE_EXCLUDE in settings).
        response["Cache-Control"] = f"public, max-age={SEARCH_MAX_AGE}"
        return response
