"""Wagtail API v2 endpoints (pages, images, documents) of the plugin.

Differences from stock Wagtail, each for a frontend developer's sake:
- StreamFields are typed JSON with documents and images expanded to objects
  (download URL, size; rendition URLs, alt text) instead of bare ids;
  snippets and documents on pages are expanded too, through
  ``APIField(..., serializer=...)`` in models.py.
- Child relations and the objects they point at are prefetched, so a detail
  costs a fixed number of queries instead of one per session, person, venue.
- ``?locale=`` with an unknown language is a 400, and every error has the one
  JSON shape of programmes.api.errors.
- JSON only (no browsable HTML renderer): one representation per URL, which
  keeps ETags simple.
"""

from __future__ import annotations

import copy

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import relations, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView
from wagtail import fields as wagtail_fields
from wagtail.api import APIField
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError, get_object_detail_url
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page

from .errors import BadRequest
from .fields import ImageSerializer, StreamFieldSerializer
from .hooks import meeting_places_bulk
from .scope import public_pages
from .serializers import _PLACEHOLDER_ID, _memo, page_url
from .translations import TranslationSerializer, page_translations, translations_for

#: Foreign keys of expanded objects that their serializers read.
NESTED_RELATIONS = {
    "programmes.person": ["photo"],
    "programmes.programmedocument": ["programme"],
}


def api_relation_lookups(model, field_names=None) -> list[str]:
    """prefetch_related lookups covering the relations a page's API fields read."""
    lookups: list[str] = []
    for api_field in getattr(model, "api_fields", ()):
        name = api_field.name if isinstance(api_field, APIField) else api_field
        if field_names is not None and name not in field_names:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.is_relation:
            continue
        lookups.append(name)
        target = field.related_model
        if field.one_to_many:
            # A child relation (orderable): its own foreign keys too.
            for child_name in api_relation_lookups(target):
                lookups.append(f"{name}__{child_name}")
        else:
            for nested in NESTED_RELATIONS.get(target._meta.label_lower, []):
                lookups.append(f"{name}__{nested}")
    return lookups


def prefetch_api_relations(instances, field_names=None) -> None:
    """Prefetch per model: a listing may mix page types."""
    by_model: dict[type, list] = {}
    for instance in instances:
        by_model.setdefault(type(instance), []).append(instance)
    for model, objects in by_model.items():
        lookups = api_relation_lookups(model, field_names)
        if lookups:
            prefetch_related_objects(objects, *lookups)


class MemoizedFieldsMixin:
    """Build a serializer class's fields once per process, then copy them.

    DRF's ModelSerializer introspects the model on every instantiation (one
    per request, and one per child relation of a page); the result depends
    only on the class, which programmes.api.v2 caches per field selection.
    """

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_prototype_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._prototype_fields = prototype
        return copy.deepcopy(prototype)


_page_models: dict = {}


def page_model_for(content_type_id: int):
    """The page class of a content type, remembered per process (and schema).

    ContentType's own cache is emptied whenever django-tenants switches the
    tenant, i.e. on every request; content type ids never change for a model.
    Keyed by schema too, for projects whose cities have their own
    content-type tables.
    """
    key = (getattr(connection, "schema_name", None), content_type_id)
    model = _page_models.get(key)
    if model is None:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        _page_models[key] = model
    return model


class ParentField(relations.RelatedField):
    """The "parent" meta field, as Wagtail's, in one query instead of three."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        if not instance.path or instance.depth <= 1:
            return None
        parent_path = instance.path[: -Page.steplen]
        return self.context["base_queryset"].filter(path=parent_path).first()

    def to_representation(self, parent):
        model = page_model_for(parent.content_type_id)
        name = f"{model._meta.app_label}.{model.__name__}"
        self.context["view"].seen_types[name] = model
        detail_url = get_object_detail_url(
            self.context["router"], self.context["request"], model, parent.pk
        )
        return {
            "id": parent.pk,
            "meta": {
                "type": name,
                "detail_url": detail_url,
                "html_url": page_url(self.context, parent),
            },
            "title": parent.title,
        }


class PageTypeField(serializers.Field):
    """The "type" meta field, as Wagtail's, without a content-type query per request."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        model = page_model_for(page.content_type_id) if page.content_type_id else type(page)
        if model is None:
            return None
        name = f"{model._meta.app_label}.{model.__name__}"
        self.context["view"].seen_types[name] = model
        return name


