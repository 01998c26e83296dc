"""A case whose disclosure bundle was really built (RQ worker) and released by the DPO, holding
one document of each kind a parent reads in the portal. Shared by the release tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document as WordDocument
from sqlalchemy import select

from sar_service.cases import machine
from sar_service.models import Case, Document
from sar_service.models.review import Bundle
from sar_service.portal.links import portal_path
from sar_service.records import documents, review
from tests.records.helpers import text_pdf

INJECTION = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


def report_docx() -> bytes:
    """A Word document with a title, a heading, a paragraph, a table and a script tag."""
    word = WordDocument()
    word.add_heading("Annual review", level=1)
    word.add_paragraph("Progress has been steady this year.")
    word.add_heading("Marks", level=2)
    table = word.add_table(rows=3, cols=2)
    marks = [("Subject", "Mark"), ("Maths", "7"), ("Art", "9")]
    for row, (a, b) in zip(table.rows, marks, strict=True):
        row.cells[0].text, row.cells[1].text = a, b
    word.add_paragraph(INJECTION)
    word.add_paragraph("See https://records.oakfield.example/" + "reports/annual" * 12)  # long
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


EML = (
    "From: Class Teacher <teacher@oakfield.example>\r\n"
    "To: Office <office@oakfield.example>\r\n"
    "Date: Mon, 2 Mar 2026 09:15:00 +0000\r\n"
    "Subject: Trip <b>plan</b>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    f"The trip is on Friday.\r\n\r\n{INJECTION}\r\n"
).encode()

FILES = {
    "report.docx": report_docx(),
    "message.eml": EML,
    "marks.csv": b"Subject,Mark\r\nMaths,7\r\nScience,8\r\n",
    "note.txt": b"First line\nsecond line\n\nAnother paragraph.\n",
    "attendance.pdf": text_pdf("Attendance summary\nPresent 180 days"),
}


@dataclass
class Released:
    case: Case
    bundle: Bundle
    link: str  # the portal path


def released_case(app, db, factory, oak, run_worker, received=date(2026, 3, 2)) -> Released:
    case = factory.case(oak.school, received)
    for name, data in FILES.items():
        doc = documents.add_gathered(db, case, data, name, source_name="Office", created_by="test")
        rows = review.decisions(db, doc)
        review.decide(db, doc, {r.key: "rejected" for r in rows}, "test")
    for action in ("verify_identity", "start_review"):
        machine.apply(db, case, machine.Request(action), machine.Actor.system("test"))
    db.commit()
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    built = oak.web(app, "caseworker").post(f"{base}/bundle")
    assert built.status_code == 302, built.text
    run_worker()
    machine.apply(db, case, machine.Request("submit_for_signoff"), machine.Actor.system("test"))
    db.commit()
    db.expire_all()
    bundle = db.scalar(select(Bundle).where(Bundle.case_id == case.id))
    assert bundle.status == "ready", bundle.error
    released = oak.web(app, "dpo").post(f"{base}/bundle/{bundle.id}/release")
    assert released.status_code == 302, released.text
    db.expire_all()
    with app.test_request_context():
        link = portal_path(case)
    return Released(case, bundle, link)


def document_named(db, case: Case, name: str) -> Document:
    return db.scalar(select(Document).where(Document.case_id == case.id, Document.filename == name))
