"""A document naming the pupil with another date of birth is checked before release."""

from __future__ import annotations

from datetime import date

from sar_service.records import documents, review


def test_other_child_with_the_same_name_blocks_the_bundle_until_checked(app, db, factory, oak):
    case = factory.case(oak.school, date(2026, 3, 2))  # Amelia Hart, born 4 May 2015
    other = documents.add_gathered(
        db, case, b"Admissions: Amelia Hart, DOB 17/09/2013, joins Year 8 in September.\n",
        "admissions.txt", source_name="Office", created_by="test",
    )  # fmt: skip
    ours = documents.add_gathered(
        db, case, b"Amelia Hart (date of birth 04/05/2015) read well this term.\n",
        "report.txt", source_name="Office", created_by="test",
    )  # fmt: skip
    db.commit()
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    caseworker = oak.web(app, "caseworker")
    blocked = caseworker.post(f"{base}/bundle")
    assert blocked.status_code == 409
    assert "admissions.txt: check first: names amelia hart with date of birth 17/09/2013" in (
        blocked.text.lower()
    )
    assert "report.txt: check first" not in blocked.text.lower()
    page = caseworker.get(f"{base}/review/{other.id}").text
    assert "may be about a different child with the same name" in page
    assert caseworker.post(f"{base}/review/{other.id}/settle").status_code == 302
    db.expire_all()
    assert review.case_review(db, case).complete
    assert ours is not None
