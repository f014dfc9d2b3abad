"""Editor-facing wording in Polish: upload refusals, people's names, a complete catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from programmes.extraction import RefusedUpload, sniff

PO_FILE = Path(__file__).resolve().parents[1] / "locale" / "pl" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(
    ("head", "name", "polish", "english"),
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "a.pdf",
            "Pliki HTML, SVG i XML",
            "HTML, SVG",
        ),
        (b"#!/bin/sh\nrm -rf /\n", "a.txt", "Pliki wykonywalne", "Executable files"),
        (
            b"GIF89a" + b"\x00" * 64,
            "a.pdf",
            "Pliki typu image/gif nie są",
            "Files of type image/gif",
        ),
        (b"\x00\x01\x02\xff" * 64, "a.bin", "Nierozpoznany typ pliku", "Unrecognised file type"),
        (b"PK\x03\x04broken", "a.docx", "uszkodzone archiwum ZIP", "damaged ZIP archive"),
    ],
)
def test_upload_refusals_speak_the_editors_language(head, name, polish, english):
    with translation.override("pl"), pytest.raises(RefusedUpload) as refused:
        sniff(head, name)
    assert polish in str(refused.value)
    # Management commands (imports) run untranslated: English there.
    with translation.override(None), pytest.raises(RefusedUpload) as refused:
        sniff(head, name)
    assert english in str(refused.value)


def test_a_zip_that_is_no_office_document_is_refused_in_polish():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notatki.txt", "nie dokument biurowy")
    with translation.override("pl"), pytest.raises(RefusedUpload) as refused:
        sniff(buffer.getvalue(), "archiwum.zip")
    assert str(refused.value) == (
        "Archiwa ZIP są przyjmowane tylko jako dokumenty Office lub OpenDocument."
    )


def test_people_have_a_full_name_not_a_nazwa():
    from programmes.registration.models import Application, Registration
    from programmes.snippets import Organisation, Person, Venue

    with translation.override("pl"):
        for model in (Person, Registration, Application):
            assert str(model._meta.get_field("name").verbose_name) == "imię i nazwisko", model
        for model in (Organisation, Venue):
            assert str(model._meta.get_field("name").verbose_name) == "nazwa", model


@pytest.mark.django_db
def test_person_snippet_form_in_the_polish_admin(client, home, site_host):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    user = get_user_model().objects.create_superuser(
        "redaktorka", "redaktorka@example.org", "hasło-testowe-123"
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("wagtailsnippets_programmes_person:add"), HTTP_HOST=site_host)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label for="id_name"[^>]*>(<span[^>]*>)?\s*Imię i nazwisko<', html)


def _entries(text: str):
    """(flags, msgid, msgstr) of every entry of a .po file (plural forms: the first)."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        msgid, msgstr, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
            elif line.startswith(("msgstr ", "msgstr[0] ")):
                current = msgstr
            elif line.startswith(("msgid_plural", "msgstr[", "msgctxt", "#")):
                current = None
                continue
            if current is not None and '"' in line:
                current.append(line[line.index('"') + 1 : line.rindex('"')])
        if msgid:
            yield flags, "".join(msgid), "".join(msgstr)


def test_the_polish_catalogue_is_complete():
    entries = list(_entries(PO_FILE.read_text(encoding="utf-8")))
    assert len(entries) > 500
    untranslated = [msgid for _flags, msgid, msgstr in entries if msgid and not msgstr]
    fuzzy = [msgid for flags, msgid, _msgstr in entries if msgid and "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []
