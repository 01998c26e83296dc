"""The case page: clocks and why, timeline, actions through the state machine, conflicts."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from sar_service.models import Case, CaseEvent
from sar_service.portal.links import portal_path
from tests.intake.test_uploads import pdf_bytes
from tests.intake.web import CSRF_RE
from tests.staff.conftest import sign_in_as

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(frozen, factory, team):
    return factory.case(
        team.school,
        date(2026, 3, 2),
        types=("access", "educational_record"),
        subject={"name": "Amelia Hart", "date_of_birth": "2013-05-04", "year_group": "Year 8"},
    )


PDF = pdf_bytes()


def url(case) -> str:
    return f"/staff/cases/oakfield/{case.reference}"


def _form(html: str, action: str) -> dict[str, str]:
    block = html.split(f'id="action-{action}"', 1)[1].split("</details>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', block))
    fields.pop("csrf_token", None)
    return fields


def test_case_page_shows_clocks_with_reasons_and_the_timeline(web, team, case):
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text
    assert "Statutory time limit" in html and "Educational record (15 school days)" in html
    assert "Why is this the due date?" in html
    assert "Thursday 2 April 2026" in html, "one month from 2 March"
    assert "Request received" in html and "Received by email" in html
    assert "Sarah Hart" in html and "sarah.hart@example.com" in html
    assert "The child's competence" in html and "No decision recorded yet." in html
    assert "Not confirmed yet." in html


def test_viewer_sees_the_case_but_not_the_requester_and_cannot_act(web, team, case):
    sign_in_as(web, team, "viewer")
    html = web.get(url(case)).text
    assert "Amelia Hart" in html and "Sarah Hart" not in html and "sarah.hart@" not in html
    assert "Shown to the DPO and caseworkers only." in html
    assert 'name="action"' not in html and "Internal notes" not in html
    response = web.post(url(case) + "/actions", {"action": "extend", "reason": "x", "version": 1})
    assert response.status_code == 403


def test_buttons_come_from_the_state_table_for_the_role(web, team, case):
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text
    assert 'id="action-extend"' in html and 'id="action-verify_identity"' in html
    assert 'id="action-refuse"' not in html, "refusal is for the DPO"
    web.post("/staff/sign-out")
    sign_in_as(web, team, "dpo")
    assert 'id="action-refuse"' in web.get(url(case)).text


def test_extend_needs_a_reason_shown_next_to_the_field(web, team, case):
    sign_in_as(web, team, "caseworker")
    form = _form(web.get(url(case)).text, "extend")
    response = web.post(url(case) + "/actions", form | {"reason": "  "})
    assert response.status_code == 422
    assert 'id="extend-reason-error"' in response.text
    assert "A reason is required" in response.text


def test_extend_with_a_reason_moves_the_due_date_and_is_audited(web, team, case, db):
    sign_in_as(web, team, "caseworker")
    form = _form(web.get(url(case)).text, "extend")
    response = web.post(url(case) + "/actions", form | {"reason": "Eight years of records"})
    assert response.status_code == 302
    html = web.get(url(case)).text
    assert "The case is now due" in html or "Done: Extend by two months." in html
    assert "Tuesday 2 June 2026" in html, "three months from 2 March, off the bank holiday"
    assert "Why: Eight years of records" in html
    db.expire_all()
    event = db.query(CaseEvent).filter_by(case_id=case.id, action="extend").one()
    assert event.actor_id == team.caseworker.user.id


def test_verify_identity_records_the_date_the_id_was_seen(web, team, case):
    sign_in_as(web, team, "caseworker")
    form = _form(web.get(url(case)).text, "verify_identity")
    assert web.post(url(case) + "/actions", form | {"on": "2026-03-05"}).status_code == 302
    html = web.get(url(case)).text
    assert "ID arrived on Thursday 5 March 2026" in html
    future = _form(html, "assign")
    bad = web.post(url(case) + "/actions", future | {"on": "2026-13-40"})
    assert bad.status_code == 422 and "Enter a date like 2026-03-02." in bad.text


def test_a_concurrent_change_is_never_silently_overwritten(web, other_web, team, case, db):
    sign_in_as(web, team, "caseworker")
    sign_in_as(other_web, team, "dpo")
    mine = _form(web.get(url(case)).text, "extend")
    theirs = _form(other_web.get(url(case)).text, "verify_identity")
    assert other_web.post(url(case) + "/actions", theirs | {"on": "2026-03-04"}).status_code == 302
    response = web.post(url(case) + "/actions", mine | {"reason": "Lots of records"})
    assert response.status_code == 409
    assert "This case was changed by someone else" in response.text
    assert "Identity confirmed by Dpo" in response.text, "says what changed"
    assert "Lots of records" in response.text, "what they typed is kept for the retry"
    db.expire_all()
    assert db.get(Case, case.id).extended is False
    retry = _form(response.text, "extend")
    assert web.post(url(case) + "/actions", retry | {"reason": "Lots"}).status_code == 302


def test_assign_and_competence_decision(web, team, case):
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text
    email = team.caseworker.user.email
    web.post(url(case) + "/actions", _form(html, "assign") | {"assignee": email})
    html = web.get(url(case)).text
    assert f"Assigned to {email}" in html
    form = _form(html, "record_competence") | {
        "reason": "Amelia understands; she asked her mother to apply",
        "competent": "yes",
        "child_consulted": "yes",
    }
    assert web.post(url(case) + "/actions", form).status_code == 302
    html = web.get(url(case)).text
    assert "Competent to decide" in html and "she asked her mother" in html


def test_notes_are_internal_and_need_text(web, team, case):
    sign_in_as(web, team, "caseworker")
    empty = web.post(url(case) + "/notes", {"body": ""})
    assert empty.status_code == 422 and "Write the note." in empty.text
    web.post(url(case) + "/notes", {"body": "Mum phoned: wants it by email"})
    assert "Mum phoned: wants it by email" in web.get(url(case)).text
    web.post("/staff/sign-out")
    sign_in_as(web, team, "owner")
    assert "Mum phoned" not in web.get(url(case)).text


def test_linked_cases_of_the_same_child_or_requester(web, team, case, factory):
    same_child = factory.case(
        team.school,
        date(2026, 3, 9),
        requester={"name": "Dad", "email": "dad@example.com", "relationship": "father"},
        subject={"name": "amelia hart", "date_of_birth": "2013-05-04"},
    )
    same_parent = factory.case(
        team.school, date(2026, 3, 9), subject={"name": "Sibling", "date_of_birth": "2016-01-01"}
    )
    unrelated = factory.case(
        team.school,
        date(2026, 3, 9),
        requester={"name": "X", "email": "x@example.com", "relationship": "father"},
        subject={"name": "Other", "date_of_birth": "2016-01-01"},
    )
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text.split('id="linked"')[1].split('id="timeline"')[0]
    assert f"{same_child.reference}</a> — Same child" in html
    assert f"{same_parent.reference}</a> — Same requester" in html
    assert unrelated.reference not in html


def test_unknown_action_is_a_clear_error(web, team, case):
    sign_in_as(web, team, "caseworker")
    form = _form(web.get(url(case)).text, "extend")
    response = web.post(url(case) + "/actions", form | {"action": "explode"})
    assert response.status_code == 422 and "Choose one of the actions" in response.text


def test_the_id_a_parent_uploaded_is_on_the_case_for_staff_who_see_requesters(
    app, web, other_web, team, case
):
    """The parent sends their ID from the status page; the caseworker sees it beside the
    identity section and downloads the very same file; a viewer sees neither."""
    portal = app.test_client()
    with app.app_context():
        path = portal_path(case)
    token = CSRF_RE.search(portal.get(path).text).group(1)
    sent = portal.post(
        f"{path}/upload",
        data={"csrf_token": token, "kind": "identity", "file": (io.BytesIO(PDF), "passport.pdf")},
    )
    assert sent.status_code == 302
    sign_in_as(web, team, "caseworker")
    page = web.get(url(case)).text
    link = re.search(
        rf'href="({url(case)}/evidence/\d+)">passport.pdf</a> — Proof of identity', page
    )
    assert link, "the upload is listed with a download link"
    download = web.get(link.group(1))
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="passport.pdf"'
    sign_in_as(other_web, team, "viewer")
    assert "/evidence/" not in other_web.get(url(case)).text  # the timeline still says it came
    assert other_web.get(link.group(1)).status_code == 403


def test_an_upload_named_in_cyrillic_downloads_with_its_name(app, web, team, case):
    """Quoted finding: ``паспорт.pdf`` crashed the download (UnicodeEncodeError) and the
    client hung. The name goes out as RFC 6266/5987 ``filename*`` with an ASCII fallback."""
    portal = app.test_client()
    with app.app_context():
        path = portal_path(case)
    token = CSRF_RE.search(portal.get(path).text).group(1)
    sent = portal.post(
        f"{path}/upload",
        data={"csrf_token": token, "kind": "identity", "file": (io.BytesIO(PDF), "паспорт.pdf")},
    )
    assert sent.status_code == 302
    sign_in_as(web, team, "caseworker")
    page = web.get(url(case)).text
    link = re.search(rf'href="({url(case)}/evidence/\d+)">паспорт.pdf</a>', page)
    assert link, "the upload is listed under its own name"
    download = web.get(link.group(1))
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert "filename*=UTF-8''%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82.pdf" in disposition
    disposition.encode("latin-1")  # what the WSGI server must be able to send


def test_item2_case_page_shows_one_clock_per_rule(frozen, web, team, factory, db):
    """Access pauses, erasure does not: the page shows both clocks and why each differs."""
    from sar_service.cases import machine

    case = factory.case(team.school, date(2026, 3, 2), types=("access", "erasure"))
    request = machine.Request("request_clarification", on=date(2026, 3, 5), reason="Which years?")
    machine.apply(db, case, request, machine.Actor.staff(team.caseworker.user, case))
    db.commit()
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text
    assert "Access to personal data (SAR)" in html and ": Erasure" in html
    assert "the Article 12A pause is for access requests only" in html


def test_item3_identity_asked_arrived_and_checked_are_shown(frozen, web, team, case):
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text
    assert 'name="checked_on"' in html and "Date the ID arrived" in html
    response = web.post(
        url(case) + "/actions",
        {**_form(html, "verify_identity"), "on": "2026-03-12", "checked_on": "2026-03-13"},
    )
    assert response.status_code in (302, 303), response.text
    html = web.get(url(case)).text
    assert "ID arrived on Thursday 12 March 2026 (the clock date)" in html
    assert f"checked on Friday 13 March 2026 by {team.caseworker.user.name}" in html


def test_items4_8_10_case_page_shows_backdating_exam_dates_and_term_warnings(
    frozen, web, team, factory, db
):
    from sar_service import setup
    from sar_service.cases import machine

    setup.load_calendar(db, team.school.slug, "start,end,label\n2026-01-05,2026-03-20,Spring\n")
    case = factory.case(team.school, date(2026, 3, 2), types=("access", "educational_record"))
    actor = machine.Actor.staff(team.caseworker.user, case)
    machine.apply(db, case, machine.Request("record_results_day", on=date(2026, 8, 20)), actor)
    machine.apply(db, case, machine.Request("request_identity", on=date(2026, 3, 3)), actor)
    db.commit()
    sign_in_as(web, team, "caseworker")
    html = web.get(url(case)).text
    assert "Exam marks (special time limit)" in html
    assert "5 months from the clock start: Sunday 2 August 2026" in html
    assert "40 days from the announcement of results: Tuesday 29 September 2026" in html
    assert "The term dates set up end on Friday 20 March 2026, before school day 15" in html
    assert "Recorded 16 March 2026, 10:00 by" in html and "about Tuesday 3 March 2026" in html


@pytest.mark.parametrize("role, sees", [("dpo", True), ("caseworker", True), ("viewer", False)])
def test_timeline_shows_requester_data_by_role(web, team, case, db, role, sees):
    """Issue 12 item 10: the timeline's personal data is decided per role (cases.visibility)."""
    row = db.get(Case, case.id)
    row.events.append(
        CaseEvent(
            actor_label="Requester (portal)",
            action="clarification_received",
            reason="We mean her Year 4 reports from Oak Lane",
            data={"answer": "We mean her Year 4 reports from Oak Lane"},
        )
    )
    row.events.append(
        CaseEvent(
            actor_label="Requester (portal)",
            action="evidence_uploaded",
            reason="Proof of identity uploaded through the parent portal",
            data={"file_name": "hart-passport.pdf"},
        )
    )
    row.events.append(
        CaseEvent(
            actor_label="Requester (portal)",
            action="evidence_uploaded",
            reason="Proof of identity uploaded: hart-birth-certificate.pdf",  # an older row
            data={},
        )
    )
    row.events.append(
        CaseEvent(
            actor_label="System",
            action="notification_sent",
            reason="Proof-of-identity chase emailed to sarah.hart@example.com",
            data={"recipient": "sarah.hart@example.com"},
        )
    )
    db.commit()
    sign_in_as(web, team, role)
    timeline = web.get(url(case)).text.split('id="timeline"', 1)[1]
    assert ("sarah.hart@example.com" in timeline) is sees
    assert ("Year 4 reports from Oak Lane" in timeline) is sees
    assert ("hart-passport.pdf" in timeline) is sees
    assert ("hart-birth-certificate.pdf" in timeline) is sees
