"""Keeping each city's search index in line with its database.

The path of a change (publish, unpublish, delete, move, privacy, upload):

1. a signal handler (search/signals.py) calls ``schedule(keys)``: it writes
   ``PendingUpdate`` rows in the city's schema *inside the editor's
   transaction* and, on commit, enqueues ``process_pending_updates`` with
   the city's schema on the ``search`` queue. It never raises: publishing
   must work whatever state the search backend or the queue is in;
2. the worker runs ``process_pending()`` in the city's schema: it takes the
   city's indexing lock, reads the pending keys, resolves each to its
   *current* item (or to a removal: unpublished, private, deleted) and
   applies them to the backend in bulk, then deletes the rows;
3. if the backend is unreachable the rows stay and the task re-enqueues
   itself with exponential backoff (search/tasks.py). After the last attempt
   the rows still stay: the next change, ``search_status --drain`` or a
   reindex picks them up. Nothing is lost; ``search_status`` and the health
   probe show how many updates wait and for how long.

Because a key is resolved when it is applied, not when it was queued, order
does not matter and duplicates are harmless.

``reindex()`` rebuilds a city's index from scratch (new index, alias swap;
see search/documents.py) under the same lock, so no update is applied to an
index that is about to be replaced; updates that arrive meanwhile wait and
are applied to the new index.
"""

from __future__ import annotations

import datetime
import logging
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import items as items_module
from .backends import get_backend
from .items import build_items, item_for_key  # noqa: F401 - public API of this module
from .models import PendingUpdate

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7301  # first key of pg advisory locks taken by search indexing
BATCH = 500
# A key refused this many times (bad data, not an outage) is left aside, still
# visible in search_status, until a reindex or a fix.
MAX_ITEM_ATTEMPTS = 10
MAX_DESCENDANTS = 5_000


def current_schema() -> str:
    return getattr(connection, "schema_name", "public") or "public"


def is_city_schema(schema: str | None) -> bool:
    template = getattr(settings, "DIALOG_TEMPLATE_SCHEMA", "dialog_template")
    return bool(schema) and schema not in ("public", template)


def schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [schema])
        return cursor.fetchone() is not None


def _lock_key(schema: str) -> int:
    return zlib.crc32(schema.encode()) & 0x7FFFFFFF


# --- 1. Scheduling (signal handlers) ----------------------------------------------


def schedule(keys) -> None:
    """Remember that these items changed; index them after the transaction commits.

    Never raises: a search problem must not stop an editor from publishing.
    """
    keys = list(dict.fromkeys(k for k in keys if k))
    if not keys:
        return
    try:
        schema = current_schema()
        if not is_city_schema(schema):
            return
        # A savepoint, so a failure here cannot poison the editor's transaction.
        with transaction.atomic():
            PendingUpdate.objects.bulk_create([PendingUpdate(key=key) for key in keys])
        transaction.on_commit(lambda: _enqueue_quietly(schema))
    except Exception:  # noqa: BLE001 - see docstring
        logger.exception("search: could not record %d pending updates", len(keys))


def _enqueue_quietly(schema: str) -> None:
    try:
        enqueue_processing(schema)
    except Exception:  # noqa: BLE001 - the rows are saved; a later run picks them up
        logger.exception("search: could not enqueue indexing for %s", schema)


