"""Sample files for records tests: real .docx and PDF bytes, and page scraping helpers."""

from __future__ import annotations

import io
import re

from docx import Document as WordDocument

REF_RE = r"SAR-\d{4}-\d{4}"


def docx_bytes(*paragraphs: str) -> bytes:
    doc = WordDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in WordDocument(io.BytesIO(data)).paragraphs)


def pdf_bytes(label: str = "scan") -> bytes:
    """A small but real PDF (one empty page) with a distinguishing comment."""
    return (
        b"%PDF-1.4\n% " + label.encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def links(html: str, pattern: str) -> list[str]:
    return re.findall(r'href="(' + pattern + r')"', html)


def text_pdf(*pages: str, author: str = "", password: str = "", note: str = "") -> bytes:
    """A real text PDF (one string per page, lines split on newlines), made with PyMuPDF."""
    import pymupdf

    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        y = 72
        for line in text.split("\n"):
            page.insert_text((72, y), line, fontsize=11)
            y += 16
        if note:
            page.add_text_annot((400, 72), note)
    if author:
        doc.set_metadata({"author": author, "title": f"Notes by {author}"})
    options = {}
    if password:
        options = {
            "encryption": pymupdf.PDF_ENCRYPT_AES_256,
            "user_pw": password,
            "owner_pw": password,
        }
    data = doc.tobytes(**options)
    doc.close()
    return data


def pdf_plain_text(data: bytes) -> str:
    """Every string pypdf (a different library from the one that redacts) can read back."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() or "" for page in reader.pages]
    meta = reader.metadata or {}
    texts += [str(v) for v in meta.values()]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            texts.append(str(annot.get_object().get("/Contents", "")))
    return "\n".join(texts)
