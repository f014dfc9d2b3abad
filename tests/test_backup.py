"""Back up a city, delete it, restore it: everything comes back identical.

pg_dump runs in another process and only sees committed rows, so these tests
work with committed data in throwaway cities (``django_db_blocker.unblock()``)
and delete them at the end.
"""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context

from tenants.backup import MANIFEST_FILE, read_manifest, restore_city
from tenants.models import City, Domain
from tenants.provisioning import ProvisioningError, create_city, create_city_editor, delete_city

SOURCE = "bk_src"
COPY = "bk_copy"


def _drop(*slugs):
    connection.set_schema_to_public()
    for slug in slugs:
        if City.objects.filter(slug=slug).exists():
            delete_city(slug)


def _fill_city():
    """Pages with several revisions, a draft, documents with files, users."""
    from programmes.factories import (
        NewsPageFactory,
        ProgrammeDocumentFactory,
        ProgrammePageFactory,
        document_file,
        pdf_bytes,
    )

    programme = ProgrammePageFactory(title="Program Rozwoju Dialogu bk_src")
    programme.summary = "Druga wersja streszczenia."
    programme.save_revision().publish()
    news = NewsPageFactory(parent=programme, title="Spotkanie w bk_src.localhost")
    draft = news.save_revision()
    news.title = "Szkic zmiany"
    news.save_revision()
    assert draft.pk
    ProgrammeDocumentFactory(title="Raport 2017", programme=programme)
    ProgrammeDocumentFactory(
        title="Sprawozdanie PDF",
        file=document_file(pdf_bytes("Sprawozdanie z warsztatów na Pradze"), "sprawozdanie.pdf"),
    )


def _search_results(schema):
    """Search answers for a few queries, when the search app is installed."""
    try:
        from search.query import search
    except ImportError:
        return None
    with schema_context(schema):
        return [search(q).as_dict() for q in ("program rozwoju dialogu", "sprawozdanie", "raport")]


