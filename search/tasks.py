"""Background tasks of search (django-tasks, queue ``search``; one worker serves all cities).

Each task carries the city's schema (programmes.conf.current_task_context())
and runs inside it. django-tasks has no retry of its own, so the task
re-enqueues itself with a growing ``run_after`` delay while the backend is
unreachable, up to SEARCH_RETRY_MAX_ATTEMPTS; the pending rows themselves
are never dropped (search/indexing.py).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from programmes.conf import task_context

from . import es, indexing

logger = logging.getLogger(__name__)

BUSY_DELAY = 5


@task(queue_name="search")
def process_pending_updates(context, attempt: int = 1) -> str:
    """Apply a city's pending search updates; retry with backoff when the backend is down."""
    schema = context
    if not indexing.is_city_schema(schema) or not indexing.schema_exists(schema):
        return "no such city"
    with task_context(context):
        try:
            result = indexing.process_pending(schema)
        except Exception as error:
            transient = es.is_transient(error)
            if not transient:
                logger.exception("search: indexing %s failed", schema)
            max_attempts = getattr(settings, "SEARCH_RETRY_MAX_ATTEMPTS", 30)
            if attempt < max_attempts:
                delay = indexing.retry_delay(attempt)
                indexing.enqueue_processing(schema, delay=delay, attempt=attempt + 1, force=True)
                return f"{error.__class__.__name__}; retry {attempt + 1} in {delay:.0f} s"
            logger.error(
                "search: gave up on %s after %d attempts; %d updates stay pending",
                schema,
                attempt,
                indexing.pending_count(),
            )
            return f"{error.__class__.__name__}; gave up, updates stay pending"
        if result.busy:
            # Another worker or a reindex holds the city's lock: come back later.
            indexing.enqueue_processing(schema, delay=BUSY_DELAY)
            return "busy; retry later"
        return f"applied {result.applied}, failed {result.failed}"
