"""Plain text out of uploaded records, and redacted copies that map offsets back to the source.

Suggestions are made on the text that :func:`extract_text` returns, so every format keeps a map
from that text back to where it came from (CSV cells, Word paragraphs). Redaction always re-derives
the same text first and refuses stale offsets, so a redacted copy never misses its target.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser

from sar_service.records.redaction import (
    Suggestion,
    apply_redactions,
    check_suggestions,
    redaction_spans,
    replace_spans,
)

TEXT_KINDS = ("txt", "eml", "csv", "html", "docx")
#: "scan" is a PDF without a text layer (see ``file_kind``); text PDFs are redacted by the service.
MANUAL_KINDS = ("scan", "png", "jpg", "jpeg", "gif", "tif", "tiff", "bmp", "webp", "heic")
_EMAIL_HEADERS = ("From", "To", "Cc", "Subject", "Date")
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "title", "tr", "ul",
}  # fmt: skip
_HIDDEN_TAGS = {"script", "style", "template"}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source"}

_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

Span = tuple[int, int, str]


def _kind(kind: str) -> str:
    return kind.lower().lstrip(".")


def needs_manual_redaction(kind: str) -> bool:
    """Scanned PDFs and images carry text we cannot reliably find, so a person must redact them."""
    return _kind(kind) in MANUAL_KINDS


def file_kind(data: bytes, kind: str) -> str:
    """The kind to record for a gathered file: a PDF without text becomes "scan".

    Raises ``pdf.PdfProblem`` (a ValueError) for a password-protected or broken PDF.
    """
    if _kind(kind) == "pdf":
        from sar_service.records.pdf import is_scanned

        return "scan" if is_scanned(data) else "pdf"
    return _kind(kind)


def decode_text(data: bytes) -> str:
    """UTF-8 first; school exports from older Windows systems are often Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------- HTML


class _TextParser(HTMLParser):
    """Collects what a reader would see: no scripts, styles or elements marked hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag:
            self._skip_depth += tag == self._skip_tag
            return
        style = (dict(attrs).get("style") or "").replace(" ", "").lower()
        hidden = any(name == "hidden" for name, _ in attrs) or "display:none" in style
        if (tag in _HIDDEN_TAGS or hidden) and tag not in _VOID_TAGS:
            self._skip_tag, self._skip_depth = tag, 1
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")
        elif tag in ("td", "th"):
            self.chunks.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag:
            self._skip_depth -= tag == self._skip_tag
            if self._skip_depth <= 0:
                self._skip_tag = None
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_tag:
            self.chunks.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block per line."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.chunks).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- email


def _email_text(data: bytes) -> str:
    """Headers that identify people, then the readable body; attachments are separate uploads."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    lines = [f"{name}: {message[name]}" for name in _EMAIL_HEADERS if message[name] is not None]
    text, _html = email_body_text(message)
    return "\n".join(lines) + "\n\n" + text.strip("\n")


def email_body_text(message) -> tuple[str, bool]:
    """An email's readable body as text (HTML turned to text), and whether it was HTML.

    A body in an unknown or broken charset is decoded as UTF-8 with replacements rather
    than failing: an odd message must not stop a gathering or a reading page."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", False
    try:
        text = body.get_content()
    except (LookupError, UnicodeError):
        payload = body.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    is_html = body.get_content_subtype() == "html"
    return (html_to_text(text) if is_html else text), is_html


# ---------------------------------------------------------------- CSV


def csv_dialect(text: str, delimiters: str = ",;\t|"):
    """The CSV dialect sniffed from the start of ``text``; Excel's if it cannot be told."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=delimiters)
    except csv.Error:
        return csv.excel


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    return list(csv.reader(io.StringIO(text), csv_dialect(text)))