def _snapshot():
    """What must survive a round trip, read from the active schema."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Revision

    from programmes.documents import ProgrammeDocument

    pages = list(
        Page.objects.order_by("path").values_list(
            "pk", "path", "title", "draft_title", "live", "has_unpublished_changes", "url_path"
        )
    )
    revisions = [
        (r.pk, r.object_id, json.dumps(r.content, sort_keys=True, default=str))
        for r in Revision.objects.order_by("pk")
    ]
    documents = []
    for document in ProgrammeDocument.objects.order_by("pk"):
        with document.open_file() as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        documents.append(
            (document.pk, document.title, document.file.name, document.checksum, digest)
        )
    users = sorted(
        (user.username, user.password, user.is_superuser, sorted(g.name for g in user.groups.all()))
        for user in get_user_model().objects.all()
    )
    return {"pages": pages, "revisions": revisions, "documents": documents, "users": users}


@pytest.mark.django_db
def test_restore_of_a_folder_without_manifest_is_refused(tmp_path):
    # Also the one django_db-marked test of this module: pytest-django creates
    # the test database only when some collected test is marked.
    with pytest.raises(ProvisioningError, match="not a city backup"):
        restore_city(tmp_path)


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _drop(SOURCE, COPY)
        try:
            yield
        finally:
            _drop(SOURCE, COPY)
            connection.set_schema_to_public()


def test_backup_delete_restore_round_trip_is_identical(committed, tmp_path):
    create_city(SOURCE, "Miasto Kopii", ["bk-src.localhost"], languages="pl,en")
    create_city_editor(SOURCE, "redaktor@bk.pl", "Haslo-redaktora-1")
    create_city_editor(SOURCE, "moderator@bk.pl", "Haslo-moderatora-1", moderator=True)
    with schema_context(SOURCE):
        _fill_city()
        before = _snapshot()
    assert len(before["documents"]) == 2 and len(before["revisions"]) >= 3
    try:
        from search.indexing import reindex
    except ImportError:
        reindex = None
    if reindex is not None:
        reindex(SOURCE)
    found_before = _search_results(SOURCE)
    if found_before is not None:
        assert found_before[0]["total"] >= 1 and found_before[2]["total"] >= 1

    call_command("backup_city", SOURCE, str(tmp_path / "b"), verbosity=0)
    manifest = read_manifest(tmp_path / "b")
    assert manifest["slug"] == SOURCE
    assert manifest["media_files"] == 2
    assert manifest["versions"]["postgresql"]["server"].startswith("15")
    assert manifest["domains"] == [{"domain": "bk-src.localhost", "is_primary": True}]
    assert "wagtailcore" in manifest["migrations"]

    delete_city(SOURCE)
    assert not City.objects.filter(slug=SOURCE).exists()

    call_command("restore_city", str(tmp_path / "b"), verbosity=0)
    city = City.objects.get(slug=SOURCE)
    assert city.name == "Miasto Kopii" and city.languages == "pl,en"
    assert list(Domain.objects.filter(tenant=city).values_list("domain", flat=True)) == [
        "bk-src.localhost"
    ]
    with schema_context(SOURCE):
        after = _snapshot()
    assert after == before
    # restore_city rebuilt the search index from the restored rows.
    assert _search_results(SOURCE) == found_before


def test_restore_refuses_existing_slug_unless_replace(committed, tmp_path):
    create_city(SOURCE, "Miasto Kopii", ["bk-src.localhost"])
    with schema_context(SOURCE):
        _fill_city()
        before = _snapshot()
    call_command("backup_city", SOURCE, str(tmp_path / "b"), verbosity=0)

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore_city", str(tmp_path / "b"), verbosity=0)

    # Changes made after the backup are gone after --replace.
    with schema_context(SOURCE):
        from wagtail.models import Page

        Page.objects.filter(depth=3).update(title="Zmieniono po kopii")
    call_command("restore_city", str(tmp_path / "b"), "--replace", verbosity=0)
    with schema_context(SOURCE):
        assert _snapshot() == before


def test_restore_as_another_slug_keeps_content_and_points_site_at_new_domain(
    committed, tmp_path, client
):
    create_city(SOURCE, "Miasto Kopii", ["bk-src.localhost"])
    with schema_context(SOURCE):
        _fill_city()
        before = _snapshot()
    call_command("backup_city", SOURCE, str(tmp_path / "b"), verbosity=0)

    with pytest.raises(ProvisioningError, match="already used"):
        # The original still owns its domain.
        restore_city(tmp_path / "b", as_slug=COPY)
    assert not City.objects.filter(slug=COPY).exists()

    restore_city(tmp_path / "b", as_slug=COPY, domains=["bk-copy.localhost"])
    with schema_context(COPY):
        from wagtail.models import Site

        after = _snapshot()
        assert Site.objects.get().hostname == "bk-copy.localhost"
    # Titles mentioning the old slug are content, not schema names: untouched.
    assert after == before
    assert any("bk_src" in page[2] for page in after["pages"])
    response = client.get("/", HTTP_HOST="bk-copy.localhost")
    assert response.status_code == 200
    # Both cities live side by side, with their own media.
    with schema_context(SOURCE):
        assert _snapshot() == before


def test_damaged_backup_is_refused(committed, tmp_path):
    create_city(SOURCE, "Miasto Kopii", ["bk-src.localhost"])
    call_command("backup_city", SOURCE, str(tmp_path / "b"), verbosity=0)
    with pytest.raises(CommandError, match="holds a backup"):
        call_command("backup_city", SOURCE, str(tmp_path / "b"), verbosity=0)
    with open(tmp_path / "b" / "schema.sql", "a") as dump:
        dump.write("-- tampered\n")
    delete_city(SOURCE)
    with pytest.raises(ProvisioningError, match="checksum"):
        restore_city(tmp_path / "b")
    assert not City.objects.filter(slug=SOURCE).exists()
    assert (tmp_path / "b" / MANIFEST_FILE).exists()


def test_restore_remaps_content_type_ids_numbered_differently(committed, tmp_path):
    """Restoring into an installation that numbers content types differently.

    Simulated by swapping two ids in the manifest: the restored rows must be
    pointed at the ids the manifest's labels have here (and the swap must get
    past auth_permission's unique (content_type, codename) constraint).
    """
    from django.contrib.contenttypes.models import ContentType

    create_city(SOURCE, "Miasto Kopii", ["bk-src.localhost"])
    call_command("backup_city", SOURCE, str(tmp_path / "b"), verbosity=0)
    page_ct = ContentType.objects.get(app_label="wagtailcore", model="page").pk
    home_ct = ContentType.objects.get(app_label="programmes", model="homepage").pk
    manifest_path = tmp_path / "b" / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    types = manifest["content_types"]
    types[str(page_ct)], types[str(home_ct)] = types[str(home_ct)], types[str(page_ct)]
    manifest_path.write_text(json.dumps(manifest))

    restore_city(tmp_path / "b", as_slug=COPY, domains=["bk-copy.localhost"], reindex=False)

    def rows(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Schema names are this module's constants.
    assert rows(f"SELECT depth, content_type_id FROM {COPY}.wagtailcore_page ORDER BY depth") == [  # noqa: S608
        (1, home_ct),
        (2, page_ct),
    ]
    count = "SELECT count(*) FROM {}.auth_permission WHERE content_type_id = %s"
    assert rows(count.format(COPY), [home_ct]) == rows(count.format(SOURCE), [page_ct])