def v2_translation_api_url(context):
    """Builds the v2 detail URL of a translation (reversed once per request)."""
    request, router = context.get("request"), context.get("router")
    if request is None or router is None:
        return None

    def template():
        return get_object_detail_url(router, request, Page, _PLACEHOLDER_ID)

    def api_url(pk, slug, code):
        url = _memo(context, ("url", "v2-page-detail"), template)
        return url.replace(str(_PLACEHOLDER_ID), str(pk)) if url else None

    return api_url


class TranslationsField(serializers.Field):
    """The "translations" meta field: the page's live, public translations.

    A listing hands them over for all its items (one query, see
    ``PagesEndpoint.listing_view``); a detail looks up its own.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        if not page.pk:
            return []  # an unsaved draft (preview) has no translations yet
        if "translation_api_url" not in self.context:
            self.context["translation_api_url"] = v2_translation_api_url(self.context)
        return translations_for(page, self.context)


extend_schema_field(TranslationSerializer(many=True))(TranslationsField)


class PageHtmlUrlField(serializers.Field):
    """The "html_url" meta field, as Wagtail's, with the site roots read once per request.

    Wagtail's (``page.full_url``) reads them from the cache for every page: a
    network round trip each with a shared cache, twenty per listing.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return page_url(self.context, page) if page.url_path else None


class DialogPageSerializer(MemoizedFieldsMixin, PageSerializer):
    serializer_field_mapping = PageSerializer.serializer_field_mapping.copy()
    serializer_field_mapping[wagtail_fields.StreamField] = StreamFieldSerializer
    type = PageTypeField()
    html_url = PageHtmlUrlField()
    parent = ParentField()
    translations = TranslationsField()


def _memoized(serializer_class):
    """The class (and its child relations' classes) with memoised fields."""
    children = {
        name: _memoized(child)
        for name, child in getattr(serializer_class, "child_serializer_classes", {}).items()
    }
    attrs = {"child_serializer_classes": children}
    if not issubclass(serializer_class, MemoizedFieldsMixin):
        return type(serializer_class.__name__, (MemoizedFieldsMixin, serializer_class), attrs)
    serializer_class.child_serializer_classes = children
    return serializer_class


class StrictLocaleFilter:
    """?locale=<language code>: only that language's pages; unknown codes are a 400."""

    def filter_queryset(self, request, queryset, view):
        code = request.GET.get("locale")
        if code is None:
            return queryset
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            raise BadRequestError(f"unknown locale: {code}")
        filtered_by_child_of = getattr(queryset, "_filtered_by_child_of", None)
        queryset = queryset.filter(locale=locale)
        if filtered_by_child_of:
            queryset._filtered_by_child_of = filtered_by_child_of
        return queryset


class ErrorShapeMixin:
    """Wagtail's endpoints answer errors as {"message": ...}; ours use one shape."""

    renderer_classes = [JSONRenderer]

    def get_renderer_context(self):
        # Compact JSON: Wagtail indents by 4 spaces, a third of the bytes.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            exc = BadRequest(str(exc))
        elif isinstance(exc, Http404):
            from rest_framework.exceptions import NotFound

            exc = NotFound()
        # Skip BaseAPIViewSet.handle_exception: DRF's path calls EXCEPTION_HANDLER.
        return APIView.handle_exception(self, exc)


