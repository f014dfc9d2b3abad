"""Health probe of search (settings.DIALOG_HEALTH_PROBES, shown by /healthz)."""

from __future__ import annotations

from django.db import connection

from . import es
from .backends import backend_name


def queue_depth() -> int:
    """Search tasks waiting in the shared queue (all cities)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(queue_name="search", status="READY").count()


def probe_search() -> dict:
    """Backend reachable? How many tasks wait, and (on a city) how many updates?"""
    name = backend_name()
    status: dict = {"backend": name, "queue": queue_depth()}
    if name == "elasticsearch":
        try:
            health = es.client(timeout=2).cluster.health(timeout="1s")
            status["ok"] = health["status"] in ("green", "yellow")
            status["cluster"] = health["status"]
        except Exception as error:  # noqa: BLE001 - the probe reports, never raises
            status["ok"] = False
            status["error"] = error.__class__.__name__
    else:
        status["ok"] = True
    schema = getattr(connection, "schema_name", "public")
    if schema != "public":
        from .models import PendingUpdate

        status["pending_updates"] = PendingUpdate.objects.count()
    return status
