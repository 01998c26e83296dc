"""A released document as plain structure (headings, paragraphs, tables, header fields) that a
phone can show as an accessible page and the combined PDF can print.

Never HTML: the blocks are text, and the template that shows them escapes every character,
so a .docx or .eml carrying ``<script>`` shows the words and runs nothing. PDFs and images
are not converted (they are shown as they are); ``blocks`` returns [] for them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser

from sar_service.i18n.text import N_
from sar_service.records.extract import (
    csv_dialect,
    decode_text,
    email_body_text,
    html_to_text,
    open_docx,
)

#: Shown as they are (inline in the browser), never converted.
AS_IS = {"pdf": "application/pdf", "scan": "application/pdf", "png": "image/png",
         "jpeg": "image/jpeg", "jpg": "image/jpeg"}  # fmt: skip
#: Converted to blocks.
CONVERTED = ("txt", "csv", "eml", "html", "docx", "xlsx")
EMAIL_FIELDS = ("From", "To", "Cc", "Date", "Subject")
#: A sheet or CSV longer than this is cut short on the page (the file itself is complete).
MAX_ROWS = 2000


@dataclass(frozen=True)
class Block:
    """``kind``: "heading" (with ``level``), "paragraph", "table" (``rows``, first is the
    header), "fields" (``rows`` of name, value) or "note": said by us, not the document, so
    its ``text`` is a message id translated with ``params`` where it is shown."""

    kind: str
    text: str = ""
    level: int = 2
    rows: tuple[tuple[str, ...], ...] = field(default=())
    params: tuple[tuple[str, str], ...] = field(default=())

    def english(self) -> str:
        return self.text % dict(self.params) if self.params else self.text


def kind_of(file_kind: str, filename: str) -> str:
    """The rendering kind: the recorded file kind, else the name's suffix."""
    kind = (file_kind or "").lower().lstrip(".")
    if kind in AS_IS or kind in CONVERTED:
        return kind
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    return suffix if suffix in AS_IS or suffix in CONVERTED else kind


def blocks(data: bytes, kind: str) -> list[Block]:
    """The readable structure of ``data`` (raises ValueError if it cannot be read)."""
    reader = _READERS.get(kind)
    if reader is None:
        return []
    return reader(data)


def _paragraphs(text: str) -> list[Block]:
    """Paragraphs split on blank lines; line breaks inside one are kept by the page's CSS."""
    chunks = [c.strip("\n") for c in text.replace("\r\n", "\n").split("\n\n")]
    return [Block("paragraph", c) for c in chunks if c.strip()]


def _txt(data: bytes) -> list[Block]:
    return _paragraphs(decode_text(data))


def _html(data: bytes) -> list[Block]:
    return _paragraphs(html_to_text(decode_text(data)).replace("\n", "\n\n"))


def _table(rows: list[list[str]]) -> list[Block]:
    rows = [r for r in rows if any(c.strip() for c in r)]
    notes = []
    if len(rows) > MAX_ROWS:
        notes = [
            Block(
                "note",
                N_("Only the first %(count)s rows are shown here."),
                params=(("count", str(MAX_ROWS)),),
            )  # fmt: skip
        ]
        rows = rows[:MAX_ROWS]
    if not rows:
        return [Block("note", N_("This table is empty."))]
    width = max(len(r) for r in rows)
    padded = tuple(tuple(r) + ("",) * (width - len(r)) for r in rows)
    return [Block("table", rows=padded), *notes]


def _csv(data: bytes) -> list[Block]:
    text = decode_text(data)
    return _table(list(csv.reader(io.StringIO(text), csv_dialect(text))))


def _xlsx(data: bytes) -> list[Block]:
    from openpyxl import load_workbook

    from sar_service.zipcheck import bomb_reason

    if why := bomb_reason(data):
        raise ValueError(f"not opened: {why}")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for bad files
        raise ValueError("not a readable spreadsheet") from exc
    out: list[Block] = []
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else str(v) for v in row])
            if len(rows) > MAX_ROWS:
                break
        out.append(Block("heading", sheet.title, level=2))
        out.extend(_table(rows))
    book.close()
    return out


def _eml(data: bytes) -> list[Block]:
    message = BytesParser(policy=policy.default).parsebytes(data)
    fields = tuple((name, str(message[name])) for name in EMAIL_FIELDS if message[name] is not None)
    out = [Block("fields", rows=fields)] if fields else []
    text, is_html = email_body_text(message)
    if text:
        out.extend(_paragraphs(text.replace("\n", "\n\n") if is_html else text))
    names = [str(p.get_filename()) for p in message.iter_attachments() if p.get_filename()]
    if names:
        out.append(
            Block(
                "note",
                N_("Attachments (not shown here): %(names)s"),
                params=(("names", ", ".join(names)),),
            )  # fmt: skip
        )
    return out


def _docx(data: bytes) -> list[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = open_docx(data)
    out: list[Block] = []
    for part in document.iter_inner_content():
        if isinstance(part, Paragraph):
            text = part.text.strip()
            if not text:
                continue
            style = (part.style.name if part.style is not None else "") or ""
            if style == "Title":
                out.append(Block("heading", text, level=2))
            elif style.startswith("Heading ") and style[8:].isdigit():
                out.append(Block("heading", text, level=min(int(style[8:]) + 1, 6)))
            else:
                out.append(Block("paragraph", text))
        elif isinstance(part, Table):
            rows = [[cell.text.strip() for cell in row.cells] for row in part.rows]
            out.extend(_table(rows))
    return out


_READERS = {"txt": _txt, "csv": _csv, "eml": _eml, "html": _html, "docx": _docx, "xlsx": _xlsx}
