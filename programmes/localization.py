"""Translating pages with wagtail-localize outside the admin.

The admin's translation editor is the normal path (an editor translates a page
segment by segment, syncs when the source changes). This module drives the
same machinery from code: creating a city's language root, loading demo
content in English, tests. Pages are submitted with wagtail-localize's
``TranslationCreator`` (so they stay synced translations an editor can keep
working on), segments are filled by a machine translator (any
``BaseMachineTranslator``: the configured one, the dummy one in tests, or
``FixedTranslator`` with known strings), then the target page is saved.
Nothing here knows about cities: the plugin works in a plain Wagtail site.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.strings import StringValue


class FixedTranslator(BaseMachineTranslator):
    """Translates the strings it was given (source text -> target text), leaves the rest."""

    display_name = "Fixed strings"

    def __init__(self, strings: dict[str, str]):
        super().__init__({})
        self.strings = strings

    def translate(self, source_locale, target_locale, strings):
        result = {}
        for string in strings:
            text = self.strings.get(string.data)
            if text is None:
                text = self.strings.get(string.render_text())
            if text is not None:
                # Inline tags keep the ids of the source (<a id="a1">...</a>).
                result[string] = (
                    StringValue.from_translated_html(text)
                    if "<" in text
                    else StringValue.from_plaintext(text)
                )
        return result

    def can_translate(self, source_locale, target_locale):
        return source_locale != target_locale


def _as_locale(locale: Locale | str) -> Locale:
    if isinstance(locale, Locale):
        return locale
    return Locale.objects.get_or_create(language_code=locale)[0]


def source_segments(page: Page) -> list[str]:
    """The translatable strings of a page (as stored by wagtail-localize), in order."""
    source, _created = TranslationSource.get_or_create_from_instance(page.specific)
    return [
        segment.string.data
        for segment in source.stringsegment_set.select_related("string").order_by("order")
    ]


def fill_segments(translation: Translation, translator: BaseMachineTranslator, user=None) -> int:
    """Translate the still untranslated segments of ``translation``; returns how many."""
    segments = defaultdict(list)
    source = translation.source
    for string_segment in source.stringsegment_set.select_related("context", "string"):
        if StringTranslation.objects.filter(
            translation_of_id=string_segment.string_id,
            locale=translation.target_locale,
            context_id=string_segment.context_id,
        ).exists():
            continue
        segment = StringSegmentValue(
            string_segment.context.path, string_segment.string.as_value()
        ).with_order(string_segment.order)
        if string_segment.attrs:
            segment.attrs = json.loads(string_segment.attrs)
        segments[segment.string].append((string_segment.string_id, string_segment.context_id))
    if not segments:
        return 0
    translated = translator.translate(source.locale, translation.target_locale, segments.keys())
    count = 0
    for string, contexts in segments.items():
        value = translated.get(string)
        if value is None or value.data is None:
            continue  # left to the editor; the page falls back to the source text
        for string_id, context_id in contexts:
            StringTranslation.objects.get_or_create(
                translation_of_id=string_id,
                locale=translation.target_locale,
                context_id=context_id,
                defaults={
                    "data": value.data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MACHINE,
                    "tool_name": str(translator.display_name),
                    "last_translated_by": user,
                },
            )
            count += 1
    return count


def translate_pages(
    pages,
    locale: Locale | str,
    translator: BaseMachineTranslator | None = None,
    user=None,
    publish: bool | None = None,
) -> list[Page]:
    """Create (or update) synced translations of ``pages`` in ``locale``.

    Parents come first (pass pages in tree order); a parent without a
    translation is copied as well (wagtail-localize's ``copy_parent_pages``).
    With a translator the untranslated segments are filled before the target
    is saved and published at once (no on-commit callback). ``publish=None``
    follows the source page's live status.
    Returns the translated pages.
    """
    locale = _as_locale(locale)
    result = []
    with transaction.atomic():
        for page in pages:
            page = page.specific
            if page.locale_id == locale.pk:
                result.append(page)
                continue
            # What wagtail-localize's TranslationCreator does, minus its
            # save with untranslated strings (one revision per sync, not two).
            source, created = TranslationSource.get_or_create_from_instance(page)
            if not created:
                source.update_from_db()  # the source may have changed since the last sync
            translation, _created = Translation.objects.update_or_create(
                source=source, target_locale=locale, defaults={"enabled": True}
            )
            if translator is not None:
                fill_segments(translation, translator, user)
            live = page.live if publish is None else publish
            # Saved as a draft and published here, not on commit as
            # wagtail-localize does: its deferred publish saves the page object
            # as it was in memory, which resets the tree's child count of a
            # parent translated in the same transaction (its children vanish).
            translation.save_target(user=user, publish=False)
            target = page.get_translation(locale).specific
            if live:
                target.get_latest_revision().publish(user=user)
                target.refresh_from_db()
            result.append(target)
    return result


def translate_tree(
    root: Page,
    locale: Locale | str,
    translator: BaseMachineTranslator | None = None,
    user=None,
) -> list[Page]:
    """Translate ``root`` and every page below it."""
    pages = [root, *root.get_descendants().order_by("path")]
    return translate_pages(pages, locale, translator=translator, user=user)