def _csv_layout(rows: list[list[str]]) -> tuple[str, list[list[int]]]:
    """The text (cells joined with ", ", rows with newlines) and each cell's offset in it."""
    pieces: list[str] = []
    offsets: list[list[int]] = []
    pos = 0
    for r, row in enumerate(rows):
        if r:
            pieces.append("\n")
            pos += 1
        starts = []
        for c, cell in enumerate(row):
            if c:
                pieces.append(", ")
                pos += 2
            starts.append(pos)
            pieces.append(cell)
            pos += len(cell)
        offsets.append(starts)
    return "".join(pieces), offsets


def _clip(spans: list[Span], start: int, end: int) -> list[Span]:
    """The part of each span inside [start, end), in that segment's own coordinates."""
    out = []
    for s, e, label in spans:
        if s < end and start < e:
            out.append((max(s, start) - start, min(e, end) - start, label))
    return out


def _redact_csv(data: bytes, accepted: list[Suggestion]) -> bytes:
    """Redact cell by cell so the copy is still a CSV with the same rows and columns."""
    rows = _csv_rows(data)
    text, offsets = _csv_layout(rows)
    check_suggestions(text, accepted)
    spans = redaction_spans(accepted)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row, starts in zip(rows, offsets, strict=True):
        cells = [
            replace_spans(cell, _clip(spans, start, start + len(cell)))
            for cell, start in zip(row, starts, strict=True)
        ]
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- Word


def open_docx(data: bytes):
    from docx import Document  # imported here: only Word uploads need python-docx

    from sar_service.zipcheck import bomb_reason

    if why := bomb_reason(data):  # files stored before uploads were checked, too
        raise ValueError(f"not opened: {why}")
    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for bad files
        raise ValueError("not a readable .docx file") from exc


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _block_paragraphs(container) -> Iterator:
    """Paragraphs of a body, cell or header in reading order, descending into tables."""
    for child in container.iterchildren():
        if child.tag == _w("p"):
            yield child
        elif child.tag == _w("tbl"):
            for row in child.iterchildren(_w("tr")):
                for cell in row.iterchildren(_w("tc")):
                    yield from _block_paragraphs(cell)
        elif child.tag in (_w("sdt"), _w("sdtContent"), _w("customXml")):
            yield from _block_paragraphs(child)


def _docx_paragraphs(document) -> list:
    """Body, text boxes, then headers and footers: everywhere a name could be read."""
    body = document.element.body
    paragraphs = list(_block_paragraphs(body))
    for box in body.iter(_w("txbxContent")):
        paragraphs += _block_paragraphs(box)
    for section in document.sections:
        for part in (
            section.header, section.footer, section.first_page_header,
            section.first_page_footer, section.even_page_header, section.even_page_footer,
        ):  # fmt: skip
            if not part.is_linked_to_previous:
                paragraphs += _block_paragraphs(part._element)
    return paragraphs


def _runs(paragraph) -> list:
    """Runs whose text is visible, including those inside hyperlinks and tracked insertions.

    Runs of a text box anchored in this paragraph belong to the box's own paragraphs.
    """
    depth = int(paragraph.xpath("count(ancestor::w:txbxContent)"))
    return paragraph.xpath(
        ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom)"
        f" and count(ancestor::w:txbxContent) = {depth}]"
    )


def _docx_layout(document) -> tuple[str, list[tuple[int, int, object]]]:
    """Paragraph texts joined with newlines, and each paragraph's start and length."""
    pieces, layout, pos = [], [], 0
    for paragraph in _docx_paragraphs(document):
        text = "".join(run.text for run in _runs(paragraph))
        layout.append((pos, len(text), paragraph))
        pieces.append(text)
        pos += len(text) + 1
    return "\n".join(pieces), layout


def _redact_paragraph(paragraph, spans: list[Span]) -> None:
    """Rewrite the runs a span touches: the label goes in the first run, keeping its formatting.

    Spans are handled last to first, so each edit only changes text after the positions that
    earlier spans still need; a name split over several runs is removed from all of them.
    """
    runs = _runs(paragraph)
    lengths = [len(run.text) for run in runs]
    bounds = [sum(lengths[:i]) for i in range(len(runs))]
    for start, end, label in reversed(spans):
        touched = [
            i
            for i in range(len(runs))
            if lengths[i] and bounds[i] < end and start < bounds[i] + lengths[i]
        ]
        for i in reversed(touched):
            run, offset = runs[i], bounds[i]
            text = run.text
            head = text[: max(start - offset, 0)]
            tail = text[end - offset :] if end - offset < len(text) else ""
            run.text = head + (label if i == touched[0] else "") + tail


