"""What the ``letter`` notification kind puts in its email: the letter as HTML and text, with
the frozen ``.docx`` and a PDF of it attached (``notify.kinds`` calls these lazily)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sar_service.models import Case, Document
from sar_service.models.notification import Notification

from .kinds import get_kind
from .pdf import PDF, letter_pdf
from .reading import read, stored_bytes, to_html


def _document(session: Session, n: Notification) -> Document:
    document = session.get(Document, int((n.data or {})["document_id"]))
    if document is None or document.kind != "letter":
        raise LookupError(f"notification {n.id}: its letter no longer exists")
    return document


def context(session: Session, n: Notification, case: Case | None) -> dict[str, Any]:
    from sar_service.i18n.languages import get as language_of

    document = _document(session, n)
    letter = read(stored_bytes(document))
    code = case.language if case is not None else "en"
    return {
        "letter_title": get_kind(document.letter_kind).title,
        "letter_html": to_html(letter, language=code),
        "letter_text": letter.text,
        "language": language_of(code),
    }


def attachments(session: Session, n: Notification, case: Case | None) -> list[Any]:
    from sar_service.mail import Attachment

    document = _document(session, n)
    data = stored_bytes(document)
    pdf_name = document.filename.rsplit(".", 1)[0] + ".pdf"
    return [
        Attachment(document.filename, document.content_type, data),
        Attachment(pdf_name, PDF, letter_pdf(read(data))),
    ]
