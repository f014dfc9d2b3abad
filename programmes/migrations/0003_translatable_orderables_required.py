"""Inline rows become translatable, step 2 of 2: required and unique (see 0002)."""

import uuid

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


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_translatable_orderables"),
    ]

    operations = [
        op
        for name in MODELS
        for op in (
            migrations.AlterField(
                model_name=name,
                name="translation_key",
                field=models.UUIDField(default=uuid.uuid4, editable=False),
            ),
            migrations.AlterField(
                model_name=name,
                name="locale",
                field=models.ForeignKey(
                    editable=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="wagtailcore.locale",
                    verbose_name="locale",
                ),
            ),
            migrations.AlterUniqueTogether(
                name=name,
                unique_together={("translation_key", "locale")},
            ),
        )
    ]
