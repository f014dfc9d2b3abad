"""Health probe of the durable task queue (settings.DIALOG_HEALTH_PROBES, shown by /healthz).

The queue is one table in the public schema (django-tasks-db) shared by every
city. A load balancer only needs the database check; these figures are for
monitoring: a growing ``oldest_ready_seconds`` means no worker is running.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone


def probe_queue() -> dict:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.filter(status="READY").filter(
        # Tasks scheduled for later are not late.
        run_after__isnull=True
    ) | DBTaskResult.objects.filter(status="READY", run_after__lte=now)
    per_queue = dict(
        ready.values_list("queue_name").annotate(n=Count("id")).values_list("queue_name", "n")
    )
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    failed = DBTaskResult.objects.filter(
        status="FAILED", finished_at__gte=now - timedelta(hours=1)
    ).count()
    return {
        "ok": True,
        "ready": sum(per_queue.values()),
        "ready_by_queue": per_queue,
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "failed_last_hour": failed,
        "oldest_ready_seconds": round((now - oldest).total_seconds()) if oldest else 0,
    }
