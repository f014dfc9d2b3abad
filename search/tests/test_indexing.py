"""Index lifecycle against the real Elasticsearch: alias swaps, outages, commands, health."""

import io
import subprocess
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from search.analysis import analyse_query
from search.backends.base import Filters
from search.documents import alias_name

from .conftest import es_reachable, refresh, start_local_es


def _count(backend, schema, q="spotkanie"):
    return backend.search(analyse_query(q), [schema], Filters(), offset=0, limit=1).total


@pytest.mark.django_db
def test_reindex_swaps_the_alias_with_no_empty_window(es_backend, warszawa_content, warszawa):
    from search.indexing import build_items, reindex

    schema = warszawa.schema_name
    reindex(schema)
    refresh(schema)
    before = es_backend.indices_of(schema)
    expected = _count(es_backend, schema)
    assert expected >= 2 and len(before) == 1

    seen: list[int] = []
    done = threading.Event()

    def keep_searching():
        while not done.is_set():
            seen.append(_count(es_backend, schema))

    def slow_items():
        # A long reindex: the real items, then filler while readers keep asking.
        yield from build_items()
        for n in range(150):
            time.sleep(0.004)
            yield {
                "key": f"page:{10_000_000 + n}",
                "object_type": "page",
                "object_id": 10_000_000 + n,
                "kind": "page",
                "title": f"Wypełniacz {n}",
                "body": "tekst",
                "language": "pl",
            }

    def before_swap(new_index):
        # The new index is complete but not yet behind the alias: readers still
        # get the old one, in full.
        assert es_backend.indices_of(schema) == before
        assert _count(es_backend, schema) == expected

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        reindex(schema, items=slow_items(), on_before_swap=before_swap)
    finally:
        done.set()
        reader.join()
    after = es_backend.indices_of(schema)
    assert len(after) == 1 and after != before
    assert not es_backend.client.indices.exists(index=before[0])  # old index deleted
    assert len(seen) > 10
    assert min(seen) == expected  # never empty, never partial
    assert _count(es_backend, schema) == expected


@pytest.mark.django_db
def test_reindex_replaces_an_index_auto_created_under_the_alias_name(es_backend, city):
    from search.indexing import reindex

    schema = city.schema_name
    client = es_backend.client
    es_backend.drop(schema)
    client.index(index=alias_name(schema), id="x", document={"title": "stray"})
    es_backend._known_aliases.clear()
    reindex(schema)
    assert client.indices.exists_alias(name=alias_name(schema))
    assert es_backend.count(schema) >= 1


def test_publishing_while_elasticsearch_is_down_loses_nothing(
    es_backend, django_db_setup, django_db_blocker, settings
):
    """Stop the real server, publish, start it again, run the worker: the page is found."""
    from django_tasks_db.models import DBTaskResult
    from django_tenants.utils import schema_context

    from programmes.factories import NewsPageFactory
    from search.indexing import reindex
    from search.models import PendingUpdate
    from search.query import search
    from search.tasks import process_pending_updates
    from tenants.provisioning import create_city, delete_city

    settings.SEARCH_RETRY_BASE_DELAY = 1  # the server needs ~20 s to start anyway
    slug = "trwalosc"
    repo_script = ["bash", "infra/dev/elasticsearch.sh"]
    with django_db_blocker.unblock():
        create_city(slug, "Trwałość", [f"{slug}.localhost"])
        try:
            reindex(slug)
            with schema_context(slug):
                page = NewsPageFactory(
                    title="Ogłoszenie o naborze do rady seniorów",
                    intro="Nabór trwa do końca miesiąca.",
                    live=False,
                )
            subprocess.run([*repo_script, "stop"], check=True, timeout=120)
            assert not es_reachable()
            try:
                # Autocommit: the publish commits, on_commit enqueues at once.
                with schema_context(slug):
                    revision = page.save_revision()
                    revision.publish()
                    page.refresh_from_db()
                    assert page.live  # the editor's publish succeeded
                    assert PendingUpdate.objects.filter(key=f"page:{page.pk}").exists()
                tasks = DBTaskResult.objects.filter(
                    task_path=process_pending_updates.module_path, args_kwargs__args__0=slug
                )
                assert tasks.filter(status="READY").exists()

                # The worker tries while the server is down: a retry is scheduled.
                call_command(
                    "db_worker",
                    "--batch",
                    "--queue-name",
                    "search",
                    "--no-startup-delay",
                    "--interval",
                    "0",
                    verbosity=0,
                )
                retried = tasks.filter(status="SUCCESSFUL").order_by("finished_at").last()
                assert "ConnectionError; retry " in retried.return_value
                assert tasks.filter(status="READY").count() == 1
                with schema_context(slug):
                    waiting = PendingUpdate.objects.get(key=f"page:{page.pk}")
                    assert "Connection" in waiting.last_error
            finally:
                start_local_es()
            assert es_reachable()
            time.sleep(1.5)  # the retry's run_after has passed by now anyway
            call_command(
                "db_worker",
                "--batch",
                "--queue-name",
                "search",
                "--no-startup-delay",
                "--interval",
                "0",
                verbosity=0,
            )
            refresh(slug)
            with schema_context(slug):
                assert not PendingUpdate.objects.exists()
                results = search("nabór do rady seniorów")
            assert [r["title"] for r in results.results] == [
                "Ogłoszenie o naborze do rady seniorów"
            ]
        finally:
            if not es_reachable():
                start_local_es()
            connection.set_schema_to_public()
            delete_city(slug)  # drops the schema; the city_deleted signal drops the index
    assert not es_backend.client.indices.exists_alias(name=alias_name(slug))


def test_signal_handlers_never_break_publishing(django_db_setup, django_db_blocker):
    """Even with the outbox table gone, an editor's publish goes through."""
    from django_tenants.utils import schema_context

    from programmes.factories import NewsPageFactory
    from tenants.provisioning import create_city, delete_city

    slug = "bezpiecznie"
    with django_db_blocker.unblock():
        create_city(slug, "Bezpiecznie", [f"{slug}.localhost"])
        try:
            with schema_context(slug), connection.cursor() as cursor:
                cursor.execute("DROP TABLE search_pendingupdate")
                from wagtail.models import Page

                page = NewsPageFactory(
                    parent=Page.objects.get(depth=2), title="Mimo wszystko", live=False
                )
                page.save_revision().publish()
                page.refresh_from_db()
                assert page.live
        finally:
            connection.set_schema_to_public()
            delete_city(slug)


@pytest.mark.django_db
def test_reindex_and_status_commands(es_backend, warszawa_content, warszawa):
    out = io.StringIO()
    call_command("search_reindex", "--city", "warszawa", stdout=out)
    assert out.getvalue().startswith("warszawa\t")
    refresh("warszawa")
    out = io.StringIO()
    call_command("search_status", stdout=out)
    text = out.getvalue()
    assert "backend: elasticsearch" in text
    line = next(row for row in text.splitlines() if row.startswith("warszawa\t"))
    assert int(line.split("\t")[1]) >= 5
    with pytest.raises(Exception, match="No active city"):
        call_command("search_reindex", "--city", "atlantyda")


@pytest.mark.django_db
def test_health_probe_reports_backend_and_queue(es_backend, city):
    from search.health import probe_search

    status = probe_search()
    assert status["ok"] is True
    assert status["backend"] == "elasticsearch"
    assert "queue" in status and "pending_updates" in status


@pytest.mark.django_db
def test_health_probe_reports_an_unreachable_cluster(es_backend, city, settings):
    from search.health import probe_search

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    status = probe_search()
    assert status["ok"] is False
    assert status["error"]
