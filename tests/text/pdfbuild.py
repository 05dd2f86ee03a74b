"""Results releases as PDF files, built in the tests with reportlab (a CID font: Chinese text without font files)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"


def write_pdf(path: Path, pages: list[list[str]], *, title: str = "", creation: str | None = None) -> Path:
    """A PDF with one page per list of lines (text layer only); an empty list draws a box (a page without text)."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path))
    if title:
        pdf.setTitle(title)
    for lines in pages:
        pdf.setFont(FONT, 11)
        for row, line in enumerate(lines):
            pdf.drawString(40, 800 - 18 * row, line)
        if not lines:
            pdf.rect(40, 400, 300, 300, fill=1)
        pdf.showPage()
    pdf.save()
    if creation:  # the document information's creation time, as the issuer's PDF tool writes it
        writer = PdfWriter(clone_from=str(path))
        writer.add_metadata({"/CreationDate": creation})
        writer.write(str(path))
    return path
