"""The task backend of the multi-city project.

One database queue serves every city. The project's own tasks (text
extraction, search indexing, registration e-mails) carry the city they belong
to and enter it in the worker (programmes.conf.task_context). Third-party
tasks do not: Wagtail's reference index, admin search index, renditions and
file deletions run in "the" database, which in a worker process is the public
schema, where the city's tables do not exist (they failed with "relation does
not exist"), and a deletion would resolve the wrong city's storage. Those run
at once, in the schema of the request or command that triggered them, which is
what a Wagtail site without a task queue does.
"""

from __future__ import annotations

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

#: Modules whose tasks know their city and go through the durable queue.
CITY_AWARE_TASK_MODULES = ("programmes.", "search.", "tenants.", "cms.")


def is_city_aware(task) -> bool:
    return task.module_path.startswith(CITY_AWARE_TASK_MODULES)


class CityQueueBackend(DatabaseBackend):
    """The django-tasks-db queue for city-aware tasks; the rest run inline."""

    def __init__(self, alias: str, params: dict):
        super().__init__(alias, params)
        self.inline = ImmediateBackend(alias, params)

    def enqueue(self, task, args, kwargs):
        if is_city_aware(task):
            return super().enqueue(task, args, kwargs)
        return self.inline.enqueue(task, args, kwargs)

    async def aenqueue(self, task, args, kwargs):
        if is_city_aware(task):
            return await super().aenqueue(task, args, kwargs)
        return await self.inline.aenqueue(task, args, kwargs)
