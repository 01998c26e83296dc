"""Issue 11 item 16: outcome and refusal letters follow LEGAL.md "Other rights".

Rectification says processing was restricted only when that was recorded, and what
was corrected; an objection to direct marketing is never refused (Art 21(3)); erasure
of published data includes the Art 17(2) step; an educational-record refusal points to
the school's complaints procedure and the DfE, not the ICO. Real letters, read back.
"""

from __future__ import annotations

from sar_service.cases import machine
from sar_service.clock import today
from sar_service.letters.service import create_letter, generate_letter
from sar_service.models import CaseEvent
from tests.factories import request_payload
from tests.letters.conftest import open_letter


def _details(type_: str, **values) -> dict:
    details = request_payload()["details"]
    return {"details": details | {type_: values}}


def test_rectification_claims_no_restriction_that_was_not_recorded(
    app, db, factory, letterhead_school
):
    case = factory.case(letterhead_school, today(), types=("rectification",))
    document, errors = create_letter(
        db,
        case,
        "rectification_outcome",
        {"outcome": "done", "outcome_reasons": "Fixed in the MIS."},
        actor_label="DPO",
    )
    assert errors == {}
    flat = open_letter(app, document).flat
    assert "restricted" not in flat and "restriction on the" not in flat
    assert "What we corrected: 4 May" in flat  # what the parent asked for, now made


def test_rectification_says_restricted_when_recorded_and_what_was_corrected(
    app, db, factory, letterhead_school
):
    case = factory.case(letterhead_school, today(), types=("rectification",))
    body = {
        "outcome": "partly",
        "outcome_reasons": "The register is right; the medical record was wrong.",
        "corrected": "the date of birth on the medical record, which now reads 4 May 2015",
        "restricted": True,
    }
    document, errors = create_letter(db, case, "rectification_outcome", body, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert errors == {}
    flat = open_letter(app, document).flat
    assert "we restricted its use" in flat
    assert "What we corrected: the date of birth on the medical record" in flat
    event = db.query(CaseEvent).filter_by(case_id=case.id, action="letter_generated").one()
    assert event.data["recorded"]["restricted"] is True


def test_a_partial_correction_must_say_what_was_corrected(db, factory, letterhead_school):
    case = factory.case(letterhead_school, today(), types=("rectification",))
    body = {"outcome": "partly", "outcome_reasons": "Only some of it was wrong."}
    document, errors = create_letter(db, case, "rectification_outcome", body, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert document is None and "Say what was corrected" in errors["corrected"]


def test_an_objection_to_direct_marketing_is_never_refused(app, db, factory, letterhead_school):
    payload = _details("objection", processing="Marketing emails about the summer fair")
    case = factory.case(letterhead_school, today(), types=("objection",), **payload)
    refused = {"outcome": "refused", "outcome_reasons": "We like the summer fair."}
    document, errors = create_letter(db, case, "objection_outcome", refused, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert document is None and "Article 21(3)" in errors["outcome"]
    done = {"outcome": "done"}
    document, errors = create_letter(db, case, "objection_outcome", done, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert errors == {}
    assert "we have stopped using it for direct marketing" in open_letter(app, document).flat


def test_erasing_published_photos_includes_the_article_17_2_step(
    app, db, factory, letterhead_school
):
    payload = _details("erasure", what="Ella's photo on the school website")
    case = factory.case(letterhead_school, today(), types=("erasure",), **payload)
    document, errors = create_letter(
        db, case, "erasure_outcome", {"outcome": "done"}, actor_label="DPO"
    )
    assert errors == {}
    flat = open_letter(app, document).flat
    assert "taken reasonable steps to tell others who publish it" in flat
    assert "Article 17(2)" in flat


def test_erasing_unpublished_data_has_no_article_17_2_paragraph(
    app, db, factory, letterhead_school
):
    payload = _details("erasure", what="An old behaviour note")
    case = factory.case(letterhead_school, today(), types=("erasure",), **payload)
    document, _ = create_letter(db, case, "erasure_outcome", {"outcome": "done"}, actor_label="x")
    db.commit()  # the caller commits (one commit rule)
    assert "17(2)" not in open_letter(app, document).flat


def _refused(db, factory, case):
    dpo = factory.staff(case.school, "dpo")
    machine.apply(
        db,
        case,
        machine.Request("refuse", reason="You asked for the same record last week."),
        machine.Actor.staff(dpo.user, case),
    )
    db.commit()
    return generate_letter(db, case, "refusal", actor_label="DPO")


def test_an_educational_record_refusal_points_to_complaints_and_dfe_not_the_ico(
    app, db, factory, letterhead_school
):
    case = factory.case(letterhead_school, today(), types=("educational_record",))
    flat = open_letter(app, _refused(db, factory, case)).flat
    assert "ico.org.uk" not in flat and "0303 123 1113" not in flat
    assert "school complaints procedure" in flat and "Department for Education" in flat


def test_a_combined_refusal_gives_each_right_its_own_route(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today(), types=("access", "educational_record"))
    flat = open_letter(app, _refused(db, factory, case)).flat
    assert "ico.org.uk" in flat and "Department for Education" in flat
