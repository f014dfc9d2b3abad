"""Text extraction and content sniffing for uploaded documents.

Kept in the plugin (not in search/) because the plugin stands alone: a plain
Wagtail site gets extracted text too. Search indexes what this produces.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree  # noqa: S405 - parsing our own uploads' XML, no entities expanded

import filetype
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Content types we accept, decided from the bytes, never from the extension.
ALLOWED = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
    "text/csv": "csv",
}
MAX_TEXT_CHARS = 2_000_000


class RefusedUpload(ValueError):
    """The file is not an allowed kind of document; the message is for the editor.

    Messages are translated when raised, in the active language (the admin's
    Polish, or English in management commands, which deactivate translations).
    """


@dataclass
class Extraction:
    text: str
    page_count: int | None
    ok: bool
    error: str = ""


def sniff(head: bytes, name: str = "") -> str:
    """Return the allowed MIME type of a file from its first bytes, or raise RefusedUpload."""
    lowered = head[:1024].lstrip().lower()
    if (
        lowered.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml"))
        or b"<svg" in lowered[:512]
    ):
        raise RefusedUpload(_("HTML, SVG and XML files are not accepted as documents."))
    if head.startswith((b"MZ", b"\x7fELF", b"#!")):
        raise RefusedUpload(_("Executable files are not accepted."))
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(head, name)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED:
            return kind.mime
        raise RefusedUpload(_("Files of type %(mime)s are not accepted.") % {"mime": kind.mime})
    if _looks_like_text(head):
        return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    raise RefusedUpload(
        _("Unrecognised file type; upload PDF, DOCX, ODT, XLSX, ODS, PPTX, ODP, TXT or CSV.")
    )


def _sniff_zip(head: bytes, name: str) -> str:
    # Office and OpenDocument files are zips; which one is told by the members,
    # and we need the whole file to read the directory: callers pass it all.
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mime = archive.read("mimetype").decode("ascii", "ignore").strip()
                if mime in ALLOWED:
                    return mime
            if "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if "xl/workbook.xml" in names:
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if "ppt/presentation.xml" in names:
                return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    except zipfile.BadZipFile as error:
        raise RefusedUpload(_("The file looks like a damaged ZIP archive.")) from error
    raise RefusedUpload(_("ZIP archives are accepted only as Office or OpenDocument files."))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            return False
    return True


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def extract(data: bytes, mime: str) -> Extraction:
    """Extract plain text; broken or encrypted files give ok=False, never raise."""
    try:
        if mime == "application/pdf":
            return _pdf(data)
        if mime.endswith("wordprocessingml.document"):
            return _docx(data)
        if mime.startswith("application/vnd.oasis.opendocument"):
            return _odf(data)
        if mime.startswith("text/"):
            return Extraction(data.decode("utf-8", "replace")[:MAX_TEXT_CHARS], None, True)
        return Extraction("", None, False, "no text extractor for this type")
    except Exception as error:  # noqa: BLE001 - any parser failure means "not extractable"
        logger.info("Text extraction failed: %s", error)
        return Extraction("", None, False, f"{error.__class__.__name__}: {error}"[:500])


def _pdf(data: bytes) -> Extraction:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return Extraction("", None, False, "encrypted PDF")
    parts = []
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_TEXT_CHARS:
            break
    return Extraction("\n".join(parts)[:MAX_TEXT_CHARS], len(reader.pages), True)


def _docx(data: bytes) -> Extraction:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return Extraction("\n".join(parts)[:MAX_TEXT_CHARS], None, True)


def _odf(data: bytes) -> Extraction:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    parts = []
    for element in root.iter():
        if element.tag in (f"{text_ns}p", f"{text_ns}h"):
            parts.append("".join(element.itertext()))
    return Extraction("\n".join(parts)[:MAX_TEXT_CHARS], None, True)
