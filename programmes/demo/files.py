"""Real, byte-for-byte reproducible PDF and DOCX files for the demo documents.

The same input always gives the same bytes (fixed creation dates and ZIP
timestamps), so a document's checksum is stable across demo loads and
exports.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile
from pathlib import Path

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
]
FIXED_DATE = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def _unicode_font() -> Path | None:
    return next((path for path in FONT_CANDIDATES if path.exists()), None)


def fold_to_latin1(text: str) -> str:
    """Polish text for the core PDF fonts (Latin-1 only) when no TTF font is installed."""
    text = text.replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded


def pdf_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A one-or-more-page PDF with a title and paragraphs of extractable text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    font_path = _unicode_font()
    if font_path:
        pdf.add_font("DejaVu", fname=str(font_path))
        font = "DejaVu"
    else:
        font = "Helvetica"
        title = fold_to_latin1(title)
        paragraphs = [fold_to_latin1(p) for p in paragraphs]
    pdf.add_page()
    pdf.set_font(font, size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(font, size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A DOCX with a heading and paragraphs; ZIP entries get a fixed timestamp."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    raw = io.BytesIO()
    document.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    # zipfile stamps every entry with the current time; rewrite with a fixed one.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render(fmt: str, title: str, paragraphs: list[str]) -> bytes:
    if fmt == "pdf":
        return pdf_bytes(title, paragraphs)
    if fmt == "docx":
        return docx_bytes(title, paragraphs)
    raise ValueError(f"Unknown demo document format: {fmt}")
