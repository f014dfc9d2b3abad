"""Browser tests: the app on a loopback port, driven by Debian's chromium through Playwright.

Everything here needs committed data (the live server answers from its own
threads and connections), so the package builds two throwaway cities,
``e2e_warszawa`` and ``e2e_wroclaw``, fills them with the demo content, indexes
them in the real Elasticsearch and deletes them again when the package ends.
The database stays unblocked while this package runs (the server's threads
need it) and is blocked again, after the server stops, for the rest of the suite.

Chromium comes from apt and axe-core from npm (infra/dev/browser.sh, run here
when either is missing). Screenshots land in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = REPO / ".services/npm/node_modules/axe-core/axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "e2e"
CITY_DOMAINS = {"e2e_warszawa": "e2e-warszawa.localhost", "e2e_wroclaw": "e2e-wroclaw.localhost"}
# Playwright's timeouts (ms): generous for two loaded cores, but bounded.
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser_tools():
    """Chromium and axe-core, installed by the project's script if missing."""
    if not (os.access(CHROMIUM, os.X_OK) and AXE.is_file()):
        subprocess.run(["bash", str(REPO / "infra/dev/browser.sh")], check=True, timeout=900)
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} missing after infra/dev/browser.sh"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="package")
def _unblocked(django_db_setup, django_db_blocker, django_db_keepdb):
    """Database access for the whole package: the server's threads answer late requests
    (e.g. the admin's beacon when a page closes) until the server is stopped.

    pytest-django creates the test database only for sessions that collect a
    test marked ``django_db``; none here is, so a run of this package alone
    would otherwise write to the development database (and the worker would
    consume its queue). Create it here in that case, and refuse anything else.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        test_name = connection.creation._get_test_db_name()
        created = None
        if connection.settings_dict["NAME"] != test_name:
            created = setup_databases(
                verbosity=0,
                interactive=False,
                keepdb=django_db_keepdb,  # --reuse-db
                aliases={"default"},
                serialized_aliases=set(),
            )
        assert connection.settings_dict["NAME"] == test_name, "not the test database"
        yield
        if created is not None and not django_db_keepdb:
            connections.close_all()
            with connection._nodb_cursor() as cursor:
                # Connections of the server's finished request threads linger.
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [test_name],
                )
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="package")
def e2e_cities(_unblocked, django_db_blocker):
    """Two committed demo cities, indexed; dropped with their indices afterwards."""
    from django_tenants.utils import schema_context

    from programmes.demo.loader import load_demo
    from search.backends import get_backend
    from search.indexing import drop_city, reindex
    from search.items import build_items
    from search.tests.conftest import LOCAL_ES, es_reachable, start_local_es
    from tenants.models import City
    from tenants.provisioning import create_city, delete_city

    if settings.SEARCH_BACKEND == "elasticsearch" and not es_reachable():
        if (settings.ELASTICSEARCH_URL or LOCAL_ES).rstrip("/") != LOCAL_ES:
            pytest.fail(f"Elasticsearch at {settings.ELASTICSEARCH_URL} is not reachable")
        start_local_es()
    with django_db_blocker.unblock():
        for slug in CITY_DOMAINS:  # left over by an interrupted run
            if City.objects.filter(slug=slug).exists():
                delete_city(slug)
        made = {
            "warszawa": create_city(
                "e2e_warszawa", "Warszawa", [CITY_DOMAINS["e2e_warszawa"]], languages="pl,en"
            ),
            "wroclaw": create_city("e2e_wroclaw", "Wrocław", [CITY_DOMAINS["e2e_wroclaw"]]),
        }
        for dataset, city in made.items():
            with schema_context(city.schema_name):
                load_demo(dataset)
                # Built here, in this thread's (city) connection: the bulk
                # sender threads must not query the database themselves.
                items = list(build_items())
            reindex(city.schema_name, items=items)
            get_backend().refresh(city.schema_name)
        connection.set_schema_to_public()
    yield made
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for city in made.values():
            drop_city(city.schema_name)
            delete_city(city.slug)


@pytest.fixture(scope="package")
def server(_unblocked, e2e_cities, django_db_blocker):
    """The app in a thread on 127.0.0.1 (mail goes to django.core.mail.outbox)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    # Document downloads and images are streamed by the app (no nginx here).
    overrides = override_settings(DIALOG_SERVE_MEDIA=True)
    overrides.enable()
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    with django_db_blocker.unblock():
        thread.start()
        thread.is_ready.wait(timeout=30)
    if thread.error:
        raise thread.error
    assert thread.is_ready.is_set(), "live server did not start"
    yield thread.port
    thread.terminate()
    overrides.disable()


class Site:
    """URLs of the two cities on the live server."""

    def __init__(self, port: int):
        self.port = port

    def warszawa(self, path: str = "/") -> str:
        return f"http://{CITY_DOMAINS['e2e_warszawa']}:{self.port}{path}"

    def wroclaw(self, path: str = "/") -> str:
        return f"http://{CITY_DOMAINS['e2e_wroclaw']}:{self.port}{path}"


@pytest.fixture
def site(server, _unblocked):
    return Site(server)


@pytest.fixture(scope="package")
def browser(browser_tools):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    # Playwright's sync API keeps an asyncio loop in this thread; Django would
    # then refuse the tests' own ORM calls (fixtures, worker) as "async".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        # Playwright gives every launch a fresh temporary user-data-dir.
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            timeout=60_000,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--host-resolver-rules=MAP *.localhost 127.0.0.1",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_context(browser):
    """Factory of isolated browser contexts (own cookies), closed after the test."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("locale", "pl-PL")
        context = browser.new_context(bypass_csp=True, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def run_worker(schemas=tuple(CITY_DOMAINS)) -> None:
    """What `manage.py db_worker` does, synchronously: every queued task, then refresh."""
    from django.core.management import call_command

    from search.backends import get_backend

    # Never the development database's queue (see _unblocked).
    assert connection.settings_dict["NAME"] == connection.creation._get_test_db_name()
    # The worker closes "old" connections around every task; with CONN_MAX_AGE=0
    # that is a reconnect per task (hundreds after the demo load): keep one.
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = None
    try:
        call_command(
            "db_worker",
            queue_name="*",
            batch=True,
            no_startup_delay=True,
            reload=False,
            verbosity=0,
        )
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age
        connection.close()  # opened with the other max age
    for schema in schemas:
        get_backend().refresh(schema)
