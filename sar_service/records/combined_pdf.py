"""The released documents as one PDF: an index page, then each document, one bookmark each.

Phones open a PDF without any extra app, unlike a zip. PDFs are copied in as they are;
photos become a page each; text, Word, email and spreadsheet documents are printed from
their readable structure (``records.readable``) with fpdf2, then everything is merged with
pypdf. fpdf2's core fonts are Latin-1, so text goes through ``pdf_text.latin1``
as the oversight report's does (the original files stay in the zip, exact).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from sar_service.pdf_text import latin1
from sar_service.records import readable

PAGE_FONT = "Helvetica"
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


def _new_pdf():
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    return pdf


def _title(pdf, text: str, size: int = 16) -> None:
    pdf.set_font(PAGE_FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(PAGE_FONT, "", 11)


def _write_blocks(pdf, blocks: list[readable.Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            pdf.ln(2)
            _title(pdf, block.text, max(11, 17 - 2 * block.level))
        elif block.kind in ("paragraph", "note"):
            pdf.set_font(PAGE_FONT, "I" if block.kind == "note" else "", 11)
            pdf.multi_cell(0, 5.5, latin1(block.english()), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.set_font(PAGE_FONT, "", 11)
        elif block.kind == "fields":
            for name, value in block.rows:
                pdf.set_font(PAGE_FONT, "B", 11)
                pdf.cell(22, 6, latin1(name + ":"))
                pdf.set_font(PAGE_FONT, "", 11)
                pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind == "table":
            pdf.set_font(PAGE_FONT, "", 9)
            with pdf.table(first_row_as_headings=len(block.rows) > 1) as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(latin1(value))
            pdf.ln(2)
            pdf.set_font(PAGE_FONT, "", 11)


def part_pdf(part: Part) -> bytes:
    """One document as PDF pages (a PDF as it is; anything unreadable as a page saying so)."""
    if part.kind in ("pdf", "scan"):
        return part.data
    pdf = _new_pdf()
    _title(pdf, part.title)
    try:
        if part.kind in ("png", "jpeg", "jpg"):
            pdf.image(io.BytesIO(part.data), w=pdf.epw)
        else:
            blocks = readable.blocks(part.data, part.kind)
            if not blocks:
                raise ValueError("no readable content")
            _write_blocks(pdf, blocks)
    except Exception:  # noqa: BLE001 - one odd file must not sink the whole PDF
        pdf = _new_pdf()
        _title(pdf, part.title)
        pdf.multi_cell(
            0, 6, "This document cannot be shown in this PDF. It is in the zip file, as it is.",
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
    return bytes(pdf.output())


def _index_pdf(heading: str, lines: list[tuple[str, int]]) -> bytes:
    pdf = _new_pdf()
    _title(pdf, heading, 18)
    pdf.multi_cell(
        0, 6, "The documents in this file, with the page each starts on:",
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.ln(2)
    for n, (title, page) in enumerate(lines, start=1):
        pdf.multi_cell(0, 6, latin1(f"{n}. {title} - page {page}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


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
    writer.add_metadata({"/Title": latin1(heading)})
    with path.open("wb") as out:
        writer.write(out)
    return page - 1
