"""Issue 11 items 9 and 11: the dates acknowledgement letters give come from the right clock."""

from __future__ import annotations

from datetime import date

import time_machine

from sar_service.letters.service import generate_letter
from tests.letters.conftest import open_letter
from workflows.deadlines import complaint_acknowledgement_deadline


def test_item11_access_and_educational_record_acknowledgement_gives_both_dates(
    app, db, factory, letterhead_school
):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        case = factory.case(
            letterhead_school, date(2026, 3, 2), types=("access", "educational_record")
        )
        letter = generate_letter(db, case, "acknowledgement", actor_label="Ann Staff")
        db.commit()
    text = open_letter(app, letter).text
    assert "educational record by 23 March 2026" in text  # 15 weekdays, no terms set up
    assert "rest of your request by 2 April 2026" in text


def test_item9_complaint_acknowledgement_is_not_the_outcome_date(
    app, db, factory, letterhead_school
):
    with time_machine.travel(date(2026, 7, 1), tick=False):
        case = factory.case(letterhead_school, date(2026, 7, 1), types=("complaint",))
        letter = generate_letter(db, case, "complaint_acknowledgement", actor_label="Ann")
        db.commit()
    text = open_letter(app, letter).text
    assert "31 July 2026" not in text, "the 30-day acknowledgement limit is not a reply date"
    assert "not our answer" in text and "without undue delay" in text
    assert "section 164A) requires" in text


def test_item9_complaints_before_19_june_2026_are_not_told_must(
    app, db, factory, letterhead_school
):
    with time_machine.travel(date(2026, 6, 10), tick=False):
        case = factory.case(letterhead_school, date(2026, 6, 10), types=("complaint",))
        letter = generate_letter(db, case, "complaint_acknowledgement", actor_label="Ann")
        db.commit()
    text = open_letter(app, letter).text
    assert "requires" not in text and "must" not in text
    early = " ".join(complaint_acknowledgement_deadline(date(2026, 6, 10)).explanation)
    assert "must" not in early and "19 June 2026" in early
    later = " ".join(complaint_acknowledgement_deadline(date(2026, 6, 19)).explanation)
    assert "must be acknowledged within 30 days" in later
