"""create_city and friends, through the management commands people run."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.models import City, Domain
from tenants.provisioning import (
    ProvisioningError,
    add_domain,
    create_city,
    delete_city,
    validate_domain,
)

ROOT = Path(__file__).resolve().parents[2]


def _schemas():
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata")
        return {row[0] for row in cursor.fetchall()}


def _schema_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_create_city_gives_site_with_city_domain_and_polish_home_page(cities, client):
    from wagtail.models import Locale, Site

    city = create_city("gdansk", "Gdańsk", ["gdansk.localhost", "www-gdansk.localhost"], "pl,en")
    try:
        connection.set_tenant(city)
        site = Site.objects.get()
        assert site.hostname == "gdansk.localhost"
        assert site.site_name == "Gdańsk"
        assert site.root_page.specific.title == "Gdańsk"
        assert set(Locale.objects.values_list("language_code", flat=True)) == {"pl", "en"}
        connection.set_schema_to_public()
        assert list(
            Domain.objects.filter(tenant=city)
            .order_by("-is_primary")
            .values_list("domain", flat=True)
        ) == ["gdansk.localhost", "www-gdansk.localhost"]
        response = client.get("/", HTTP_HOST="gdansk.localhost")
        assert response.status_code == 200
        assert b'<html lang="pl">' in response.content
        assert "Gdańsk" in response.content.decode()
        # The second domain serves the same city.
        assert client.get("/", HTTP_HOST="www-gdansk.localhost").status_code == 200
    finally:
        connection.set_schema_to_public()
        delete_city("gdansk")
    assert not _schema_exists("gdansk")
    assert not Domain.objects.filter(domain="gdansk.localhost").exists()


@pytest.mark.django_db
def test_cloned_city_keeps_constraint_names_and_working_sequences(cities):
    """The template dump keeps Wagtail's named constraints (clone_schema renamed them)."""
    from wagtail.models import Page

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = 'wroclaw' AND contype = 'u' ORDER BY conname"
        )
        clone_names = {row[0] for row in cursor.fetchall()}
    assert "unique_in_progress_workflow" in clone_names or any(
        "unique" in name for name in clone_names
    )
    connection.set_tenant(cities["wroclaw"])
    home = Page.objects.get(depth=2)
    child = home.add_child(instance=Page(title="Sequence check", slug="sequence-check"))
    assert child.pk > home.pk
    child.delete()


