"""Export/import of a programme: round trip equality, line-precise errors, all or nothing."""

from __future__ import annotations

import copy
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page

from programmes.demo.files import pdf_bytes
from programmes.documents import ProgrammeDocument
from programmes.models import MeetingPage, ProgrammeIndexPage, ProgrammePage
from programmes.snippets import Venue
from programmes.transfer import TransferError, export_programme, import_programme

from .conftest import TENANT_MODE, requires_tenants

pytestmark = pytest.mark.django_db


def _comparable(payload: dict) -> dict:
    """An export without what legitimately differs between sites (time, origin, paths)."""
    payload = copy.deepcopy(payload)
    payload.pop("exported_at")
    payload.pop("source")
    for doc in payload["documents"]:
        doc.pop("file")
    return payload


def _read_zip(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("programme.json"))


def _target_index(request, site_home):
    """Where the copy goes: Wrocław's site with tenants, a second index standalone."""
    if TENANT_MODE:
        connection.set_tenant(request.getfixturevalue("wroclaw"))
        home = Page.objects.get(depth=2).specific
    else:
        home = site_home
    index = ProgrammeIndexPage(title="Archiwum", slug="archiwum-importu")
    home.add_child(instance=index)
    return index


def test_round_trip_keeps_pages_fields_and_documents(demo, request, tmp_path):
    demo.activate()
    source = ProgrammePage.objects.get(slug="program-dialog")
    source_home = source.get_parent().get_parent().specific
    original = tmp_path / "dialog.zip"
    counts = export_programme(source, original)
    assert counts["pages"] == Page.objects.descendant_of(source, inclusive=True).count()
    source_docs = {
        d.checksum: (d.title, d.kind, d.publication_date, d.extracted_text)
        for d in ProgrammeDocument.objects.filter(programme=source)
    }

    index = _target_index(request, source_home)
    result = import_programme(original, parent=index)
    copy_ = result.programme
    assert copy_.get_parent().pk == index.pk

    again = tmp_path / "again.zip"
    export_programme(copy_, again)
    assert _comparable(_read_zip(again)) == _comparable(_read_zip(original))

    copied_docs = {
        d.checksum: (d.title, d.kind, d.publication_date, d.extracted_text)
        for d in ProgrammeDocument.objects.filter(programme=copy_)
    }
    assert copied_docs == source_docs
    for doc in ProgrammeDocument.objects.filter(programme=copy_):
        assert doc.extraction_status == "done"
        with doc.open_file() as handle:
            assert handle.read()[:4] in (b"%PDF", b"PK\x03\x04")
    # Every imported page is published with a revision, in the target's locale.
    for page in Page.objects.descendant_of(copy_, inclusive=True):
        assert page.live and page.live_revision_id
        assert page.locale_id == index.locale_id
    series = MeetingPage.objects.child_of(copy_).get(slug="warsztaty-diagnostyczno-kreatywne")
    assert series.sessions.count() == 5
    assert series.first_session_start is not None


def test_json_with_files_folder_round_trips(demo, request, tmp_path):
    demo.activate()
    source = ProgrammePage.objects.get(slug="program-dialog-i-wspolpraca")
    source_home = source.get_parent().get_parent().specific
    path = tmp_path / "wroclaw.json"
    export_programme(source, path)
    assert (tmp_path / "wroclaw_files" / "documents").is_dir()
    index = _target_index(request, source_home)
    copy_ = import_programme(path, parent=index).programme
    again = tmp_path / "again.json"
    export_programme(copy_, again)
    assert _comparable(json.loads(again.read_text())) == _comparable(json.loads(path.read_text()))


# --- Bad files: a small hand-written archive, broken in different ways -------------


def _minimal_payload() -> dict:
    return {
        "format": "dialog-programme",
        "version": 1,
        "snippets": {
            "venue": [{"key": "venue:1", "name": "Sala Testowa", "address": "ul. Próbna 1"}]
        },
        "images": [],
        "documents": [
            {
                "key": "document:1",
                "title": "Raport testowy",
                "kind": "report",
                "publication_date": "2024-05-01",
                "programme": "page:1",
                "file": "files/documents/raport.pdf",
            }
        ],
        "pages": [
            {
                "key": "page:1",
                "type": "programmes.ProgrammePage",
                "parent": None,
                "fields": {
                    "title": "Program importowany",
                    "slug": "program-importowany",
                    "summary": "Program z pliku.",
                },
            },
            {
                "key": "page:2",
                "type": "programmes.MeetingPage",
                "parent": "page:1",
                "fields": {"title": "Spotkanie", "slug": "spotkanie", "kind": "plenary"},
                "orderables": {
                    "sessions": [{"start": "2024-06-01T17:00:00+02:00", "venue": "venue:1"}],
                    "outcome_documents": [{"document": "document:1"}],
                },
            },
        ],
    }


def _write(tmp_path, payload=None, *, text=None, files=None, name="import.zip"):
    path = tmp_path / name
    text = text if text is not None else json.dumps(payload, indent=2, ensure_ascii=False)
    if files is None:
        files = {"files/documents/raport.pdf": pdf_bytes("Raport testowy", ["Treść raportu."])}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("programme.json", text)
        for member, data in files.items():
            archive.writestr(member, data)
    return path, text


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _nothing_imported(before: int) -> None:
    assert Page.objects.count() == before
    assert not ProgrammePage.objects.filter(slug="program-importowany").exists()
    assert not Venue.objects.filter(name="Sala Testowa").exists()
    assert not ProgrammeDocument.objects.filter(title="Raport testowy").exists()


