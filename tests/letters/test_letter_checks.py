"""Issue 11 item 14: the legal-content checks run on every generated letter, not only
when a template is saved; a failing letter is marked and cannot be issued (downloaded
to send, or bundled) until a DPO overrides the checks with a reason, recorded on the case.

The realistic way in: a school's wording passes on save (the samples are an access
request) but lacks what a particular case needs (here: a complaint, which does not wait
for proof of identity)."""

from __future__ import annotations

import io

import docx
from sqlalchemy import select

from sar_service.clock import today
from sar_service.letters.render import default_template
from sar_service.letters.service import create_letter, save_template
from sar_service.models import CaseEvent
from tests.letters.conftest import letters, sign_in_as

ON_HOLD = (
    "The one-month time limit for our reply starts on the day we receive your proof of "
    "identity. Until then, we cannot take any further action on your request."
)


def _school_wording(db, school):
    text = default_template("identity_request")
    head, _, rest = text.partition("# The time limit\n")
    tail = rest[rest.index("# Contact us") :]
    save_template(db, school, "identity_request", f"{head}# The time limit\n{ON_HOLD}\n\n{tail}",
                  updated_by="DPO")  # fmt: skip
    db.commit()


def _case_url(case) -> str:
    return f"/staff/cases/{case.school.slug}/{case.reference}"


def test_a_generated_letter_that_fails_is_marked_and_cannot_be_issued(
    web, team, factory, db, client
):
    _school_wording(db, team.school)  # accepted: it is fine for the sample access request
    case = factory.case(team.school, today(), types=("access", "complaint"))
    document, errors = create_letter(db, case, "identity_request", {}, actor_label="Ann")
    db.commit()  # the caller commits (one commit rule)
    assert errors == {}
    assert any("do not wait for proof of identity" in f for f in document.failed_checks)
    generated = CaseEvent.action == "letter_generated"
    event = db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, generated)).one()
    assert event.data["failed_checks"] == document.failed_checks

    sign_in_as(web, team, "caseworker")
    page = web.get(_case_url(case))
    assert "Fails the legal checks: cannot be issued" in page.text
    blocked = web.get(f"{_case_url(case)}/letters/{document.id}")
    assert blocked.status_code == 409 and "fails the legal checks" in blocked.text
    assert not blocked.data.startswith(b"PK")  # no .docx handed out
    api = client.get(
        f"/api/v1/cases/{case.reference}/letters/{document.id}",
        headers=factory.staff(team.school, "caseworker", email="api@oak.example").headers,
    )
    assert api.status_code == 409 and "do not wait" in api.get_json()["detail"]
    refused = web.post(f"{_case_url(case)}/letters/{document.id}/override", {"reason": "x"})
    assert refused.status_code == 403  # only the DPO


def test_the_dpo_overrides_with_a_reason_and_it_is_recorded(web, team, factory, db):
    _school_wording(db, team.school)
    case = factory.case(team.school, today(), types=("access", "complaint"))
    document, _ = create_letter(db, case, "identity_request", {}, actor_label="Ann")
    db.commit()  # the caller commits (one commit rule)
    sign_in_as(web, team, "dpo")
    url = f"{_case_url(case)}/letters/{document.id}"
    empty = web.post(f"{url}/override", {"reason": "  "})
    assert empty.status_code == 422 and "Give the reason" in empty.text
    done = web.post(f"{url}/override", {"reason": "Complaint answered by phone the same day."})
    assert done.status_code == 302
    (row,) = letters(db, case.id)
    assert row.override_reason == "Complaint answered by phone the same day."
    event = db.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.action == "letter_checks_overridden"
        )
    ).one()
    assert event.reason == row.override_reason and event.data["document_id"] == row.id
    download = web.get(url)
    assert download.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert case.reference in text


def test_a_letter_that_passes_is_issued_as_before(web, team, factory, db):
    case = factory.case(team.school, today(), types=("access", "complaint"))
    document, _ = create_letter(db, case, "identity_request", {}, actor_label="Ann")
    db.commit()  # the caller commits (one commit rule)
    assert document.failed_checks == []
    sign_in_as(web, team, "caseworker")
    assert web.get(f"{_case_url(case)}/letters/{document.id}").status_code == 200