def enqueue_processing(
    schema: str, *, delay: float | None = None, attempt: int = 1, force: bool = False
) -> bool:
    """Queue one processing task for the city unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import process_pending_updates

    if not force:
        waiting = DBTaskResult.objects.filter(
            task_path=process_pending_updates.module_path,
            status="READY",
            args_kwargs__args__0=schema,
        )
        if waiting.exists():
            return False
    task = process_pending_updates
    if delay:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    task.enqueue(schema, attempt=attempt)
    return True


def retry_delay(attempt: int) -> float:
    base = getattr(settings, "SEARCH_RETRY_BASE_DELAY", 5)
    ceiling = getattr(settings, "SEARCH_RETRY_MAX_DELAY", 300)
    return float(min(ceiling, base * 2 ** max(0, attempt - 1)))


# --- 2. Processing (the worker) -----------------------------------------------------


@dataclass
class ProcessResult:
    applied: int = 0
    failed: int = 0
    busy: bool = False


def process_pending(schema: str | None = None, limit: int = BATCH) -> ProcessResult:
    """Apply the city's pending updates; raise when the backend is unreachable."""
    schema = schema or current_schema()
    backend = get_backend()
    result = ProcessResult()
    while True:
        ids: list[int] = []
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_try_advisory_xact_lock(%s, %s)",
                        [LOCK_NAMESPACE, _lock_key(schema)],
                    )
                    if not cursor.fetchone()[0]:
                        result.busy = True
                        return result
                rows = list(
                    PendingUpdate.objects.select_for_update(skip_locked=True)
                    .filter(attempts__lt=MAX_ITEM_ATTEMPTS)
                    .order_by("id")[:limit]
                )
                if not rows:
                    return result
                ids = [row.id for row in rows]
                keys = list(dict.fromkeys(row.key for row in rows))
                upserts, deletes, failed = _resolve(keys)
                failed.update(backend.apply(schema, upserts, deletes))
                ok_ids = [row.id for row in rows if row.key not in failed]
                PendingUpdate.objects.filter(id__in=ok_ids).delete()
                for row in rows:
                    if row.key in failed:
                        PendingUpdate.objects.filter(id=row.id).update(
                            attempts=row.attempts + 1, last_error=failed[row.key][:500]
                        )
                        logger.warning("search: %s not indexed: %s", row.key, failed[row.key])
                result.applied += len(ok_ids)
                result.failed += len({row.key for row in rows if row.key in failed})
        except Exception as error:
            if ids:
                # Outside the rolled-back transaction: say why they still wait.
                PendingUpdate.objects.filter(id__in=ids).update(
                    last_error=f"{error.__class__.__name__}: {error}"[:500]
                )
            raise


def _resolve(keys: list[str]) -> tuple[list[dict], list[str], dict[str, str]]:
    ctx = items_module.BuildContext()
    upserts, deletes, failed = [], [], {}
    for key in keys:
        try:
            item = item_for_key(key, ctx)
        except Exception as error:  # noqa: BLE001 - one bad page must not block the rest
            logger.exception("search: cannot build %s", key)
            failed[key] = f"{error.__class__.__name__}: {error}"
            continue
        if item is None:
            deletes.append(key)
        else:
            upserts.append(item)
    return upserts, deletes, failed


def pending_count(schema: str | None = None) -> int:
    if schema and schema != current_schema():
        from django_tenants.utils import schema_context

        with schema_context(schema):
            return PendingUpdate.objects.count()
    return PendingUpdate.objects.count()


# --- Direct operations (reindex, tests, benchmarks) ------------------------------------


def index_item(item: dict, schema: str | None = None) -> None:
    get_backend().apply(schema or current_schema(), [item], [])


def remove_item(key: str, schema: str | None = None) -> None:
    get_backend().apply(schema or current_schema(), [], [key])


def apply_keys(keys: list[str], schema: str | None = None) -> dict[str, str]:
    """Resolve and apply keys right now, without the queue."""
    upserts, deletes, failed = _resolve(list(dict.fromkeys(keys)))
    failed.update(get_backend().apply(schema or current_schema(), upserts, deletes))
    return failed


def reindex(schema: str | None = None, *, on_before_swap=None, items=None) -> int:
    """Rebuild the city's index from the database; the old one serves until the swap."""
    schema = schema or current_schema()
    from django_tenants.utils import schema_context

    with schema_context(schema):
        # Rows committed now describe changes the rebuild will read; rows
        # committed later (whatever their id) are applied after the swap.
        covered = list(PendingUpdate.objects.values_list("id", flat=True))
        with connection.cursor() as cursor:
            # Session lock: waits for a running process_pending of this city,
            # and keeps new ones away until the new index is in place.
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(schema)])
        try:
            count = get_backend().rebuild(
                schema, items if items is not None else build_items(), on_before_swap
            )
            PendingUpdate.objects.filter(id__in=covered).delete()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, _lock_key(schema)]
                )
    logger.info("search: reindexed %s (%d items)", schema, count)
    return count


def drop_city(schema: str) -> None:
    get_backend().drop(schema)


def city_schemas(slugs: list[str] | None = None) -> list[str]:
    """Schemas of active cities (the project layer knows about cities)."""
    from tenants.models import City

    cities = City.objects.filter(is_active=True).exclude(schema_name="public")
    if slugs:
        cities = cities.filter(slug__in=slugs)
    return list(cities.order_by("schema_name").values_list("schema_name", flat=True))
