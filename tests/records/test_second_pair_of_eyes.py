"""Safeguarding records need the DSL's sign-off; a school can require a second reviewer."""

from __future__ import annotations

from datetime import date

from sar_service.models.inventory import DataSource
from sar_service.models.review import Bundle
from sar_service.records import documents, gathering, release, review
from sar_service.records.documents import add_gathered


def test_safeguarding_document_waits_for_the_dsl(app, db, factory, oak):
    dsl = factory.staff(oak.school, "dsl", email="dsl@oakfield.example")
    case = factory.case(oak.school, date(2026, 3, 2))
    source = DataSource(school_id=oak.school.id, name="CPOMS", system_kind="safeguarding")
    db.add(source)
    db.flush()
    task = gathering.add_task(db, case, "", None, "test", source)
    doc = add_gathered(
        db, case, b"Chronology for Amelia Hart.\n", "chronology.txt",
        source_name="CPOMS", created_by="test", task=task,
    )  # fmt: skip
    plain = documents.add_gathered(
        db, case, b"Reading record for Amelia Hart.\n", "reading.txt",
        source_name="Office", created_by="test",
    )  # fmt: skip
    db.commit()
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    caseworker = oak.web(app, "caseworker")
    blocked = caseworker.post(f"{base}/bundle")
    assert blocked.status_code == 409
    assert "chronology.txt: safeguarding: needs sign-off by the designated" in blocked.text
    # Only the DSL signs off; a caseworker can tag another document but not sign it off.
    assert caseworker.post(f"{base}/review/{doc.id}/dsl-signoff").status_code == 403
    assert caseworker.post(f"{base}/review/{plain.id}/safeguarding").status_code == 302
    from tests.staff.conftest import Web

    dsl_web = Web(app, app.test_client())
    dsl_web.sign_in(dsl)
    page = dsl_web.get(f"{base}/review/{doc.id}").text
    assert "Sign off as DSL" in page
    for target in (doc, plain):
        assert dsl_web.post(f"{base}/review/{target.id}/dsl-signoff").status_code == 302
    db.expire_all()
    assert review.case_review(db, case).complete


def test_second_reviewer_release_rule(app, db, factory, oak, run_worker):
    case = factory.case(oak.school, date(2026, 3, 2))
    doc = documents.add_gathered(
        db, case, b"Amelia sat with Jake Turner.\n", "note.txt", source_name="Office",
        created_by="test",
    )  # fmt: skip
    caseworker = f"{oak.caseworker.user.name} ({oak.caseworker.user.email})"
    rows = review.decisions(db, doc)
    review.decide(db, doc, {r.key: "accepted" for r in rows}, caseworker)
    db.commit()
    dpo = oak.web(app, "dpo")
    response = dpo.post(
        f"/staff/settings/{oak.school.slug}/review-rules", {"second_reviewer": "yes"}
    )
    assert response.status_code == 302
    bundle = Bundle(case_id=case.id, status="ready", document_id=doc.id, requested_by="t")
    db.add(bundle)
    case.status = "awaiting_signoff"
    db.commit()
    try:
        release.release(db, case, bundle, caseworker)
        raise AssertionError("the redactor released the bundle")
    except release.ReleaseError as exc:
        assert "second pair of eyes" in str(exc)
    dpo_label = f"{oak.dpo.user.name} ({oak.dpo.user.email})"
    assert release.release(db, case, bundle, dpo_label).released_at is not None
