"""The "needs a look" list in the staff workspace: school-scoped, counted on the queue, each
case with its reasons, and decided on the case page with who, when and why recorded."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from sar_service.cases import look
from sar_service.models import Case, CaseEvent
from tests.notify.helpers import on
from tests.staff.conftest import sign_in_as

RECEIVED = date(2026, 3, 2)


@pytest.fixture
def flagged(db, factory, team):
    """A flagged case at each school, and an ordinary one at the first."""
    with on(RECEIVED):
        ours = factory.case(team.school, RECEIVED)
        theirs = factory.case(team.other, RECEIVED)
        ordinary = factory.case(team.school, RECEIVED)
        look.flag(ours, [look.LINK_IN_NAME, look.MANY_FROM_ADDRESS])
        look.flag(theirs, [look.EMAIL_IN_NAME])
        db.commit()
    return ours, theirs, ordinary


def _refs(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/cases/[^"]+">([A-Z]+-\d{4}-\d{4})</a>', html)


@pytest.mark.parametrize("role", ["dpo", "caseworker"])
def test_the_list_shows_own_school_cases_with_reasons_and_the_queue_counts_them(
    web, team, flagged, role
):
    ours, theirs, ordinary = flagged
    sign_in_as(web, team, role)
    page = web.get("/staff/needs-look")
    assert page.status_code == 200
    assert _refs(page.text) == [ours.reference]
    assert look.REASONS[look.LINK_IN_NAME] in page.text
    assert look.REASONS[look.MANY_FROM_ADDRESS] in page.text
    assert look.REASONS[look.EMAIL_IN_NAME] not in page.text  # the other school's reason
    queue = web.get("/staff/queue")
    assert re.search(r"Needs a look: <strong>1</strong>", queue.text)


def test_the_other_school_sees_only_its_own(web, team, flagged):
    ours, theirs, _ = flagged
    sign_in_as(web, team, "other_dpo")
    page = web.get("/staff/needs-look")
    assert _refs(page.text) == [theirs.reference]
    assert web.get(f"/staff/cases/oakfield/{ours.reference}").status_code == 404


def test_roles_that_cannot_decide_get_no_list_and_no_count(web, team, flagged):
    sign_in_as(web, team, "viewer")
    assert web.get("/staff/needs-look").status_code == 403
    assert "Needs a look:" not in web.get("/staff/queue").text


def test_a_caseworker_decides_genuine_on_the_case_page(web, db, team, flagged):
    ours, _, _ = flagged
    sign_in_as(web, team, "caseworker")
    url = f"/staff/cases/oakfield/{ours.reference}"
    page = web.get(url)
    assert 'value="look_genuine"' in page.text and 'value="not_a_request"' in page.text
    assert look.REASONS[look.LINK_IN_NAME] in page.text
    version = db.get(Case, ours.id).version
    seen = max(e.id for e in db.scalars(select(CaseEvent).where(CaseEvent.case_id == ours.id)))
    form = {"action": "look_genuine", "version": str(version), "seen_event": str(seen)}
    refused = web.post(url + "/actions", form | {"reason": ""})
    assert refused.status_code == 422
    done = web.post(url + "/actions", form | {"reason": "Her usual address"})
    assert done.status_code == 302, done.text[:500]
    db.expire_all()
    case = db.get(Case, ours.id)
    assert not case.needs_look and case.look_decision == "genuine"
    event = db.scalar(
        select(CaseEvent).where(CaseEvent.case_id == ours.id, CaseEvent.action == "look_genuine")
    )
    assert event.actor_id == team.caseworker.user.id and event.reason == "Her usual address"
    assert event.data["reasons"] == [look.LINK_IN_NAME, look.MANY_FROM_ADDRESS]
    assert _refs(web.get("/staff/needs-look").text) == []
    after = web.get(url).text
    assert 'value="look_genuine"' not in after and "Her usual address" in after  # on the record
