"""Issue 12 item 9: new drafts are rate limited per address; a draft keeps a bounded
number of unanswered questions."""

from __future__ import annotations

from sqlalchemy import func, select

from sar_service import ratelimit
from sar_service.intake import drafts
from sar_service.models import Draft
from tests.intake.web import Journey


def test_new_drafts_are_limited_per_address(app, client, factory, db):
    factory.school("oakfield")
    with app.test_request_context():
        for _ in range(ratelimit.DRAFTS.count):
            assert ratelimit.hit(ratelimit.DRAFTS, "203.0.113.5").allowed
    refused = Journey(client, environ={"REMOTE_ADDR": "203.0.113.5"}).start()
    assert refused.status_code == 429
    assert db.scalar(select(func.count()).select_from(Draft)) == 0
    with app.app_context():
        other = Journey(app.test_client(), environ={"REMOTE_ADDR": "198.51.100.5"}).start()
        assert other.status_code == 302
    assert db.scalar(select(func.count()).select_from(Draft)) == 1


def test_a_drafts_questions_list_is_capped(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    for n in range(drafts.MAX_QUESTIONS + 3):
        assert j.answer("what", {"story": f"Who do you share data with, {n}?"}).status_code == 200
    draft = db.scalar(select(Draft))
    db.refresh(draft)
    assert len(draft.answers["questions"]) == drafts.MAX_QUESTIONS
