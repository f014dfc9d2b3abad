"""Inline rows become translatable (TranslatableMixin): translation_key and locale.

Step 1 of 2: the columns, nullable, and their values for existing rows. A row
takes its page's locale. Rows of pages that are translations of each other
(same page translation_key) are paired by position (sort_order, then id) with
the rows of the original page (the lowest page id of the group: the source
wagtail-localize copied from) and share their translation_key, so the next
sync updates them in place; unpaired rows get a key of their own. Step 2
(0003) makes the columns required and unique per (translation_key, locale):
a separate migration, because PostgreSQL refuses to ALTER a table with
pending deferred foreign-key checks from the UPDATE in the same transaction.
"""

import uuid
from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

MODELS = [
    "programmepagephase",
    "programmepagepartner",
    "meetingpagesession",
    "meetingpageagendaitem",
    "meetingpagefacilitator",
    "openspacesessionpagetopic",
    "expertpanelpagemember",
]


def backfill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("programmes", name)
        rows = list(
            model.objects.values_list(
                "pk", "page_id", "page__translation_key", "page__locale_id", "sort_order"
            )
        )
        if not rows:
            continue
        # page translation_key -> page id -> its rows in order
        groups = defaultdict(lambda: defaultdict(list))
        locales = {}
        for pk, page_id, page_key, locale_id, sort_order in rows:
            groups[page_key][page_id].append((sort_order if sort_order is not None else 0, pk))
            locales[page_id] = locale_id
        updates = []
        for pages in groups.values():
            source_id = min(pages)
            source_keys = []
            for _order, pk in sorted(pages[source_id]):
                key = uuid.uuid4()
                source_keys.append(key)
                updates.append(model(pk=pk, translation_key=key, locale_id=locales[source_id]))
            for page_id, page_rows in pages.items():
                if page_id == source_id:
                    continue
                for index, (_order, pk) in enumerate(sorted(page_rows)):
                    key = source_keys[index] if index < len(source_keys) else uuid.uuid4()
                    updates.append(model(pk=pk, translation_key=key, locale_id=locales[page_id]))
        model.objects.bulk_update(updates, ["translation_key", "locale"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
    ]

    operations = [
        op
        for name in MODELS
        for op in (
            migrations.AddField(
                model_name=name,
                name="translation_key",
                field=models.UUIDField(editable=False, null=True),
            ),
            migrations.AddField(
                model_name=name,
                name="locale",
                field=models.ForeignKey(
                    editable=False,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="wagtailcore.locale",
                    verbose_name="locale",
                ),
            ),
        )
    ] + [migrations.RunPython(backfill, migrations.RunPython.noop)]
