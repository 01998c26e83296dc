"""axe-core in Chromium on the records pages a DPO works through: gathering, review, a
document with suggested redactions, the owners' tasks, the inventory, MIS imports and the
letter wording. No serious or critical violations."""

from __future__ import annotations

from datetime import date

import pytest

from sar_service.letters.service import generate_letter
from sar_service.records import documents, gathering, inventory
from tests.browser_support import assert_accessible
from tests.records.helpers import docx_bytes, pdf_bytes
from tests.staff.test_browser import _sign_in

pytestmark = pytest.mark.browser


def test_records_pages_are_accessible(live_server, page, team, factory, db):
    case = factory.case(
        team.school, date.today(), subject={"name": "Rowan Birch", "date_of_birth": "2012-06-01"}
    )
    generate_letter(db, case, "acknowledgement", actor_label="System")
    inventory.seed_inventory(db, team.school)
    task = gathering.add_task(db, case, "Paper files", None, "test")
    task.assignee_id = team.dpo.user.id
    letter = docx_bytes(
        "Rowan Birch sat next to Jamie Fox in maths.",
        "Call Mrs Fox on 07700 900123 or email j.fox@example.com.",
    )
    doc = documents.add_gathered(
        db, case, letter, "class-notes.docx", source_name="Paper files", created_by="test"
    )
    documents.add_gathered(
        db, case, pdf_bytes("scan"), "scan.pdf", source_name="Paper files", created_by="test"
    )
    db.commit()
    _sign_in(page, live_server, team.dpo, team.dpo_secret)
    case_url = f"{live_server}/staff/cases/{team.school.slug}/{case.reference}"
    settings = f"{live_server}/staff/settings/{team.school.slug}"
    for url, heading in (
        (case_url + "/gathering", "Gathering records"),
        (case_url + "/review", "Review"),
        (case_url + f"/review/{doc.id}", "class-notes.docx"),
        (f"{live_server}/staff/tasks", "Records searches"),
        (f"{live_server}/staff/tasks/{task.id}", "Paper files"),
        (settings + "/inventory", "Data inventory"),
        (settings + "/mis", "MIS"),
        (settings + "/letters", "Letter"),
        (settings + "/letters/access_response", "Your subject access request"),
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert heading.lower() in page.locator("h1").inner_text().lower(), url
        assert_accessible(page)
