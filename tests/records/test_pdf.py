"""Text PDFs are read and redacted for real; scans are flagged; password-protected PDFs refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from sar_service.models.inventory import GatheredDocument
from sar_service.models.review import RedactionDecision
from sar_service.records import documents, review
from sar_service.records.extract import extract_text, redact_document
from sar_service.records.filecheck import FileProblem
from sar_service.records.redaction import suggest_redactions
from sar_service.storage import storage
from tests.records.helpers import pdf_bytes, pdf_plain_text, text_pdf

PAGE_1 = (
    "Incident report about Amelia Hart\n"
    "Jake Turner pushed Amelia near the climbing frame.\n"
    "Witness: Zofia Nowak, whose father is on 07700 900123."
)
PAGE_2 = "Follow-up: Mrs Bennett spoke to Jake Turner's mother.\nAmelia is fine."


def test_redacted_pdf_no_longer_contains_any_redacted_string():
    data = text_pdf(PAGE_1, PAGE_2, author="Priya Sharma", note="Ask Oliver Bennett")
    text = extract_text(data, "pdf")
    assert "Zofia Nowak" in text and "Mrs Bennett" in text
    accepted = suggest_redactions(text, [], ["Amelia Hart", "Sarah Hart"])
    redacted = {s.text for s in accepted}
    assert {"Jake Turner", "Zofia Nowak", "07700 900123", "Mrs Bennett"} <= redacted
    copy, kind = redact_document(data, "pdf", accepted)
    assert kind == "pdf"
    left = pdf_plain_text(copy)
    for value in redacted | {"Priya Sharma", "Oliver Bennett"}:
        assert value not in left, value
    assert "Amelia Hart" in left and "climbing frame" in left


def test_scanned_pdf_is_flagged_and_encrypted_pdf_refused(db, factory, oak):
    case = factory.case(oak.school, date(2026, 3, 2))
    doc = documents.add_gathered(
        db, case, pdf_bytes(), "scan.pdf", source_name="Office", created_by="test"
    )
    assert db.get(GatheredDocument, doc.id).file_kind == "scan"
    with pytest.raises(FileProblem, match="password-protected"):
        documents.add_gathered(
            db, case, text_pdf(PAGE_1, password="s3cret"), "locked.pdf",
            source_name="Office", created_by="test",
        )  # fmt: skip


def test_text_pdf_goes_through_review_to_a_redacted_copy(db, factory, oak, app):
    case = factory.case(oak.school, date(2026, 3, 2))
    doc = documents.add_gathered(
        db, case, text_pdf(PAGE_1, PAGE_2), "report.pdf", source_name="Office", created_by="test"
    )
    rows = db.scalars(select(RedactionDecision).where(RedactionDecision.document_id == doc.id))
    review.decide(db, doc, {r.key: "accepted" for r in rows}, "test")
    copy = review.refresh_redacted_copy(db, case, doc)
    assert copy.filename == "report (redacted).pdf" and copy.content_type == "application/pdf"
    left = pdf_plain_text(storage(app).get(copy.storage_key))
    assert "Jake Turner" not in left and "Zofia Nowak" not in left and "Amelia Hart" in left
