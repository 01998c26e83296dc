"""In the conversation: questions about the notice are answered from it, requests are started."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sar_service.models import Draft
from sar_service.notices.store import import_notice
from tests.intake.web import Journey, text

NOTICE = Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "corpus"


def _school_with_notice(factory, db):
    school = factory.school("oakfield")
    path = NOTICE / "larchwood_model_pdf.pdf"
    import_notice(db, school, path.read_bytes(), path.name)
    db.commit()
    return school


def test_how_do_i_complain_is_answered_from_the_notice(client, factory, db):
    _school_with_notice(factory, db)
    j = Journey(client)
    j.start()
    page = j.answer("what", {"story": "how do I complain?"})
    assert page.status_code == 200
    shown = text(page.text)
    assert "You asked:" in shown
    assert "Requesting access to your personal data" in shown  # the section it came from
    assert "ico.org.uk" in shown
    draft = db.scalar(select(Draft))
    db.refresh(draft)
    assert not draft.answers.get("questions")  # answered, so not passed on to staff
    assert not draft.answers.get("types")


def test_do_you_use_cctv_quotes_the_cctv_passage(client, factory, db):
    _school_with_notice(factory, db)
    j = Journey(client)
    j.start()
    shown = text(j.answer("what", {"story": "do you use CCTV?"}).text)
    assert "CCTV footage is kept for 30 days" in shown
    assert "can't answer" not in shown


def test_i_want_to_complain_still_starts_a_complaint(client, factory, db):
    _school_with_notice(factory, db)
    j = Journey(client)
    j.start()
    response = j.answer("what", {"story": "I want to complain"})
    assert response.status_code == 302
    draft = db.scalar(select(Draft))
    db.refresh(draft)
    assert draft.answers["types"] == ["complaint"]
