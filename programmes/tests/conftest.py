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
    from programmes.models import HomePage

    if TENANT_MODE:
        request.getfixturevalue("city")
        return HomePage.objects.get()
    return _standalone_home()