BAD_INPUTS = [
    (["public", "--name", "X", "--domain", "x1.localhost"], "reserved"),
    (["pg_city", "--name", "X", "--domain", "x2.localhost"], "reserved"),
    (["information_schema", "--name", "X", "--domain", "x3.localhost"], "reserved"),
    (["Krakow", "--name", "X", "--domain", "x4.localhost"], "Invalid slug"),
    (["k" * 31, "--name", "X", "--domain", "x5.localhost"], "Invalid slug"),
    (["krakow", "--name", "X", "--domain", "warszawa.localhost"], "already used by warszawa"),
    (["krakow", "--name", "X", "--domain", "bad..domain"], "Malformed domain"),
    (["krakow", "--name", "X", "--domain", "spaces are.bad"], "Malformed domain"),
    (
        ["krakow", "--name", "X", "--domain", "x6.localhost", "--languages", "pl,xx"],
        "Unknown language",
    ),
    (["warszawa", "--name", "X", "--domain", "x7.localhost"], "already exists"),
    (["krakow", "--name", "K" * 101, "--domain", "x11.localhost"], "1 to 100 characters"),
    (["krakow", "--name", "  ", "--domain", "x12.localhost"], "1 to 100 characters"),
    (
        ["krakow", "--name", "X", "--domain", "x8.localhost", "--contact-email", "nie"],
        "Invalid e-mail",
    ),
    (
        ["krakow", "--name", "X", "--domain", "x9.localhost", "--cors-origins", "*"],
        "is not allowed",
    ),
    (
        ["krakow", "--name", "X", "--domain", "x10.localhost", "--frontend-url", "ftp://x.pl"],
        "Malformed frontend URL",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_create_city_bad_input_is_one_line_error_exit_2_and_leaves_nothing(
    cities, args, message, capfd
):
    from django.core.management.base import CommandError

    schemas_before = _schemas()
    cities_before = set(City.objects.values_list("slug", flat=True))
    domains_before = set(Domain.objects.values_list("domain", flat=True))
    with pytest.raises(CommandError) as raised:
        call_command("create_city", *args)
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert set(City.objects.values_list("slug", flat=True)) == cities_before
    assert set(Domain.objects.values_list("domain", flat=True)) == domains_before
    assert _schemas() == schemas_before


@pytest.mark.django_db
def test_create_city_command_prints_one_line_and_exits_2_without_traceback(cities):
    """Through the real manage.py, as an operator runs it."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_city",
            "Bad-Slug",
            "--name",
            "X",
            "--domain",
            "y.localhost",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Invalid slug" in result.stderr


@pytest.mark.django_db
def test_failure_midway_rolls_back_schema_and_rows(cities, monkeypatch):
    """An error after the schema is cloned leaves no half-created city."""
    import tenants.seed

    def explode(*args, **kwargs):
        raise RuntimeError("simulated failure after cloning")

    monkeypatch.setattr(tenants.seed, "configure_city", explode)
    with pytest.raises(RuntimeError):
        create_city("opole", "Opole", ["opole.localhost"])
    connection.set_schema_to_public()
    assert not City.objects.filter(slug="opole").exists()
    assert not Domain.objects.filter(domain="opole.localhost").exists()
    assert not _schema_exists("opole")


@pytest.mark.django_db
def test_add_domain_and_list_cities(cities, client, capsys):
    record = add_domain("wroclaw", "dialog-wroclaw.localhost")
    try:
        assert client.get("/", HTTP_HOST="dialog-wroclaw.localhost").status_code == 200
        call_command("list_cities")
        out = capsys.readouterr().out
        assert "dialog-wroclaw.localhost" in out
        assert "warszawa" in out
        with pytest.raises(ProvisioningError, match="already used"):
            validate_domain("dialog-wroclaw.localhost")
    finally:
        record.delete()


@pytest.mark.django_db
def test_delete_city_requires_yes_and_removes_media(cities, settings, tmp_path):
    from django.core.management.base import CommandError

    settings.MEDIA_ROOT = str(tmp_path)
    create_city("torun", "Toruń", ["torun.localhost"])
    (tmp_path / "torun").mkdir()
    (tmp_path / "torun" / "file.txt").write_text("x")
    with pytest.raises(CommandError):
        call_command("delete_city", "torun")
    assert City.objects.filter(slug="torun").exists()
    call_command("delete_city", "torun", "--yes")
    assert not City.objects.filter(slug="torun").exists()
    assert not (tmp_path / "torun").exists()
    assert not _schema_exists("torun")


@pytest.mark.django_db
def test_create_city_editor_and_moderator(cities, capsys):
    from django.contrib.auth import get_user_model

    call_command(
        "create_city_editor", "wroclaw", "ed@wroclaw.localhost", "--password", "x-Pass-123456"
    )
    call_command("create_city_editor", "wroclaw", "mod@wroclaw.localhost", "--moderator")
    assert "Password:" in capsys.readouterr().out
    connection.set_tenant(cities["wroclaw"])
    users = get_user_model().objects
    editor = users.get(username="ed@wroclaw.localhost")
    moderator = users.get(username="mod@wroclaw.localhost")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert set(moderator.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}
    assert editor.has_perm("wagtailadmin.access_admin")
    editor.delete()
    moderator.delete()


@pytest.mark.django_db
def test_a_city_is_taken_offline_before_its_schema_is_dropped(cities, client):
    # App workers remembering hosts (TENANT_LOOKUP_CACHE) must see the city
    # inactive (a 404) before the schema goes, not a missing schema (a 500).
    from django.conf import settings
    from django.db.models.signals import post_save
    from django.test import override_settings

    local = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "test-lookups",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    }
    with override_settings(
        CACHES={**settings.CACHES, "local": local},
        TENANT_LOOKUP_CACHE="local",
        TENANT_LOOKUP_SECONDS=0,
    ):
        create_city("opole", "Opole", ["opole.localhost"], "pl")
        assert client.get("/", HTTP_HOST="opole.localhost").status_code == 200
        saved = []

        def spy(sender, instance, **kwargs):
            saved.append((instance.slug, instance.is_active, _schema_exists("opole")))

        post_save.connect(spy, sender=City, dispatch_uid="test-offline-spy")
        try:
            delete_city("opole")
        finally:
            post_save.disconnect(dispatch_uid="test-offline-spy", sender=City)
        assert saved == [("opole", False, True)]
        assert client.get("/", HTTP_HOST="opole.localhost").status_code == 404
