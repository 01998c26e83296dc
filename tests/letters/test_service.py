"""Generating letters from the record: versions, the school's notice, its own wording."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from sar_service.cases import machine
from sar_service.clock import today
from sar_service.letters import build
from sar_service.letters.render import default_template
from sar_service.letters.service import (
    DOCX,
    TemplateRefused,
    generate_letter,
    reset_template,
    save_template,
    school_templates,
    template_text,
)
from sar_service.models import Document, LetterTemplate
from sar_service.notices.store import import_notice
from tests.letters.conftest import open_letter
from tests.unit.test_letters import tiny_png

#: The two real school privacy notices the project was created from.
SEEDS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "notices").glob("seed_*.txt"))


def test_versions_increment_on_regeneration(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    first = generate_letter(db, case, "acknowledgement", actor_label="Ann Staff")
    second = generate_letter(db, case, "acknowledgement", actor_label="Ann Staff")
    other = generate_letter(db, case, "identity_request", actor_label="Ann Staff")
    db.commit()
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert second.filename == f"{case.reference}-acknowledgement-v2.docx"
    assert second.content_type == DOCX and second.created_by == "Ann Staff"
    assert second.storage_key != first.storage_key
    assert open_letter(app, second).text == open_letter(app, first).text


def test_the_database_refuses_two_letters_with_one_version(app, db, factory, letterhead_school):
    """The last line of defence if two workers ever number the same letter at once."""
    case = factory.case(letterhead_school, today())
    first = generate_letter(db, case, "acknowledgement", actor_label="Ann Staff")
    db.commit()
    clash = {c: getattr(first, c) for c in ("case_id", "kind", "letter_kind", "version")}
    db.add(Document(**clash, filename="x.docx", content_type=DOCX, size=1, sha256="0" * 64,
                    storage_key="clash"))  # fmt: skip
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    upload = {"case_id": case.id, "kind": "upload", "content_type": "text/plain", "size": 1}
    for n in range(2):  # uploads are not versioned letters: any number of them
        db.add(Document(**upload, filename=f"{n}.txt", sha256=str(n) * 64, storage_key=f"u{n}"))
    db.commit()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_access_response_quotes_the_imported_notice(app, db, factory, letterhead_school, seed):
    import_notice(db, letterhead_school, seed.read_bytes(), seed.name, "DPO")
    case = factory.case(letterhead_school, today())
    facts = build.notice_facts(db, letterhead_school)
    assert facts.categories and facts.purposes and facts.recipients
    row = generate_letter(db, case, "access_response", actor_label="DPO")
    db.commit()
    letter = open_letter(app, row)
    bullets = [p.text for p in letter.document.paragraphs if p.style.name == "List Bullet"]
    for item in facts.categories + facts.purposes + facts.recipients + facts.retention:
        assert item in bullets, item
    for item in facts.sources:
        assert item in bullets, item
    if not facts.retention:
        assert "retention schedule" in letter.text


def test_access_response_without_a_notice_is_marked_incomplete(app, db, factory, letterhead_school):
    """A pointer to the notice is not Art 15 (issue 11 item 13): the letter cannot be issued."""
    case = factory.case(letterhead_school, today())
    row = generate_letter(db, case, "access_response", actor_label="DPO")
    assert row.blocked and any("purposes" in item for item in row.failed_checks)
    assert "on request" not in open_letter(app, row).text


def test_outcome_letter_uses_what_staff_said(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today(), types=("erasure",))
    extra = {
        "outcome": "partly",
        "outcome_reasons": "We deleted the photographs but must keep the attendance record.",
        "recipients_notified": ["Tapestry"],
    }
    row = generate_letter(db, case, "erasure_outcome", actor_label="DPO", extra=extra)
    letter = open_letter(app, row)
    assert extra["outcome_reasons"] in letter.text
    assert "Tapestry" in letter.text.splitlines()
    assert "ico.org.uk" in letter.text and "courts" in letter.text


def test_consent_and_complaint_letters_quote_the_request(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today(), types=("withdraw_consent", "complaint"))
    consent = open_letter(
        app, generate_letter(db, case, "consent_withdrawal_confirmation", actor_label="DPO")
    )
    assert "Photographs" in consent.text
    complaint = open_letter(
        app, generate_letter(db, case, "complaint_acknowledgement", actor_label="DPO")
    )
    assert "You shared my address" in complaint.text


def test_kinds_that_make_no_sense_are_explained(db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    assert build.why_not(db, case, "acknowledgement") is None
    assert build.why_not(db, case, "access_response") is None
    assert "has not been extended" in build.why_not(db, case, "extension_notice")
    assert "has not been refused" in build.why_not(db, case, "refusal")
    assert "only for a case that includes" in build.why_not(db, case, "erasure_outcome")
    assert build.available_kinds(db, case) == [
        "acknowledgement",
        "identity_request",
        "access_response",
    ]
    extend = machine.Request("extend", reason="Six years of records to check.")
    machine.apply(db, case, extend, machine.Actor.system("Test"))
    db.commit()
    assert build.why_not(db, case, "extension_notice") is None
    with count_queries(db) as statements:
        kinds = build.available_kinds(db, case)
    assert kinds == ["acknowledgement", "identity_request", "extension_notice", "access_response"]
    assert len(statements) == 1  # one look at the audit trail, whatever the number of kinds


@contextmanager
def count_queries(db):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_letterhead_logo_comes_from_storage(app, db, factory, letterhead_school):
    from sar_service.storage import storage

    letterhead_school.settings = {"logo_key": storage(app).put(tiny_png()).key}
    db.commit()
    case = factory.case(letterhead_school, today())
    letter = open_letter(app, generate_letter(db, case, "acknowledgement", actor_label="DPO"))
    assert len(letter.document.sections[0].header._element.xpath(".//pic:pic")) == 1


def test_a_missing_logo_file_does_not_stop_letters(app, db, factory, letterhead_school):
    letterhead_school.settings = {"logo_key": "0123456789abcdef"}
    db.commit()
    case = factory.case(letterhead_school, today())
    letter = open_letter(app, generate_letter(db, case, "acknowledgement", actor_label="DPO"))
    assert "Oakfield School" in letter.text
    assert not letter.document.sections[0].header._element.xpath(".//pic:pic")


def test_the_schools_own_wording_is_used_then_reset(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    wording = default_template("acknowledgement").replace(
        "Thank you for", "Thank you very much for"
    )
    save_template(db, letterhead_school, "acknowledgement", wording, updated_by="Priya")
    db.commit()
    mine = open_letter(app, generate_letter(db, case, "acknowledgement", actor_label="DPO"))
    assert "Thank you very much for" in mine.text
    other = factory.school("elsewhere")
    other_case = factory.case(other, today())
    theirs = generate_letter(db, other_case, "acknowledgement", actor_label="DPO")
    assert "Thank you very much for" not in open_letter(app, theirs).text
    assert reset_template(db, letterhead_school, "acknowledgement") == 1
    db.commit()
    back = open_letter(app, generate_letter(db, case, "acknowledgement", actor_label="DPO"))
    assert "Thank you very much for" not in back.text


def test_the_schools_newest_wording_of_each_kind_in_one_query(db, factory, letterhead_school):
    other = factory.school("elsewhere")
    for school, kind, by in (
        (letterhead_school, "acknowledgement", "Priya"),
        (letterhead_school, "refusal", "Priya"),
        (other, "refusal", "Someone else"),
        (letterhead_school, "acknowledgement", "Sam"),
    ):
        save_template(db, school, kind, default_template(kind), updated_by=by)
    db.commit()
    with count_queries(db) as statements:
        saved = school_templates(db, letterhead_school.id)
    assert len(statements) == 1
    assert {kind: row.updated_by for kind, row in saved.items()} == {
        "acknowledgement": "Sam",
        "refusal": "Priya",
    }
    assert all(row.school_id == letterhead_school.id for row in saved.values())


def test_a_broken_template_is_refused_and_never_saved(db, factory, letterhead_school):
    broken = default_template("refusal").replace("{{ refusal_reasons }}", "{{ refusal_reasons")
    with pytest.raises(TemplateRefused) as refused:
        save_template(db, letterhead_school, "refusal", broken, updated_by="Priya")
    assert refused.value.errors[0].startswith("Line ")
    no_ico = default_template("refusal").replace("ico.org.uk", "the regulator's website")
    with pytest.raises(TemplateRefused) as refused:
        save_template(db, letterhead_school, "refusal", no_ico, updated_by="Priya")
    assert "Information Commissioner" in refused.value.errors[0]
    db.commit()
    assert db.scalar(select(LetterTemplate)) is None
    assert template_text(db, letterhead_school.id, "refusal") == default_template("refusal")
