"""Search backends: 'elasticsearch' (production, tests) and 'postgres' (embedded default).

``SEARCH_BACKEND`` picks one; by default Elasticsearch when ELASTICSEARCH_URL
is set, PostgreSQL otherwise. Both take the same items and answer the same
queries with the same result shape (search/query.py).
"""

from __future__ import annotations

from django.conf import settings

from .base import SearchBackend

_instances: dict[str, SearchBackend] = {}

BACKENDS = ("elasticsearch", "postgres")


def backend_name() -> str:
    name = getattr(settings, "SEARCH_BACKEND", "") or (
        "elasticsearch" if getattr(settings, "ELASTICSEARCH_URL", "") else "postgres"
    )
    if name not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {BACKENDS}, not {name!r}")
    return name


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or backend_name()
    instance = _instances.get(name)
    if instance is None:
        if name == "elasticsearch":
            from .elasticsearch import ElasticsearchBackend

            instance = ElasticsearchBackend()
        elif name == "postgres":
            from .postgres import PostgresBackend

            instance = PostgresBackend()
        else:
            raise ValueError(f"unknown search backend {name!r}")
        _instances[name] = instance
    return instance
