"""Fixtures of the programmes test suite that work with and without tenancy.

The plugin must run in a plain single-site Wagtail project too, so its tests
run twice in `make test`: under cms.settings.test (django-tenants, the
warszawa city schema active) and under tests.standalone.settings (plain
PostgreSQL backend, one default Site). Tests ask for ``home`` and
``site_host`` instead of ``city`` and a hard-coded domain, and run in both.
"""

from __future__ import annotations

import pytest
from django.conf import settings

TENANT_MODE = "django_tenants" in settings.INSTALLED_APPS

requires_tenants = pytest.mark.skipif(
    not TENANT_MODE, reason="needs django-tenants (cities); skipped under standalone settings"
)


if not TENANT_MODE:

    @pytest.fixture(scope="session")
    def cities():
        """Under standalone settings every test that needs cities is skipped, not failed."""
        pytest.skip("needs django-tenants (cities); skipped under standalone settings")


def _standalone_home():
    """The HomePage at the root of the default Site, created on first use."""
    from wagtail.models import Locale, Page, Site

    from programmes.models import HomePage

    Locale.objects.get_or_create(language_code="pl")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a placeholder "Welcome" page.
        for placeholder in root.get_children().exact_type(Page):
            placeholder.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title="Strona główna", slug="home"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Dialog"
    )
    return home


@pytest.fixture
def site_host():
    """Host header that reaches the active site: the city's domain or localhost."""
    return "warszawa.localhost" if TENANT_MODE else "localhost"


@pytest.fixture(scope="session")
def provisioned_sites(request):
    """The session's cities in tenant mode; nothing to provision standalone.

    Session-scoped on purpose: pytest sets up wider-scoped fixtures before the
    test's transaction opens, and provisioning a city runs DDL that cannot
    happen inside that transaction.
    """
    if TENANT_MODE:
        return request.getfixturevalue("cities")
    return None


@pytest.fixture
def home(request, provisioned_sites, db):
    """The HomePage of the active site (warszawa's schema active in tenant mode)."""
    if TENANT_MODE:
        from wagtail.models import Site

        request.getfixturevalue("city")
        # The site's root: cities with other languages also have translated homes.
        return Site.objects.get(is_default_site=True).root_page.specific
    return _standalone_home()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, provisioned_sites):
    """Both demo datasets loaded once, committed, in a site of their own.

    With tenants: a throwaway city, dropped afterwards. Standalone: the default
    site of the test database, emptied afterwards.
    """
    from django.db import connection

    from programmes.demo.loader import load_demo
    from programmes.documents import ProgrammeDocument
    from programmes.snippets import Organisation, Person, Venue

    class Demo:
        host = "localhost"
        city = None

        def activate(self):
            if self.city is not None:
                connection.set_tenant(self.city)

    site = Demo()
    with django_db_blocker.unblock():
        if TENANT_MODE:
            from tenants.models import City
            from tenants.provisioning import create_city, delete_city

            if City.objects.filter(slug="demotest").exists():  # left by an aborted run
                delete_city("demotest")
            site.city = create_city("demotest", "Demo Test", ["demotest.localhost"])
            site.host = "demotest.localhost"
            site.activate()
        else:
            _standalone_home()
        load_demo("warszawa")
        load_demo("wroclaw")
        if TENANT_MODE:
            connection.set_schema_to_public()
    yield site
    with django_db_blocker.unblock():
        if TENANT_MODE:
            delete_city("demotest")
        else:
            from programmes.models import ProgrammeIndexPage

            for index in ProgrammeIndexPage.objects.all():
                index.delete()
            ProgrammeDocument.objects.all().delete()
            for model in (Person, Organisation, Venue):
                model.objects.all().delete()
