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


class RichTextHTMLField(serializers.Field):
    """Rich text with internal links and embeds expanded to public HTML."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(value) if value else ""


extend_schema_field(OpenApiTypes.STR)(RichTextHTMLField)


class ImageSerializer(serializers.Serializer):
    """An image with its alt text and rendition URLs (generated once, then stored)."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    alt = serializers.SerializerMethodField()
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_alt(self, image) -> str:
        # ImageBlock sets a per-use alt text; elsewhere the image's own description.
        contextual = getattr(image, "contextual_alt_text", None)
        if contextual is not None:
            return contextual
        return image.default_alt_text

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image) -> str | None:
        try:
            return absolute_url(self.context, image.file.url)
        except ValueError:  # no file attached
            return None

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
        specs = renditions_spec()
        try:
            renditions = image.get_renditions(*specs.values())
        except Exception:  # noqa: BLE001 - a broken file must not break the page
            logger.warning("Renditions failed for image %s", image.pk, exc_info=True)
            return {}
        return {
            name: {
                "url": absolute_url(self.context, renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in specs.items()
            if spec in renditions
        }


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    affiliation = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    phone = serializers.CharField(read_only=True)
    bio = RichTextHTMLField()
    photo = ImageSerializer(read_only=True, allow_null=True)


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    address = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)


class VenueSerializer(serializers.Serializer):
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


class PageRefSerializer(serializers.Serializer):
    """A short reference to a page: enough to link to it."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class DocumentSerializer(serializers.Serializer):
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

    @extend_schema_field(PageRefSerializer(allow_null=True))
    def get_programme(self, document):
        if not document.programme_id:
            return None
        # Reuse a programme the caller already loaded (select_related / prefetch).
        programme = document.programme
        return {"id": programme.pk, "slug": programme.slug, "title": programme.title}

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
        data = ImageSerializer(value, context=context).data
        data["decorative"] = bool(getattr(value, "decorative", False))
        return data
    if isinstance(block, ImageChooserBlock):
        return ImageSerializer(value, context=context).data
    if isinstance(block, DocumentChooserBlock):
        return DocumentSerializer(value, context=context).data
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