class PagesEndpoint(ErrorShapeMixin, PagesAPIViewSet):
    base_serializer_class = DialogPageSerializer
    # Every page, listed or in detail, says which translations exist
    # (?fields=-translations leaves them out).
    meta_fields = PagesAPIViewSet.meta_fields + ["translations"]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["translations"]
    filter_backends = [
        FieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        StrictLocaleFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]

    #: Serializer classes per (model, ?fields=, detail or listing). Wagtail
    #: builds a new class for every request; the class and its fields depend
    #: only on the key. Bounded: arbitrary ?fields= values cannot grow it.
    _serializer_classes: dict = {}
    _serializer_classes_max = 512

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        key = (id(router), model, repr(fields_config), show_details, nested)
        serializer_class = cls._serializer_classes.get(key)
        if serializer_class is None:
            serializer_class = _memoized(
                super()._get_serializer_class(
                    router, model, fields_config, show_details=show_details, nested=nested
                )
            )
            if len(cls._serializer_classes) >= cls._serializer_classes_max:
                cls._serializer_classes.clear()
            cls._serializer_classes[key] = serializer_class
        return serializer_class

    def get_base_queryset(self):
        # Wagtail evaluates it up to three times per request (listing, filters,
        # serializer context), each time re-reading the site, its trees and the
        # view restrictions; programmes.api.scope remembers those per content
        # version.
        if not hasattr(self, "_base_queryset"):
            try:
                self._base_queryset = public_pages(self.request)
            except ValueError as error:  # ?site= matching several sites, or malformed
                raise BadRequestError(str(error)) from error
        return self._base_queryset

    def get_queryset(self):
        # Every item shows its locale: one join instead of one query per item.
        return super().get_queryset().select_related("locale")

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        page = list(self.paginate_queryset(queryset))
        serializer_class = self.get_serializer_class()
        fields = set(serializer_class.Meta.fields)
        prefetch_api_relations(page, fields)
        context = self.get_serializer_context()
        if "sessions" in fields:
            # Places of every listed meeting's sessions in one call (None: not
            # tracked), in the context key the session fields read.
            meetings = [item for item in page if hasattr(item, "sessions")]
            context["places"] = dict.fromkeys(item.pk for item in meetings)
            context["places"].update(meeting_places_bulk(meetings))
        if "translations" in fields:
            # The translations of every listed page in one query.
            context["translation_api_url"] = v2_translation_api_url(context)
            context["translations"] = page_translations(
                page, context, context["translation_api_url"]
            )
        serializer = serializer_class(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            if "search" in self.request.GET:
                page = super().get_object()
            else:
                # The type first (honouring every filter of the base queryset),
                # then the specific page with its locale: two queries where
                # Wagtail takes four (page, content type, specific page, locale).
                queryset = self.filter_queryset(self.get_queryset())
                content_type_id = (
                    queryset.filter(pk=self.kwargs["pk"])
                    .values_list("content_type_id", flat=True)
                    .first()
                )
                if content_type_id is None:
                    raise Http404
                model = page_model_for(content_type_id)
                page = model._default_manager.select_related("locale").get(pk=self.kwargs["pk"])
            prefetch_api_relations([page])
            self._cached_object = page
        return self._cached_object


class ImageRenditionsField(serializers.Field):
    """Rendition URLs of an image (thumbnail, medium, large) in the images endpoint."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, image):
        return ImageSerializer(image, context=self.context).data["renditions"]


class ImageAltField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, image):
        return image.default_alt_text


class ImagesEndpoint(ErrorShapeMixin, ImagesAPIViewSet):
    body_fields = ImagesAPIViewSet.body_fields + [
        APIField("alt", serializer=ImageAltField()),
        APIField("renditions", serializer=ImageRenditionsField()),
    ]
    listing_default_fields = ImagesAPIViewSet.listing_default_fields + ["alt", "renditions"]


class DocumentsEndpoint(ErrorShapeMixin, DocumentsAPIViewSet):
    body_fields = DocumentsAPIViewSet.body_fields + [
        "kind",
        "description",
        "publication_date",
        "language",
        "programme",
        "file_size",
        "file_extension",
        "mime_type",
        "page_count",
        "checksum",
        "created_at",
    ]
    listing_default_fields = DocumentsAPIViewSet.listing_default_fields + [
        "kind",
        "publication_date",
        "language",
        "file_size",
        "file_extension",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("programme")


def register_endpoints(router) -> None:
    router.register_endpoint("pages", PagesEndpoint)
    router.register_endpoint("images", ImagesEndpoint)
    router.register_endpoint("documents", DocumentsEndpoint)


def page_representation(request, router, page) -> dict:
    """A page (e.g. an unsaved draft) as the v2 detail endpoint shows it."""
    view = PagesEndpoint()
    view.request = request
    view.action = "detail_view"
    view.args, view.kwargs = (), {}
    view.format_kwarg = None
    request.wagtailapi_router = router
    # A page never saved has no id and no place in the tree yet: no detail
    # URL, no public URL, no parent.
    unsaved = [(name, True, None) for name in ("detail_url", "html_url", "parent")]
    fields_config = [] if page.pk and page.path else unsaved
    serializer_class = PagesEndpoint._get_serializer_class(
        router, type(page), fields_config, show_details=True
    )
    context = {
        "request": request,
        "view": view,
        "router": router,
        "base_queryset": view.get_base_queryset(),
    }
    return serializer_class(page, context=context).data


__all__ = [
    "DocumentsEndpoint",
    "ImagesEndpoint",
    "PagesEndpoint",
    "page_representation",
    "register_endpoints",
]
