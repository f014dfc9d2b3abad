"""Test fixtures shared by every app: real PostgreSQL, provisioned cities.

The database is the project-local PostgreSQL (infra/dev/postgres.sh, started
by `make test`) or DATABASE_URL. pytest-django creates ``test_<name>``; the
public schema is migrated once, and the city template is built on the first
city creation (~20 s once per run); each city after that is a ~0.5 s clone.
"""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _public_schema_after_test():
    yield
    # Absent under tests.standalone.settings (plain Wagtail, no django-tenants).
    if hasattr(connection, "set_schema_to_public"):
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _empty_caches_after_test():
    """A test's database changes are rolled back; what it cached must go too.

    Wagtail keeps the site root paths in the cache for an hour: a test that
    moved a site's root left every later test's page URLs at None. Every
    per-process (locmem) store is emptied too, including those of aliases a
    test configured only for itself with override_settings(CACHES=…): their
    storage outlives the override, and a content version one test left there
    for a second was read by the next test's first request.
    """
    yield
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends import locmem

    for alias in settings.CACHES:
        caches[alias].clear()
    for name, store in list(locmem._caches.items()):
        with locmem._locks[name]:
            store.clear()
            locmem._expire_info[name].clear()


def _make_city(slug, name, languages="pl"):
    from tenants.models import City
    from tenants.provisioning import create_city

    existing = City.objects.filter(slug=slug).first()
    if existing:
        return existing
    return create_city(slug, name, [f"{slug}.localhost"], languages=languages)


@pytest.fixture(scope="session")
def cities(django_db_setup, django_db_blocker):
    """Warszawa (pl, en) and Wrocław (pl), created once per test session."""
    with django_db_blocker.unblock():
        warszawa = _make_city("warszawa", "Warszawa", "pl,en")
        wroclaw = _make_city("wroclaw", "Wrocław")
        connection.set_schema_to_public()
    return {"warszawa": warszawa, "wroclaw": wroclaw}


@pytest.fixture
def warszawa(cities):
    return cities["warszawa"]


@pytest.fixture
def wroclaw(cities):
    return cities["wroclaw"]


@pytest.fixture
def city(warszawa):
    """A provisioned city, its schema active for the test's ORM calls."""
    connection.set_tenant(warszawa)
    return warszawa
