"""The available translations of pages, for both APIs (``translations`` on every page).

A page's translations are the live, public pages sharing its
``translation_key`` in other locales (wagtail-localize keeps the key when it
creates a translation). A listing looks them up for all its items in one
query (plus Wagtail's one query for view restrictions), not one per item.
Each entry: ``{"locale", "id", "title", "url", "api_url"}``, in the order of
``WAGTAIL_CONTENT_LANGUAGES`` (Polish first in this project).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.models import Page

#: Builds the API URL of a translation from (id, slug, language code).
ApiUrl = Callable[[int, str, str], "str | None"]


class TranslationSerializer(serializers.Serializer):
    """One available translation of a page (documentation of the shape)."""

    locale = serializers.CharField(read_only=True, help_text="Language code, e.g. en.")
    id = serializers.IntegerField(read_only=True, help_text="Page id of the translation.")
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="Public HTML page of the translation.")
    api_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The translation in this API."
    )


TRANSLATIONS_HELP = (
    "Live, public translations of this page in other languages (not the page itself); "
    "empty when the page is not translated."
)


def _language_order() -> dict[str, int]:
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    return {code: index for index, (code, _name) in enumerate(languages)}


def page_translations(
    pages: Iterable[Page], context: dict, api_url: ApiUrl | None = None
) -> dict[int, list[dict]]:
    """{page pk: [translation, ...]} for ``pages``, in one query for all of them."""
    from .serializers import page_url  # serializers imports this module

    pages = [page for page in pages if getattr(page, "translation_key", None)]
    if not pages:
        return {}
    from .scope import public

    rows = (
        public(Page.objects.live())
        .filter(translation_key__in={page.translation_key for page in pages})
        .order_by()
        .values_list("pk", "translation_key", "title", "slug", "url_path", "locale__language_code")
    )
    order = _language_order()
    by_key: dict = {}
    for pk, key, title, slug, url_path, code in rows:
        url = page_url(context, SimpleNamespace(url_path=url_path))
        if url is None:
            continue  # not under any site: nothing a reader could open
        by_key.setdefault(key, []).append(
            {
                "locale": code,
                "id": pk,
                "title": title,
                "url": url,
                "api_url": api_url(pk, slug, code) if api_url else None,
            }
        )
    for entries in by_key.values():
        entries.sort(key=lambda entry: (order.get(entry["locale"], len(order)), entry["locale"]))
    return {
        page.pk: [entry for entry in by_key.get(page.translation_key, []) if entry["id"] != page.pk]
        for page in pages
    }


def translations_for(page, context) -> list[dict]:
    """The translations of one page: precomputed by the view, else looked up now."""
    precomputed = context.get("translations")
    if precomputed is not None and page.pk in precomputed:
        return precomputed[page.pk]
    found = page_translations([page], context, context.get("translation_api_url"))
    return found.get(page.pk, [])


def translations_schema_field(method):
    """Document a ``get_translations`` method as a list of translations."""
    return extend_schema_field(TranslationSerializer(many=True))(method)


__all__ = [
    "TRANSLATIONS_HELP",
    "TranslationSerializer",
    "page_translations",
    "translations_for",
    "translations_schema_field",
]
