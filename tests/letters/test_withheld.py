"""Issue 11 item 12: a letter says THAT information was withheld and on which grounds,
never WHAT it was; for serious harm and child-abuse data the school may say nothing,
and that choice is recorded on the case. Real letters, opened back as .docx."""

from __future__ import annotations

import pytest

from sar_service.clock import today
from sar_service.letters.service import create_letter, generate_letter
from sar_service.models.review import Withholding
from sar_service.records import review
from tests.letters.conftest import open_letter

REFERRAL = "a referral to children's social care in March 2026"


def test_staff_description_of_what_was_withheld_never_reaches_the_letter(
    app, db, factory, letterhead_school
):
    """The tester's finding: the description was printed next to the exemption."""
    case = factory.case(letterhead_school, today())
    extra = {"withheld": [("child abuse data", REFERRAL)]}  # as the API and staff form give it
    document = generate_letter(db, case, "access_response", actor_label="DPO", extra=extra)
    flat = open_letter(app, document).flat
    assert "referral" not in flat and "social care" not in flat and "March 2026" not in flat
    assert "We have withheld some information" in flat and "child abuse data" in flat


def test_the_case_log_gives_the_grounds_in_general_terms(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    review.withhold(db, case, "third_party", "Names of the other pupils in the fight", "DPO", None)
    db.commit()
    flat = open_letter(app, generate_letter(db, case, "access_response", actor_label="DPO")).flat
    assert "We have withheld some information" in flat
    assert "information about other people" in flat
    assert "other pupils in the fight" not in flat


def test_the_school_may_say_nothing_about_child_abuse_data(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    review.withhold(db, case, "child_abuse", REFERRAL, "Priya Shah", None, say_nothing=True)
    db.commit()
    flat = open_letter(app, generate_letter(db, case, "access_response", actor_label="DPO")).flat
    assert "withh" not in flat.lower() and "not included" not in flat
    assert "child abuse" not in flat and "referral" not in flat
    (row,) = db.query(Withholding).filter_by(case_id=case.id).all()
    assert (row.say_nothing, row.decided_by, row.exemption) == (True, "Priya Shah", "child_abuse")


def test_silence_is_only_for_serious_harm_and_child_abuse(db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    with pytest.raises(ValueError, match="only for serious harm or child-abuse data"):
        review.withhold(db, case, "third_party", "Names", "DPO", None, say_nothing=True)


def test_other_grounds_are_still_stated_beside_a_silent_one(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    review.withhold(db, case, "serious_harm", "Counsellor's notes", "DPO", None, say_nothing=True)
    review.withhold(db, case, "legal_privilege", "Advice from our solicitor", "DPO", None)
    db.commit()
    flat = open_letter(app, generate_letter(db, case, "access_response", actor_label="DPO")).flat
    assert "legal professional privilege" in flat
    assert "serious harm" not in flat and "Counsellor" not in flat and "solicitor" not in flat


def test_the_educational_record_letter_gives_grounds_only(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today(), types=("educational_record",))
    document, errors = create_letter(
        db,
        case,
        "educational_record_response",
        {"withheld": [["serious harm", "the counsellor's notes from the spring term"]]},
        actor_label="DPO",
    )
    assert errors == {}
    flat = open_letter(app, document).flat
    assert "serious harm" in flat and "counsellor" not in flat


def test_the_review_page_records_the_choice_to_say_nothing(web, team, factory, db):
    from tests.letters.conftest import sign_in_as

    case = factory.case(team.school, today())
    sign_in_as(web, team, "dpo")
    url = f"/staff/cases/{case.school.slug}/{case.reference}/withholdings"
    refused = web.post(url, {"exemption": "third_party", "reason": "Names", "say_nothing": "1"})
    assert refused.status_code == 422 and "only for serious harm" in refused.text
    made = web.post(url, {"exemption": "child_abuse", "reason": REFERRAL, "say_nothing": "1"})
    assert made.status_code == 302
    (row,) = db.query(Withholding).filter_by(case_id=case.id).all()
    assert row.say_nothing and row.exemption == "child_abuse"
    page = web.get(f"/staff/cases/{case.school.slug}/{case.reference}/review")
    assert "the letter says nothing about it" in page.text
