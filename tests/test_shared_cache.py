"""The shared cache of production (Redis, cms.cache) with a real Redis server.

`make test` starts a project-local Redis (infra/dev/redis.sh) and names it in
DIALOG_TEST_REDIS_URL. Each gunicorn worker is a process of its own; a second
cache backend instance (its own connection pool) stands for another worker.
"""

from __future__ import annotations

import logging
import os
import time

import pytest
import redis
from _api_content import build_content
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from cms.cache import ResilientRedisCache
from programmes.api.caching import VERSION_KEY, ContentVersion, content_version

HOST = "warszawa.localhost"
REDIS_URL = os.environ.get("DIALOG_TEST_REDIS_URL", "redis://127.0.0.1:63799/0")


def _caches(location):
    """As cms.settings.base configures CACHE_URL=redis://…"""
    keys = {
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
    return {
        "default": {"BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": location, **keys},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **keys},
    }


def shared_cache(location=REDIS_URL, **settings_):
    return override_settings(
        CACHES=_caches(location), PROGRAMMES_API_LOCAL_CACHE="local", **settings_
    )


@pytest.fixture
def redis_server():
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"no Redis at {REDIS_URL} (make services starts one): {error}")
    server.flushdb()
    yield server
    server.flushdb()


@pytest.fixture
def content(city):
    return build_content()


def get(client, url, **headers):
    return client.get(url, HTTP_HOST=HOST, **headers)


def _other_worker():
    return ResilientRedisCache(REDIS_URL, _caches(REDIS_URL)["default"])


@pytest.mark.django_db
def test_api_answers_are_shared_through_redis_and_end_with_a_publication(
    client, content, redis_server
):
    url = f"/api/v2/pages/{content.workshop.pk}/"
    with shared_cache(PROGRAMMES_API_RESPONSE_CACHE=60):
        first = get(client, url)
        assert first.status_code == 200
        keys = [key.decode() for key in redis_server.keys("*programmes:api:response:*")]
        # Stored in Redis, under the city's schema (cities never share keys).
        assert keys and all(key.startswith("warszawa:") for key in keys), keys

        with CaptureQueriesContext(connection) as queries:
            second = get(client, url)
        assert second.content == first.content and second["ETag"] == first["ETag"]
        statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
        assert len(statements) <= 1, statements  # the domain lookup only

        # Another worker sees the same content version, and a publication here
        # changes it in the shared cache at once (not after its 30 s TTL, as
        # with a per-process cache; each worker's own copy lives 1 s).
        other = _other_worker()
        with schema_context("warszawa"):
            before = other.get(VERSION_KEY)
            assert before is not None and before == cache.get(VERSION_KEY)
        page = content.workshop
        page.title = "Warsztat po zmianie"
        page.save_revision().publish()
        with schema_context("warszawa"):
            assert other.get(VERSION_KEY).token != before.token
        third = get(client, url)
        assert third.status_code == 200
        assert third.json()["title"] == "Warsztat po zmianie"
        assert third["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_the_rate_limit_is_counted_once_for_all_workers(client, content, redis_server):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "3/min"}
    with (
        shared_cache(),
        override_settings(
            REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        ),
    ):
        statuses = [
            get(client, f"/api/v1/news/?n={n}", REMOTE_ADDR="10.9.8.7").status_code
            for n in range(4)
        ]
        counters = redis_server.keys("warszawa:*throttle:api:10.9.8.7:*")
        assert len(counters) == 1
        assert int(redis_server.get(counters[0])) == 4
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_an_unreachable_cache_is_a_miss_not_an_error(client, content, caplog):
    # Port 1 on loopback: nothing listens, connections are refused at once.
    dead = "redis://127.0.0.1:1/0"
    with shared_cache(dead, PROGRAMMES_API_RESPONSE_CACHE=60):
        with caplog.at_level(logging.WARNING, logger="cms.cache"):
            detail = get(client, f"/api/v2/pages/{content.workshop.pk}/")
            listing = get(client, "/api/v1/meetings/?upcoming=true")
            page = get(client, content.workshop.url)
            revalidated = get(
                client,
                f"/api/v2/pages/{content.workshop.pk}/",
                HTTP_IF_NONE_MATCH=detail["ETag"],
            )
    assert detail.status_code == 200 and detail.json()["id"] == content.workshop.pk
    assert listing.status_code == 200
    assert page.status_code == 200
    # Validators come from the database's fingerprint then: still stable.
    assert revalidated.status_code == 304
    warnings = [r for r in caplog.records if r.name == "cms.cache"]
    assert len(warnings) == 1  # once per minute, not once per request
    assert "cache unavailable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_each_worker_keeps_the_version_one_second(content, redis_server):
    with shared_cache(PROGRAMMES_API_VERSION_LOCAL_TTL=1), schema_context("warszawa"):
        first = content_version()
        # Another worker publishes: the shared version changes.
        _other_worker().set(VERSION_KEY, ContentVersion("elsewhere", first.last_modified), 30)
        assert content_version() == first  # this process's copy, no round trip
        time.sleep(1.2)
        assert content_version().token == "elsewhere"


@pytest.mark.django_db
def test_a_revalidation_touches_no_database_and_city_changes_apply_at_once(
    client, content, redis_server, city
):
    url = f"/api/v2/pages/{content.workshop.pk}/"
    with shared_cache(TENANT_LOOKUP_CACHE="local"):
        etag = get(client, url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = get(client, url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        # The city of the host and the content version are this process's.
        assert [q["sql"] for q in queries.captured_queries] == []

        city.is_active = False
        city.save()
        try:
            assert get(client, url).status_code == 404  # not a second later
        finally:
            city.is_active = True
            city.save()
        assert get(client, url).status_code == 200


def test_one_redis_client_serves_every_operation(redis_server):
    backend = _other_worker()
    backend.set("probe", 1, 30)
    first = backend._cache.get_client("probe")
    assert backend.get("probe") == 1
    assert backend._cache.get_client("probe") is first
