"""Fixtures of the registration tests: meetings with sessions, groups, an editor.

Like the plugin's own tests they run in both projects: the multi-city one
(Warszawa's schema active) and the plain Wagtail site of
tests.standalone.settings (``pytest --ds=tests.standalone.settings
programmes/registration/tests``); tests that need cities are skipped there.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# Session-scoped: the cities are provisioned before a test's transaction opens
# (provisioning runs DDL that PostgreSQL refuses inside it).
from programmes.tests.conftest import provisioned_sites  # noqa: F401 - a fixture

TENANT_MODE = "django_tenants" in settings.INSTALLED_APPS
HOST = "warszawa.localhost" if TENANT_MODE else "localhost"
requires_tenants = pytest.mark.skipif(not TENANT_MODE, reason="needs django-tenants (cities)")
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limit lives in the cache; every test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


def make_programme(home=None):
    from programmes.models import HomePage, ProgrammeIndexPage, ProgrammePage

    home = home or HomePage.objects.first()
    n = next(_counter)
    index = home.add_child(instance=ProgrammeIndexPage(title=f"Programy {n}", slug=f"programy-{n}"))
    return index.add_child(
        instance=ProgrammePage(
            title=f"Program współpracy {n}",
            slug=f"program-{n}",
            summary="Program współpracy z organizacjami pozarządowymi.",
        )
    )


def make_session(days=7, hours=2, capacity=None, reserved=0, label="", **kwargs):
    from programmes.models import MeetingPageSession

    start = timezone.now() + datetime.timedelta(days=days)
    return MeetingPageSession(
        label=label,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        online_url=kwargs.pop("online_url", "https://example.org/spotkanie"),
        capacity=capacity,
        reserved_places=reserved,
        **kwargs,
    )


def make_meeting(parent=None, sessions=None, **fields):
    from programmes.models import MeetingPage

    parent = parent or make_programme()
    n = next(_counter)
    fields.setdefault("title", f"Warsztat diagnostyczny {n}")
    fields.setdefault("slug", f"warsztat-{n}")
    fields.setdefault("registration_mode", "form")
    fields.setdefault("intro", "Warsztat o współpracy miasta z organizacjami.")
    meeting = MeetingPage(sessions=sessions or [make_session(capacity=10)], **fields)
    return parent.add_child(instance=meeting)


def make_group(parent=None, **fields):
    from programmes.models import WorkingGroupPage

    parent = parent or make_programme()
    n = next(_counter)
    today = timezone.localdate()
    fields.setdefault("title", f"Zespół roboczy {n}")
    fields.setdefault("slug", f"zespol-{n}")
    fields.setdefault("area_of_work", "<p>Lokale dla organizacji.</p>")
    fields.setdefault("max_members", 4)
    fields.setdefault("officials_share", 50)
    fields.setdefault("recruitment_start", today - datetime.timedelta(days=3))
    fields.setdefault("recruitment_end", today + datetime.timedelta(days=10))
    return parent.add_child(instance=WorkingGroupPage(**fields))


def person(n=1, **kwargs):
    from programmes.registration.services import PersonData

    kwargs.setdefault("name", f"Osoba {n}")
    kwargs.setdefault("email", f"osoba{n}@example.org")
    return PersonData(**kwargs)


@pytest.fixture
def site_home(request, provisioned_sites, db):  # noqa: F811 - the imported fixture
    """The HomePage of the active site: Warszawa's, or the plain site's."""
    from programmes.models import HomePage

    if TENANT_MODE:
        request.getfixturevalue("city")
        return HomePage.objects.order_by("path").first()  # the Polish root, not a translation
    from programmes.tests.conftest import _standalone_home

    return _standalone_home()


@pytest.fixture
def programme(site_home):
    return make_programme(site_home)


@pytest.fixture
def meeting(programme):
    """A form-registration meeting with one session: 12 places, 2 reserved → 10 public."""
    return make_meeting(programme, sessions=[make_session(capacity=12, reserved=2)])


@pytest.fixture
def group(programme):
    return make_group(programme)


@pytest.fixture
def editor(site_home):
    """A member of the city's Editors group (as seeded), or its plain-site equivalent."""
    email = f"redaktor{next(_counter)}@um.warszawa.pl"
    if TENANT_MODE:
        from tenants.seed import create_editor

        return create_editor(email, "haslo-testowe-1")[0]
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label__in=["programmes", "programmes_registration"])
            | Q(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    )
    user = get_user_model().objects.create_user(email, email, "haslo-testowe-1")
    user.groups.add(group)
    return user
