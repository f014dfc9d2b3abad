"""Structured logs: one JSON object per line, each with the city and the request id.

``RequestIdMiddleware`` gives every request an id (nginx's ``$request_id``
when it sends ``X-Request-ID``, a fresh one otherwise), returns it in the
``X-Request-ID`` response header and keeps it in a context variable.
``ContextFilter`` stamps every log record with that id and with the city
(the active schema: the request's city in the app, the task's city in the
worker), so an error in the logs says which city it happened in.
``JsonFormatter`` writes the record as JSON for the log shipper.

Wired in ``cms/settings/production.py`` (``DJANGO_LOG_FORMAT=json``, the
default there); ``text`` keeps the same fields in a human-readable line.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
import uuid
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Ids we accept from upstream: nginx's $request_id is 32 hex digits; load
# balancers use UUIDs. Anything else is replaced, never logged verbatim.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# LogRecord attributes that are not "extra" fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "city", "request_id"}


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def current_city() -> str:
    """Schema of the current connection, '-' before any is chosen."""
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None) or "-"
    except Exception:  # noqa: BLE001 - logging must never fail (e.g. before setup)
        return "-"


class ContextFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
            if record.request_id == "-":
                # django.request logs 4xx/5xx after the middleware chain has
                # returned (and reset the variable); the request still knows.
                record.request_id = getattr(getattr(record, "request", None), "request_id", "-")
        if not hasattr(record, "city"):
            record.city = current_city()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "city": getattr(record, "city", "-"),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if key == "request":
                # django.request passes the HttpRequest: keep what helps.
                entry["method"] = getattr(value, "method", None)
                entry["path"] = getattr(value, "path", None)
                entry["host"] = value.get_host() if hasattr(value, "get_host") else None
                continue
            entry[key] = (
                value if isinstance(value, str | int | float | bool | None) else repr(value)
            )
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO", fmt: str = "json") -> dict:
    """A LOGGING dict: everything to stderr, with city and request id."""
    formatter = (
        {"()": "cms.logging.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s [%(city)s %(request_id)s] %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "cms.logging.ContextFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers would print 500s a second time (and mail admins).
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # One line per request is gunicorn's and nginx's job.
            "django.server": {"level": "WARNING"},
        },
    }
