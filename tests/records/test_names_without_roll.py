"""With no roll imported, names are still found, the review page says so, and the bundle is clean.

Quoted finding: "with an empty roll, a document naming three other pupils and
another parent got no name suggestions at all, the review page gave no
warning, and the built bundle contained every name".
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from sqlalchemy import select

from sar_service.models.review import Bundle, RedactionDecision
from sar_service.records import bundle, documents
from sar_service.storage import storage

NOTE = (
    "Lunchtime report for Amelia Hart.\n"
    "Amelia was sitting with Jake Turner, Priya Sharma and Oliver Bennett when the row started.\n"
    "Oliver's mother, Mrs Bennett, came in at 3pm and spoke to Mrs Hart.\n"
)
OTHERS = ("Jake Turner", "Priya Sharma", "Oliver Bennett", "Mrs Bennett")


def test_empty_roll_still_finds_names_warns_and_bundle_is_clean(app, db, factory, oak, run_worker):
    case = factory.case(oak.school, date(2026, 3, 2))
    doc = documents.add_gathered(
        db, case, NOTE.encode(), "lunch.txt", source_name="Staff", created_by="test"
    )
    db.commit()
    rows = db.scalars(select(RedactionDecision).where(RedactionDecision.document_id == doc.id))
    found = {r.text: r for r in rows}
    assert set(OTHERS) <= set(found), sorted(found)
    assert not {"Amelia Hart", "Amelia", "Mrs Hart"} & set(found)

    caseworker = oak.web(app, "caseworker")
    page = caseworker.get(f"/staff/cases/{oak.school.slug}/{case.reference}/review").text
    assert "No roll has been imported" in page

    choices = {f"d-{r.key}": "accepted" for r in found.values()}
    url = f"/staff/cases/{oak.school.slug}/{case.reference}/review/{doc.id}"
    assert caseworker.post(url, choices).status_code == 302
    assert caseworker.post(f"/staff/cases/{oak.school.slug}/{case.reference}/bundle").status_code
    run_worker()
    db.expire_all()
    built = db.scalar(select(Bundle).where(Bundle.case_id == case.id))
    assert built.status == "ready", built.error
    from sar_service.models import Document

    data = b"".join(storage(app).iter_chunks(db.get(Document, built.document_id).storage_key))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.startswith("documents/")]
        text = "\n".join(zf.read(n).decode("utf-8", "replace") for n in names)
    assert "Amelia Hart" in text
    for name in OTHERS:
        assert name not in text
    assert bundle is not None


def test_review_page_quotes_the_document_only_to_roles_that_read_documents(app, db, factory, oak):
    """Issue 12 item 10: "the redaction review page shows document text to viewers"."""
    case = factory.case(oak.school, date(2026, 3, 2))
    doc = documents.add_gathered(
        db, case, NOTE.encode(), "lunch.txt", source_name="Staff", created_by="test"
    )
    db.commit()
    url = f"/staff/cases/{oak.school.slug}/{case.reference}/review/{doc.id}"
    viewer = oak.web(app, "viewer").get(url)
    assert viewer.status_code == 200, "the matrix lets viewers follow the review"
    for words in ("Jake Turner", "sitting with", "Lunchtime report"):
        assert words not in viewer.text
    caseworker = oak.web(app, "caseworker").get(url)
    assert "Jake Turner" in caseworker.text and "sitting with" in caseworker.text
