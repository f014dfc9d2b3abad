"""Serializers of the objects pages point at: people, organisations, venues,
documents and images, expanded to what a frontend needs (names, addresses,
download URLs, sizes, rendition URLs) instead of bare ids.

Shared by the Wagtail API v2 (through ``APIField(..., serializer=...)`` in
models.py and the StreamField representation below) and the domain API
(/api/v1/). This module must not import programmes.models: models.py imports it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

logger = logging.getLogger(__name__)

#: Rendition filter specs of every image in the API; a project may override
#: them with settings.PROGRAMMES_API_RENDITIONS (name -> Wagtail filter spec).
DEFAULT_RENDITIONS = {
    "thumbnail": "fill-400x300",
    "medium": "max-800x800",
    "large": "max-1600x1600",
}


def renditions_spec() -> dict[str, str]:
    return getattr(settings, "PROGRAMMES_API_RENDITIONS", DEFAULT_RENDITIONS)


def absolute_url(context, url: str | None) -> str | None:
    """Absolute URL on the requesting host (frontends live on other hosts)."""
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    request = context.get("request") if context else None
    return request.build_absolute_uri(url) if request is not None else url


def iso_datetime(value) -> str | None:
    """A datetime as DRF's DateTimeField writes it (current time zone, ISO 8601)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso(value) -> str | None:
    """A date or time as ISO 8601 (DRF's DateField / TimeField format)."""
    return None if value is None else value.isoformat()


class FastSerializer(serializers.Serializer):
    """A serializer whose declared fields document the schema, and whose
    ``represent()`` builds the same dict with plain attribute access.

    DRF's generic path (per field: get_attribute, callable inspection,
    to_representation) costs far more than the data; these objects appear in
    every listing. tests/test_api_serializers.py checks both paths agree.
    """

    def to_representation(self, instance):
        return self.represent(instance, self.context)

    @classmethod
    def represent(cls, instance, context) -> dict:
        raise NotImplementedError


