"""Letters fixtures: the staff workspace's signed-in web client, and helpers that open
a stored letter the way a member of staff would (download it, open it in Word)."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from sar_service.letters.render import letter_text
from sar_service.models import Document
from tests.browser_support import _playwright, browser, live_server, page  # noqa: F401
from tests.staff.conftest import Team, Web, enrol, sign_in_as, team, web  # noqa: F401


class Opened:
    """A stored letter read back: its row, the python-docx document and its text."""

    def __init__(self, row: Document, data: bytes):
        self.row, self.data = row, data
        self.document = docx.Document(io.BytesIO(data))
        self.text = letter_text(data)
        self.flat = " ".join(self.text.split())


def open_letter(app, row: Document) -> Opened:
    from sar_service.storage import storage

    return Opened(row, storage(app).get(row.storage_key))


def letters(db, case_id: int, kind: str | None = None) -> list[Document]:
    db.expire_all()
    query = select(Document).where(Document.case_id == case_id, Document.kind == "letter")
    if kind:
        query = query.where(Document.letter_kind == kind)
    return list(db.scalars(query.order_by(Document.id)))


@pytest.fixture
def letterhead_school(factory):
    """A school with a full letterhead."""
    return factory.school(
        "oakfield",
        address="12 Oakfield Lane\nOakfield\nNS4 7QT",
        phone="01632 960123",
        email="office@oakfield.example",
        dpo_name="Priya Shah",
        dpo_email="dpo@oakfield.example",
    )
