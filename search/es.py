"""The Elasticsearch client, and which of its errors are worth a retry."""

from __future__ import annotations

import threading

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import ConnectionTimeout as ESConnectionTimeout

_lock = threading.Lock()
_clients: dict[tuple, Elasticsearch] = {}

# Statuses that mean "the cluster is there but cannot take this right now".
TRANSIENT_STATUSES = {408, 429, 502, 503, 504}


class SearchUnavailable(Exception):
    """The search backend cannot be reached (or is overloaded); try again later."""


def url() -> str:
    return getattr(settings, "ELASTICSEARCH_URL", "") or "http://127.0.0.1:9201"


def client(*, timeout: float | None = None) -> Elasticsearch:
    """A shared client per (URL, timeout); the client is thread-safe.

    Few transport retries: the durable queue does the real retrying, and a web
    request must fail fast when the cluster is down.
    """
    timeout = timeout or getattr(settings, "SEARCH_REQUEST_TIMEOUT", 10)
    key = (url(), timeout)
    with _lock:
        instance = _clients.get(key)
        if instance is None:
            instance = Elasticsearch(
                url(),
                request_timeout=timeout,
                max_retries=1,
                retry_on_timeout=False,
            )
            _clients[key] = instance
    return instance


def is_transient(error: BaseException) -> bool:
    if isinstance(error, ESConnectionError | ESConnectionTimeout | SearchUnavailable):
        return True
    return isinstance(error, ApiError) and error.meta.status in TRANSIENT_STATUSES
