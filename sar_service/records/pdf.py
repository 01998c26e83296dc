"""PDFs: the text of a text PDF, and redacted copies from which the text is really gone.

Redaction uses PyMuPDF's redaction annotations, which remove the text, the
parts of images and the vector graphics under each box from the page content
itself (not a black box drawn on top). Then every other annotation and form
field is removed, the document metadata and XMP are cleared, and the file is
rewritten without unused objects, so nothing redacted survives elsewhere.

A PDF with no text layer (a scan) cannot be redacted this way: it is flagged
for manual redaction. A password-protected PDF is refused with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterable

PAGE_BREAK = "\n\f\n"
#: Fewer characters than this per page on average: a scan, not a text PDF.
MIN_TEXT_PER_PAGE = 20
ENCRYPTED = (
    "The PDF is password-protected, so it cannot be read or redacted. "
    "Ask for a copy without a password (or print it to a new PDF) and upload that."
)


class PdfProblem(ValueError):
    """A PDF we cannot read; the message is for the person who uploaded it."""


def _open(data: bytes):
    import pymupdf  # imported here: only PDFs need it

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own types for broken files
        raise PdfProblem("The PDF could not be opened; it may be damaged.") from exc
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise PdfProblem(ENCRYPTED)
    return doc


def _page_texts(doc) -> list[str]:
    return [page.get_text("text").replace("\f", " ") for page in doc]


def pdf_text(data: bytes) -> str:
    """Page texts joined with a form feed line; what suggestions' offsets refer to."""
    doc = _open(data)
    try:
        return PAGE_BREAK.join(_page_texts(doc))
    finally:
        doc.close()


def is_scanned(data: bytes) -> bool:
    """No usable text layer: a person has to redact it (raises PdfProblem if unreadable)."""
    doc = _open(data)
    try:
        pages = max(len(doc), 1)
        chars = sum(len(t.strip()) for t in _page_texts(doc))
        return chars < MIN_TEXT_PER_PAGE * pages
    finally:
        doc.close()


def _page_of(offsets: list[int], position: int) -> int:
    page = 0
    while page + 1 < len(offsets) and offsets[page + 1] <= position:
        page += 1
    return page


def _boxes(page, text: str, textpage) -> list:
    """Where ``text`` is on the page; word by word if it wraps across lines."""
    found = page.search_for(text, textpage=textpage)
    if found:
        return found
    words = [w for w in text.split() if len(w) > 1]
    per_word = [page.search_for(w, textpage=textpage) for w in words]
    return [box for boxes in per_word for box in boxes] if words and all(per_word) else []


def number_of_annots(page) -> int:
    return len(page.annot_xrefs())


def redact_pdf(data: bytes, spans: Iterable[tuple[int, int, str]], text: str) -> bytes:
    """A copy with every span of ``text`` (from ``pdf_text``) removed; raises if one is not found.

    Every occurrence of a redacted string on its page is removed, so a name that
    appears twice on a page never survives in one place.
    """
    import pymupdf

    doc = _open(data)
    try:
        texts = _page_texts(doc)
        offsets, pos = [], 0
        for t in texts:
            offsets.append(pos)
            pos += len(t) + len(PAGE_BREAK)
        targets: dict[int, set[str]] = {}
        for start, end, _label in spans:
            targets.setdefault(_page_of(offsets, start), set()).add(text[start:end].strip())
        for number, wanted in targets.items():
            page = doc[number]
            textpage = page.get_textpage()
            boxes = {}
            for target in sorted(wanted):
                found = _boxes(page, target, textpage)
                if not found:
                    raise PdfProblem(f"“{target}” could not be located on the page to redact it")
                for box in found:
                    boxes[tuple(round(v, 1) for v in box)] = box
            for box in boxes.values():
                page.add_redact_annot(box, fill=(0, 0, 0))
        for page in doc:
            if number_of_annots(page):
                page.apply_redactions(
                    images=pymupdf.PDF_REDACT_IMAGE_PIXELS if page.get_images() else 0,
                    graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                )
            for annot in list(page.annots() or []):
                page.delete_annot(annot)
            for widget in list(page.widgets() or []):
                page.delete_widget(widget)
            for link in page.get_links():
                page.delete_link(link)
        doc.set_metadata({})
        doc.del_xml_metadata()
        for name in doc.embfile_names():
            doc.embfile_del(name)
        return doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True)
    finally:
        doc.close()
