"""Documents: uploads checked by content, text extracted in the background.

Uploads go through the real Wagtail document add view as a logged-in editor,
so the errors tested are the ones an editor sees. Extraction runs the real
task, both called directly and picked up by the database worker.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from wagtail.models import Collection

from programmes import factories as f
from programmes.conf import current_task_context
from programmes.documents import ProgrammeDocument
from programmes.tasks import extract_document_text
from programmes.tests.conftest import requires_tenants

POLISH = "Zażółć gęślą jaźń: raport z warsztatów w Pałacu Ślubów"


@pytest.fixture
def editor_client(client, home):
    user = get_user_model().objects.create_superuser(
        "redaktorka", "redaktorka@example.org", "hasło-testowe-123"
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def upload(client, host, name, data, **fields):
    """POST a file to Wagtail's document add view; return the response."""
    payload = {
        "title": fields.pop("title", name),
        "file": SimpleUploadedFile(name, data),
        "collection": str(Collection.get_first_root_node().pk),
        "kind": "report",
        "language": "pl",
        "description": "",
        "publication_date": "2018-03-13",
        "tags": "",
        **fields,
    }
    return client.post(reverse("wagtaildocs:add"), payload, HTTP_HOST=host)


def run_extraction(document):
    return extract_document_text.call(current_task_context(), document.pk)


# --- Text extraction ---------------------------------------------------------


@pytest.mark.django_db
def test_pdf_text_and_page_count_are_extracted(home):
    document = f.ProgrammeDocumentFactory(
        file__data=f.pdf_bytes(POLISH, "Druga linia tekstu.", pages=3),
        file__filename="raport.pdf",
    )
    assert document.mime_type == "application/pdf"
    assert document.extraction_status == "pending"
    assert len(document.checksum) == 64 and document.file_size > 0

    assert run_extraction(document) == "done"
    document.refresh_from_db()
    assert document.extraction_status == "done"
    assert document.page_count == 3
    expected = POLISH if f.DEJAVU.exists() else f._fold(POLISH)
    assert expected in " ".join(document.extracted_text.split())


@pytest.mark.django_db
def test_docx_text_is_extracted(home):
    document = f.ProgrammeDocumentFactory(
        file__data=f.docx_bytes(POLISH, "Wnioski: więcej spotkań w dzielnicach.", heading="Raport"),
        file__filename="raport.docx",
    )
    assert document.mime_type.endswith("wordprocessingml.document")
    assert run_extraction(document) == "done"
    document.refresh_from_db()
    assert POLISH in document.extracted_text
    assert "więcej spotkań w dzielnicach" in document.extracted_text


@pytest.mark.django_db
def test_odt_and_txt_text_is_extracted(home):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text><text:p>{POLISH}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    odt = f.ProgrammeDocumentFactory(file__data=buffer.getvalue(), file__filename="notatka.odt")
    txt = f.ProgrammeDocumentFactory(file__data=POLISH.encode(), file__filename="notatka.txt")
    for document in (odt, txt):
        assert run_extraction(document) == "done"
        document.refresh_from_db()
        assert POLISH in document.extracted_text, document.mime_type


