"""Settings of the plugin, and the hooks a host project plugs in.

The plugin knows nothing about tenants. Background tasks must run "in the
same site" as the request that queued them, so the host project may provide a
*task context*: a JSON-serialisable value captured when a task is queued and
re-entered by the worker. In a multi-city project that is the schema name
(see tenants/task_context.py); in a plain Wagtail site it is None.
"""

from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.utils.module_loading import import_string

UPLOAD_MAX_BYTES = 50 * 1024 * 1024


def upload_max_bytes() -> int:
    return getattr(settings, "DIALOG_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)


def _hooks():
    path = getattr(settings, "PROGRAMMES_TASK_CONTEXT", None)
    return import_string(path) if path else None


def current_task_context():
    hooks = _hooks()
    return hooks.capture() if hooks else None


@contextmanager
def task_context(value):
    hooks = _hooks()
    manager = hooks.enter(value) if hooks else nullcontext()
    with manager:
        yield