def _scrub_docx(document, accepted: list[Suggestion]) -> None:
    """Remove hidden copies of redacted text: tracked deletions, comments, links, properties."""
    body = document.element.body
    for tag in ("del", "moveFrom", "commentRangeStart", "commentRangeEnd", "commentReference"):
        for element in list(body.iter(_w(tag))):
            element.getparent().remove(element)
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/comments"):
            del part.rels[rel_id]
    texts = [s.text.lower() for s in accepted]
    _unlink_redacted(document, texts)
    for instr in body.iter(_w("instrText")):
        if any(t in (instr.text or "").lower() for t in texts):
            instr.text = " "
    props = document.core_properties
    props.author = props.last_modified_by = props.comments = ""
    for name in ("title", "subject", "keywords", "category"):
        value = getattr(props, name) or ""
        setattr(props, name, "" if any(t in value.lower() for t in texts) else value)


def _unlink_redacted(document, texts: list[str]) -> None:
    """A redacted link must not keep its target: "mailto:" would disclose the address."""
    body, part = document.element.body, document.part
    dropped = set()
    for link in body.iter(_w("hyperlink")):
        rel_id = link.get(_R_ID)
        rel = part.rels.get(rel_id) if rel_id else None
        target = rel.target_ref.lower() if rel is not None and rel.is_external else ""
        visible = "".join(run.text for run in link.iter(_w("r")))
        if rel_id and ("[REDACTED" in visible or any(t in target for t in texts)):
            link.attrib.pop(_R_ID)
            link.attrib.pop(_w("tooltip"), None)
            dropped.add(rel_id)
    in_use = {v for el in part.element.iter() for k, v in el.attrib.items() if k == _R_ID}
    for rel_id in dropped - in_use:
        del part.rels[rel_id]


def _redact_docx(data: bytes, accepted: list[Suggestion]) -> bytes:
    document = open_docx(data)
    text, layout = _docx_layout(document)
    check_suggestions(text, accepted)
    spans = redaction_spans(accepted)
    for start, length, paragraph in layout:
        local = _clip(spans, start, start + length)
        if local:
            _redact_paragraph(paragraph, local)
    _scrub_docx(document, accepted)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- public API


def extract_text(data: bytes, kind: str) -> str:
    """The text suggestions are made on; its offsets are what a redaction refers to."""
    kind = _kind(kind)
    if kind == "txt":
        return decode_text(data)
    if kind == "eml":
        return _email_text(data)
    if kind == "csv":
        return _csv_layout(_csv_rows(data))[0]
    if kind in ("html", "htm"):
        return html_to_text(decode_text(data))
    if kind == "docx":
        return _docx_layout(open_docx(data))[0]
    if kind == "pdf":
        from sar_service.records.pdf import pdf_text

        return pdf_text(data)
    if needs_manual_redaction(kind):
        raise ValueError(f"{kind} files need manual redaction")
    raise ValueError(f"unsupported file kind: {kind}")


def redact_document(data: bytes, kind: str, accepted: list[Suggestion]) -> tuple[bytes, str]:
    """A redacted copy and its kind: Word, CSV and PDF stay as they were, the rest become text."""
    kind = _kind(kind)
    if kind == "docx":
        return _redact_docx(data, accepted), "docx"
    if kind == "csv":
        return _redact_csv(data, accepted), "csv"
    if kind == "pdf":
        from sar_service.records.pdf import pdf_text, redact_pdf

        text = pdf_text(data)
        check_suggestions(text, accepted)
        return redact_pdf(data, redaction_spans(accepted), text), "pdf"
    text = apply_redactions(extract_text(data, kind), accepted)
    return text.encode("utf-8"), "txt"