def test_minimal_archive_imports(home, tmp_path):
    path, _text = _write(tmp_path, _minimal_payload())
    result = import_programme(path)
    meeting = MeetingPage.objects.get(slug="spotkanie")
    assert meeting.get_parent().pk == result.programme.pk
    assert meeting.sessions.get().venue.name == "Sala Testowa"
    assert meeting.outcome_documents.get().document.programme_id == result.programme.pk
    # Without a parent, the import goes under the site's programme index (created if missing).
    assert result.programme.get_parent().get_parent().pk == home.pk


def test_malformed_json_reports_line_and_imports_nothing(home, tmp_path):
    before = Page.objects.count()
    good = json.dumps(_minimal_payload(), indent=2, ensure_ascii=False)
    broken_line = _line_of(good, '"kind": "report"')
    text = good.replace('"kind": "report",', '"kind": "report"', 1)  # missing comma
    path, _ = _write(tmp_path, text=text)
    with pytest.raises(TransferError) as error:
        import_programme(path)
    (problem,) = error.value.problems
    # The parser notices at the start of the next key, on the following line.
    assert problem.startswith(f"programme.json line {broken_line + 1} column ")
    assert "Expecting ',' delimiter" in problem
    _nothing_imported(before)


def test_unknown_page_type_reports_its_line(home, tmp_path):
    before = Page.objects.count()
    payload = _minimal_payload()
    payload["pages"][1]["type"] = "programmes.BogusPage"
    path, text = _write(tmp_path, payload)
    with pytest.raises(TransferError) as error:
        import_programme(path)
    line = _line_of(text, "programmes.BogusPage")
    assert error.value.problems == [
        f"programme.json line {line}: unknown page type 'programmes.BogusPage'"
    ]
    _nothing_imported(before)


def test_missing_document_file_imports_nothing(home, tmp_path):
    before = Page.objects.count()
    path, text = _write(tmp_path, _minimal_payload(), files={})
    with pytest.raises(TransferError) as error:
        import_programme(path)
    line = _line_of(text, '"file": "files/documents/raport.pdf"')
    assert error.value.problems == [
        f"programme.json line {line}: file 'files/documents/raport.pdf' is missing from the archive"
    ]
    _nothing_imported(before)


def test_every_problem_is_listed_at_once(home, tmp_path):
    before = Page.objects.count()
    payload = _minimal_payload()
    payload["pages"][0]["fields"]["status"] = "sleeping"
    payload["pages"][1]["fields"]["colour"] = "red"
    payload["pages"][1]["orderables"]["sessions"][0]["venue"] = "venue:9"
    payload["documents"][0]["checksum"] = "0" * 64
    path, text = _write(tmp_path, payload)
    with pytest.raises(TransferError) as error:
        import_programme(path)
    problems = "\n".join(error.value.problems)
    assert f"line {_line_of(text, 'sleeping')}: 'status'" in problems
    assert f"line {_line_of(text, 'colour')}: MeetingPage has no field 'colour'" in problems
    assert f"line {_line_of(text, 'venue:9')}: 'venue:9' is not defined in this file" in problems
    assert f"line {_line_of(text, '0000000')}: checksum of" in problems
    _nothing_imported(before)


def test_html_disguised_as_pdf_is_refused(home, tmp_path):
    before = Page.objects.count()
    files = {"files/documents/raport.pdf": b"<!DOCTYPE html><html><script>x</script></html>"}
    path, _text = _write(tmp_path, _minimal_payload(), files=files)
    with pytest.raises(TransferError) as error:
        import_programme(path)
    assert "HTML" in error.value.problems[0]
    _nothing_imported(before)


def test_a_failure_while_writing_rolls_everything_back(home, tmp_path):
    # Passes validation, fails at save: a session that ends before it starts.
    before = Page.objects.count()
    payload = _minimal_payload()
    payload["pages"][1]["orderables"]["sessions"][0]["end"] = "2024-06-01T16:00:00+02:00"
    path, _text = _write(tmp_path, payload)
    with pytest.raises(TransferError) as error:
        import_programme(path)
    assert "programme.json line" in error.value.problems[0]
    _nothing_imported(before)


def test_plugin_command_exits_2_with_the_problems(home, tmp_path, capsys):
    payload = _minimal_payload()
    payload["pages"][1]["type"] = "programmes.BogusPage"
    path, _text = _write(tmp_path, payload)
    with pytest.raises(CommandError) as error:
        call_command("programme_import", str(path))
    assert error.value.returncode == 2
    assert "Nothing was imported" in str(error.value)
    assert "unknown page type 'programmes.BogusPage'" in str(error.value)


@requires_tenants
def test_city_commands_round_trip_between_cities(demo, wroclaw, tmp_path, capsys):
    path = tmp_path / "wspolnota.zip"
    call_command("export_programme", "demotest", "program-wspolnota", str(path))
    assert "Exported 'Program Wspólnota'" in capsys.readouterr().out
    call_command("import_programme", "wroclaw", str(path))
    assert "Imported 'Program Wspólnota' into Wrocław" in capsys.readouterr().out
    connection.set_tenant(wroclaw)
    assert ProgrammePage.objects.filter(slug="program-wspolnota").exists()
    with pytest.raises(CommandError) as error:
        call_command("import_programme", "wroclaw", str(path))
    assert error.value.returncode == 2
    assert "already exists" in str(error.value)
