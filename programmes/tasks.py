"""Background tasks of the plugin (django-tasks; the database backend in production)."""

import logging

from django.db import transaction
from django_tasks import task

from .conf import current_task_context, task_context

logger = logging.getLogger(__name__)


@task(queue_name="default")
def extract_document_text(context, document_id: int) -> str:
    """Read the stored file, extract its text and page count, and mark the result."""
    from .documents import ProgrammeDocument
    from .extraction import extract

    with task_context(context):
        document = ProgrammeDocument.objects.filter(pk=document_id).first()
        if document is None:
            return "missing"
        with document.open_file() as handle:
            data = handle.read()
        result = extract(data, document.mime_type or "application/octet-stream")
        ProgrammeDocument.objects.filter(pk=document_id).update(
            extracted_text=result.text,
            page_count=result.page_count,
            extraction_status="done" if result.ok else "not_extractable",
            extraction_error=result.error,
        )
        document.refresh_from_db()
        # Saving again lets other listeners (search indexing) see the text.
        from .signals import document_text_extracted

        document_text_extracted.send(sender=ProgrammeDocument, instance=document)
        return "done" if result.ok else "not_extractable"


def enqueue_extraction(document) -> None:
    context = current_task_context()
    transaction.on_commit(lambda: extract_document_text.enqueue(context, document.pk))
