"""A sent letter, readable on the parent's page.

``letter_html`` belongs to branch ``letters`` (``sar_service.letters.reading``). Until
that is merged, ``_fallback_letter_html`` reads the stored .docx's paragraphs with
python-docx: the lead replaces it by the shared function.
"""

from __future__ import annotations

from io import BytesIO

from markupsafe import Markup, escape

from sar_service.models import Document
from sar_service.storage import storage


def letter_html(document: Document) -> Markup:
    try:
        from sar_service.letters.reading import letter_html as shared  # type: ignore[import-not-found]
    except ImportError:
        return _fallback_letter_html(document)
    return shared(document)


def _fallback_letter_html(document: Document) -> Markup:
    """FALLBACK until ``letters.reading.letter_html`` is merged: one <p> per paragraph."""
    from docx import Document as Docx

    data = storage().get(document.storage_key)
    paragraphs = [p.text for p in Docx(BytesIO(data)).paragraphs if p.text.strip()]
    return Markup("\n").join(Markup("<p>%s</p>") % escape(text) for text in paragraphs)
