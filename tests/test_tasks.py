"""The task backend: city-aware tasks are queued, Wagtail's own run in the city at once."""

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, ReferenceIndex
from wagtail.tasks import update_reference_index_task

from programmes.tasks import extract_document_text

pytestmark = pytest.mark.django_db


def test_wagtail_tasks_run_inline_in_the_city_schema(city):
    page = Page.objects.filter(depth=2).order_by("path").first().specific
    ReferenceIndex.objects.all().delete()
    before = DBTaskResult.objects.count()

    result = update_reference_index_task.enqueue(
        page._meta.app_label, page._meta.model_name, page.pk
    )

    # It read the home page, a table that exists only in the city's schema.
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert connection.schema_name == city.schema_name
    # Nothing was left in the queue for a worker that has no city to run it in.
    assert DBTaskResult.objects.count() == before


def test_project_tasks_go_to_the_durable_queue(city):
    result = extract_document_text.enqueue({"schema": city.schema_name}, 0)

    assert result.status == TaskResultStatus.READY
    row = DBTaskResult.objects.get(id=result.id)
    assert row.task_path == "programmes.tasks.extract_document_text"