class RichTextHTMLField(serializers.Field):
    """Rich text with internal links and embeds expanded to public HTML."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(value) if value else ""


extend_schema_field(OpenApiTypes.STR)(RichTextHTMLField)


class ImageSerializer(FastSerializer):
    """An image with its alt text and rendition URLs (generated once, then stored)."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    alt = serializers.SerializerMethodField()
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    @classmethod
    def represent(cls, image, context) -> dict:
        return {
            "id": image.pk,
            "title": image.title,
            "alt": cls._alt(image),
            "width": image.width,
            "height": image.height,
            "url": cls._url(image, context),
            "renditions": cls._renditions(image, context),
        }

    @staticmethod
    def _alt(image) -> str:
        # ImageBlock sets a per-use alt text; elsewhere the image's own description.
        contextual = getattr(image, "contextual_alt_text", None)
        if contextual is not None:
            return contextual
        return image.default_alt_text

    @staticmethod
    def _url(image, context) -> str | None:
        try:
            return absolute_url(context, image.file.url)
        except ValueError:  # no file attached
            return None

    @extend_schema_field(OpenApiTypes.STR)
    def get_alt(self, image) -> str:
        return self._alt(image)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image) -> str | None:
        return self._url(image, self.context)

    @extend_schema_field(
        {
            "type": "object",
            "description": "Renditions by name (thumbnail, medium, large).",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "url": {"type": "string", "format": "uri"},
                    "width": {"type": "integer"},
                    "height": {"type": "integer"},
                },
                "required": ["url", "width", "height"],
            },
        }
    )
    def get_renditions(self, image) -> dict:
        return self._renditions(image, self.context)

    @staticmethod
    def _renditions(image, context) -> dict:
        specs = renditions_spec()
        try:
            renditions = image.get_renditions(*specs.values())
        except Exception:  # noqa: BLE001 - a broken file must not break the page
            logger.warning("Renditions failed for image %s", image.pk, exc_info=True)
            return {}
        return {
            name: {
                "url": absolute_url(context, renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in specs.items()
            if spec in renditions
        }


class PersonSerializer(FastSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    affiliation = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    phone = serializers.CharField(read_only=True)
    bio = RichTextHTMLField()
    photo = ImageSerializer(read_only=True, allow_null=True)

    @classmethod
    def represent(cls, person, context) -> dict:
        photo = person.photo if person.photo_id else None
        return {
            "id": person.pk,
            "name": person.name,
            "title": person.title,
            "display_name": person.display_name,
            "affiliation": person.affiliation,
            "email": person.email,
            "phone": person.phone,
            "bio": expand_db_html(person.bio) if person.bio else "",
            "photo": ImageSerializer.represent(photo, context) if photo else None,
        }


class OrganisationSerializer(FastSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    address = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)

    @classmethod
    def represent(cls, organisation, context) -> dict:
        return {
            "id": organisation.pk,
            "name": organisation.name,
            "kind": organisation.kind,
            "kind_label": str(organisation.get_kind_display()),
            "address": organisation.address,
            "email": organisation.email,
            "phone": organisation.phone,
            "website": organisation.website,
        }


class VenueSerializer(FastSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    full_address = serializers.CharField(read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    step_free_access = serializers.BooleanField(read_only=True)
    accessibility_notes = serializers.CharField(read_only=True)

    @classmethod
    def represent(cls, venue, context) -> dict:
        return {
            "id": venue.pk,
            "name": venue.name,
            "address": venue.address,
            "postcode": venue.postcode,
            "city": venue.city,
            "full_address": venue.full_address,
            "latitude": None if venue.latitude is None else float(venue.latitude),
            "longitude": None if venue.longitude is None else float(venue.longitude),
            "step_free_access": venue.step_free_access,
            "accessibility_notes": venue.accessibility_notes,
        }


# --- Places of a session (API v2; counted by the registration app, see hooks.py) ---


def v2_session_places(context, session) -> dict:
    """The places provider's counts for a session: {} when not tracked or unsaved.

    As in /api/v1/, ``context["places"]`` holds the provider's answer per
    meeting: a listing fills it for all its meetings in one call
    (v2.PagesEndpoint.listing_view); otherwise each meeting is asked once.
    """
    from .hooks import meeting_places_bulk, session_places

    if context is None or not session.pk or not session.page_id:
        return {}
    places = context.setdefault("places", {})
    if session.page_id not in places:
        places[session.page_id] = meeting_places_bulk([session.page]).get(session.page_id)
    return session_places(context, session)


@extend_schema_field(OpenApiTypes.INT)
class SessionRemainingPlacesField(serializers.Field):
    """Places still open to registration; null when not tracked or unlimited."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, session):
        return v2_session_places(self.context, session).get("remaining")


@extend_schema_field(OpenApiTypes.BOOL)
class SessionWaitingListField(serializers.Field):
    """The session is full and new registrations go to its waiting list."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, session):
        return bool(v2_session_places(self.context, session).get("waiting_list_open"))


class PageRefSerializer(serializers.Serializer):
    """A short reference to a page: enough to link to it."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class DocumentSerializer(FastSerializer):
    """A programme document with its download URL and file facts."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    description = serializers.CharField(read_only=True)
    publication_date = serializers.DateField(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True, allow_null=True)
    language = serializers.CharField(read_only=True)
    programme = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    file_name = serializers.CharField(source="filename", read_only=True)
    file_extension = serializers.CharField(source="extension", read_only=True)
    file_size = serializers.IntegerField(read_only=True, allow_null=True)
    mime_type = serializers.CharField(read_only=True)
    page_count = serializers.IntegerField(read_only=True, allow_null=True)
    checksum = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @classmethod
    def represent(cls, document, context) -> dict:
        return {
            "id": document.pk,
            "title": document.title,
            "kind": document.kind,
            "kind_label": str(document.get_kind_display()),
            "description": document.description,
            "publication_date": iso(document.publication_date),
            "year": document.year,
            "language": document.language,
            "programme": cls._programme(document),
            "download_url": absolute_url(context, document.url),
            "file_name": document.filename,
            "file_extension": document.extension,
            "file_size": document.file_size,
            "mime_type": document.mime_type,
            "page_count": document.page_count,
            "checksum": document.checksum,
            "created_at": iso_datetime(document.created_at),
        }

    @staticmethod
    def _programme(document):
        if not document.programme_id:
            return None
        # Reuse a programme the caller already loaded (select_related / prefetch).
        programme = document.programme
        return {"id": programme.pk, "slug": programme.slug, "title": programme.title}

    @extend_schema_field(PageRefSerializer(allow_null=True))
    def get_programme(self, document):
        return self._programme(document)

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        return absolute_url(self.context, document.url)


# --- StreamField ---------------------------------------------------------------


def stream_representation(stream_value, context) -> list:
    """A StreamField as typed JSON: [{"type", "id", "value"}], with documents
    and images expanded to objects (Wagtail's default gives their ids only)."""
    if stream_value is None:
        return []
    return [
        {
            "type": child.block.name,
            "id": child.id,
            "value": _block_value(child.block, child.value, context),
        }
        for child in stream_value
    ]


def _block_value(block, value, context):
    from wagtail import blocks
    from wagtail.documents.blocks import DocumentChooserBlock
    from wagtail.images.blocks import ImageBlock, ImageChooserBlock

    if value is None:
        return None
    if isinstance(block, ImageBlock):
        data = ImageSerializer.represent(value, context)
        data["decorative"] = bool(getattr(value, "decorative", False))
        return data
    if isinstance(block, ImageChooserBlock):
        return ImageSerializer.represent(value, context)
    if isinstance(block, DocumentChooserBlock):
        return DocumentSerializer.represent(value, context)
    if isinstance(block, blocks.StreamBlock):
        return stream_representation(value, context)
    if isinstance(block, blocks.StructBlock):
        return {
            name: _block_value(child_block, value.get(name), context)
            for name, child_block in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [_block_value(block.child_block, item, context) for item in value]
    return block.get_api_representation(value, context=context)


STREAM_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "description": "Block type, e.g. heading, paragraph."},
            "id": {"type": "string"},
            "value": {"description": "Block value; documents and images are objects."},
        },
        "required": ["type", "id", "value"],
    },
}


@extend_schema_field(STREAM_SCHEMA)
class StreamFieldSerializer(serializers.Field):
    """DRF field for StreamFields: typed blocks with expanded documents and images."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return stream_representation(value, self.context)


__all__ = [
    "DocumentSerializer",
    "ImageSerializer",
    "OrganisationSerializer",
    "PageRefSerializer",
    "PersonSerializer",
    "RichTextHTMLField",
    "StreamFieldSerializer",
    "VenueSerializer",
    "stream_representation",
]