@requires_tenants
def test_worker_process_runs_the_queued_extraction(cities, django_db_blocker, settings):
    """The real worker, in its own process, picks the task up and enters the city.

    The worker sees only committed rows, so this test commits in a throwaway
    city and deletes it afterwards (see the team notes on tests that need a
    second connection).
    """
    from tenants.provisioning import create_city, delete_city

    slug = "ekstrakcja"
    with django_db_blocker.unblock():
        city = create_city(slug, "Ekstrakcja", [f"{slug}.localhost"])
        try:
            connection.set_tenant(city)
            # Autocommit: the upload commits and queues the task at once.
            document = f.ProgrammeDocumentFactory(
                file__data=f.pdf_bytes(POLISH, pages=2), file__filename="raport.pdf"
            )
            assert document.extraction_status == "pending"
            db = connection.settings_dict
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cms.settings.test",
                "DATABASE_URL": (
                    f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
                    f"/{db['NAME']}"
                ),
                "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            }
            result = subprocess.run(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                cwd=Path(__file__).resolve().parents[2],
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert result.returncode == 0, result.stderr[-2000:]
            document.refresh_from_db()
            assert document.extraction_status == "done", result.stderr[-2000:]
            assert document.page_count == 2
            expected = POLISH if f.DEJAVU.exists() else f._fold(POLISH)
            assert expected in " ".join(document.extracted_text.split())
        finally:
            connection.set_schema_to_public()
            delete_city(slug)


# --- Uploads through the admin -------------------------------------------------


@pytest.mark.django_db
def test_pdf_upload_succeeds_and_is_sniffed(
    editor_client, site_host, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(editor_client, site_host, "raport.pdf", f.pdf_bytes(POLISH))
    assert response.status_code == 302, response.content.decode()[:2000]
    document = ProgrammeDocument.objects.get(title="raport.pdf")
    assert document.mime_type == "application/pdf"
    assert document.kind == "report"
    assert callbacks, "extraction is queued after the upload commits"


@pytest.mark.django_db
def test_encrypted_pdf_is_stored_but_marked_not_extractable(editor_client, site_host):
    response = upload(editor_client, site_host, "tajne.pdf", f.encrypted_pdf_bytes(POLISH))
    assert response.status_code == 302
    document = ProgrammeDocument.objects.get(title="tajne.pdf")
    assert run_extraction(document) == "not_extractable"
    document.refresh_from_db()
    assert document.extraction_status == "not_extractable"
    assert document.extracted_text == ""
    assert "encrypted" in document.extraction_error
    assert document.file.size > 0  # the file itself is kept


@pytest.mark.django_db
def test_broken_pdf_is_stored_but_marked_not_extractable(home):
    document = f.ProgrammeDocumentFactory(
        file__data=b"%PDF-1.7\n" + b"\x00garbage" * 50, file__filename="zepsuty.pdf"
    )
    assert run_extraction(document) == "not_extractable"
    document.refresh_from_db()
    assert document.extraction_status == "not_extractable"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # Refused by extension first (Wagtail's own check, in Polish)...
        ("strona.html", b"<!DOCTYPE html><html><body>hi</body></html>", "„html” jest niedozwolone"),
        (
            "rysunek.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "„svg” jest niedozwolone",
        ),
        # ...and by content when the extension lies (our messages, in Polish too).
        (
            "strona.txt",
            b"<!DOCTYPE html><html><body>hi</body></html>",
            "Pliki HTML, SVG i XML nie są przyjmowane jako dokumenty.",
        ),
        (
            "obraz.pdf",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "Pliki HTML, SVG i XML nie są przyjmowane jako dokumenty.",
        ),
        (
            "program.pdf",
            b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
            "Pliki wykonywalne (programy) nie są przyjmowane.",
        ),
        (
            "setup.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 200,
            "Pliki wykonywalne (programy) nie są przyjmowane.",
        ),
    ],
)
def test_dangerous_uploads_are_refused_with_a_clear_error(
    editor_client, site_host, name, data, message
):
    response = upload(editor_client, site_host, name, data)
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    assert not ProgrammeDocument.objects.filter(title=name).exists()


@pytest.mark.django_db
def test_upload_over_the_size_limit_is_refused(editor_client, site_host, settings):
    settings.DIALOG_UPLOAD_MAX_BYTES = 1024 * 1024
    big = ("Raport z konsultacji. " * 60_000).encode()  # about 1.3 MB of text
    response = upload(editor_client, site_host, "duzy.txt", big)
    assert response.status_code == 200
    assert "Plik jest większy niż 1 MB." in response.content.decode()
    assert not ProgrammeDocument.objects.filter(title="duzy.txt").exists()

    response = upload(editor_client, site_host, "maly.txt", b"Raport z konsultacji.")
    assert response.status_code == 302
