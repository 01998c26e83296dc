"""The released documents as one PDF: an index page, then each document, one bookmark each.

Phones open a PDF without any extra app, unlike a zip. PDFs are copied in as they are;
photos become a page each; text, Word, email and spreadsheet documents are printed from
their readable structure (``records.readable``) with fpdf2, then everything is merged with
pypdf. Text is printed in a Unicode font when one is installed (``pdf_text.Fonts``, as the
letters are), so "Wiśniewska" prints as written; without one, in the Latin-1 core font
(the original files stay in the zip, exact).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from sar_service.pdf_text import Fonts
from sar_service.records import readable

#: Beyond these a bundle gets no combined PDF (it is made in memory, and thousands of pages
#: are no easier on a phone than the zip): the documents are still readable one by one.
MAX_PARTS = 300
MAX_BYTES = 25 * 1024 * 1024
#: Text laid out by fpdf2 is the slow part (about 10 pages a second, some 400 pages for 2 MB
#: of words), so documents that need converting have a smaller allowance.
MAX_CONVERTED_BYTES = 4 * 1024 * 1024


def fits(sizes: list[tuple[str, int]]) -> bool:
    """Whether documents of these (kind, size) go into one PDF."""
    converted = sum(size for kind, size in sizes if kind not in readable.AS_IS)
    total = sum(size for _, size in sizes)
    return len(sizes) <= MAX_PARTS and total <= MAX_BYTES and converted <= MAX_CONVERTED_BYTES


@dataclass(frozen=True)
class Part:
    title: str  # the bookmark and the index line
    kind: str  # readable.kind_of(...)
    data: bytes


class _Page:
    """An fpdf2 document and the font that can print its text."""

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(True, margin=15)
        self.fonts = Fonts(self.pdf)
        self.pdf.add_page()

    def font(self, style: str, size: float) -> None:
        # The Unicode family has regular and bold only: a note is regular there.
        if self.fonts.unicode and style == "I":
            style = ""
        self.pdf.set_font(self.fonts.family, style, size)

    def text(self, value: str) -> str:
        return self.fonts.text(value)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _title(page: _Page, text: str, size: int = 16) -> None:
    page.font("B", size)
    page.pdf.multi_cell(0, size * 0.5, page.text(text), new_x="LMARGIN", new_y="NEXT")
    page.pdf.ln(2)
    page.font("", 11)


def _write_blocks(page: _Page, blocks: list[readable.Block]) -> None:
    pdf, t = page.pdf, page.text
    for block in blocks:
        if block.kind == "heading":
            pdf.ln(2)
            _title(page, block.text, max(11, 17 - 2 * block.level))
        elif block.kind in ("paragraph", "note"):
            page.font("I" if block.kind == "note" else "", 11)
            pdf.multi_cell(0, 5.5, t(block.english()), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            page.font("", 11)
        elif block.kind == "fields":
            for name, value in block.rows:
                page.font("B", 11)
                pdf.cell(22, 6, t(name + ":"))
                page.font("", 11)
                pdf.multi_cell(0, 6, t(value), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind == "table":
            page.font("", 9)
            with pdf.table(first_row_as_headings=len(block.rows) > 1) as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(t(value))
            pdf.ln(2)
            page.font("", 11)


def part_pdf(part: Part) -> bytes:
    """One document as PDF pages (a PDF as it is; anything unreadable as a page saying so)."""
    if part.kind in ("pdf", "scan"):
        return part.data
    page = _Page()
    _title(page, part.title)
    try:
        if part.kind in ("png", "jpeg", "jpg"):
            page.pdf.image(io.BytesIO(part.data), w=page.pdf.epw)
        else:
            blocks = readable.blocks(part.data, part.kind)
            if not blocks:
                raise ValueError("no readable content")
            _write_blocks(page, blocks)
    except Exception:  # noqa: BLE001 - one odd file must not sink the whole PDF
        page = _Page()
        _title(page, part.title)
        page.pdf.multi_cell(
            0, 6, "This document cannot be shown in this PDF. It is in the zip file, as it is.",
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
    return page.output()


def _index_pdf(heading: str, lines: list[tuple[str, int]]) -> bytes:
    page = _Page()
    _title(page, heading, 18)
    pdf = page.pdf
    pdf.multi_cell(
        0, 6, "The documents in this file, with the page each starts on:",
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.ln(2)
    for n, (title, start) in enumerate(lines, start=1):
        line = page.text(f"{n}. {title} - page {start}")
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return page.output()


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def build(heading: str, parts: list[Part], path: Path) -> int:
    """Write the combined PDF to ``path``; returns its page count."""
    from pypdf import PdfReader, PdfWriter

    converted = []
    for part in parts:
        data = part_pdf(part)
        try:
            PdfReader(io.BytesIO(data)).pages[0]
        except Exception:  # noqa: BLE001 - a PDF pypdf cannot read: say so on a page instead
            data = part_pdf(Part(part.title, "broken", b""))
        converted.append(data)
    counts = [_pages(d) for d in converted]
    # The index's own length does not depend on the page numbers it prints, so lay it out once
    # to count its pages, then again with the real numbers.
    index_pages = _pages(_index_pdf(heading, [(p.title, 1) for p in parts]))
    starts, page = [], index_pages + 1
    for count in counts:
        starts.append(page)
        page += count
    index = _index_pdf(heading, [(p.title, s) for p, s in zip(parts, starts, strict=True)])
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(index)), import_outline=False)
    for part, data, start in zip(parts, converted, starts, strict=True):
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        writer.add_outline_item(title=part.title, page_number=start - 1)
    writer.add_metadata({"/Title": heading})
    with path.open("wb") as out:
        writer.write(out)
    return page - 1
