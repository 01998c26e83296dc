"""Retention that really deletes: files gone from disk, rows gone from the database, the
register line and the audit entry kept, a legal hold respected, a dry run first.
Runs on SQLite, and on PostgreSQL with SAR_TEST_BACKEND=postgresql."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from click.testing import CliRunner
from sqlalchemy import func, select

from sar_service.cli import main
from sar_service.letters.service import generate_letter
from sar_service.models import (
    AuditEntry,
    Case,
    CaseEvent,
    Document,
    EvidenceUpload,
    RegisterEntry,
)
from sar_service.storage import storage
from sar_service.uploads import save_upload
from tests.oversight.conftest import to_response, walk
from tests.records.helpers import pdf_bytes

AS_OF = "2026-06-15"


def _closed_case(db, factory, school, received: date):
    case = factory.case(school, received)
    db.add(
        EvidenceUpload.from_stored(
            case.id, "identity", save_upload(pdf_bytes("passport"), "passport.pdf"), "portal"
        )
    )
    db.commit()
    letter = generate_letter(db, case, "acknowledgement", actor_label="System")
    db.commit()
    to_response(db, case, received)
    walk(db, case, ("close", received, ""))
    return case, letter


def _on_disk(app, key: str) -> bool:
    with app.app_context():
        return storage()._path(key).exists()


def _run(app, *args):
    result = CliRunner().invoke(main, ["purge", *args], obj={"app": app})
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_deletes_expired_files_and_rows_but_not_a_held_case(app, db, factory, team):
    with time_machine.travel(datetime(2019, 6, 3, 10, tzinfo=UTC), tick=False):
        expired, letter = _closed_case(db, factory, team.school, date(2019, 6, 3))
        held, held_letter = _closed_case(db, factory, team.school, date(2019, 6, 3))
        held.legal_hold = True
        db.commit()
    with time_machine.travel(datetime(2026, 5, 1, 10, tzinfo=UTC), tick=False):
        recent, recent_letter = _closed_case(db, factory, team.school, date(2026, 5, 1))
    keys = {
        c.id: list(db.scalars(select(Document.storage_key).where(Document.case_id == c.id)))
        + list(db.scalars(select(EvidenceUpload.stored_key).where(EvidenceUpload.case_id == c.id)))
        for c in (expired, held, recent)
    }
    assert all(_on_disk(app, k) for ks in keys.values() for k in ks) and len(keys[expired.id]) == 3

    dry = _run(app, "--dry-run", "--as-of", AS_OF)
    assert f"would delete case file oakfield {expired.reference}" in dry
    assert f"kept oakfield {held.reference}: legal hold" in dry
    assert all(_on_disk(app, k) for k in keys[expired.id])  # a dry run deletes nothing
    assert db.get(Case, expired.id) is not None

    expired_id, expired_ref = expired.id, expired.reference
    out = _run(app, "--as-of", AS_OF)
    assert f"deleted case file oakfield {expired.reference}" in out
    db.expire_all()
    assert not any(_on_disk(app, k) for k in keys[expired_id])
    assert db.get(Case, expired_id) is None
    for model in (Document, EvidenceUpload, CaseEvent):
        assert db.scalar(select(func.count()).where(model.case_id == expired_id)) == 0
    # the held case and the recent one keep everything
    assert all(_on_disk(app, k) for k in keys[held.id])
    # the recent case keeps its letter; its proof of identity, verified 45 days ago, has gone
    assert _on_disk(app, recent_letter.storage_key)
    assert [_on_disk(app, k) for k in keys[recent.id]].count(False) == 1
    assert db.get(Case, held.id) is not None and db.get(Case, recent.id) is not None
    # the register line stays, without names, and the purge is audited
    line = db.scalar(select(RegisterEntry).where(RegisterEntry.reference == expired_ref))
    assert line.outcome == "Closed" and line.received_on == date(2019, 6, 3)
    assert db.scalar(
        select(AuditEntry).where(
            AuditEntry.kind == "purge", AuditEntry.case_reference == expired_ref
        )
    )
    # running again deletes nothing more
    assert "deleted" not in _run(app, "--as-of", AS_OF)


def test_register_keeps_purged_cases(app, db, factory, team, client, web):
    with time_machine.travel(datetime(2019, 6, 3, 10, tzinfo=UTC), tick=False):
        expired, _ = _closed_case(db, factory, team.school, date(2019, 6, 3))
        reference = expired.reference
    live = factory.case(team.school, date.today())
    _run(app, "--as-of", AS_OF)
    text = client.get("/api/v1/register.csv", headers=team.dpo.headers).text
    line = next(r for r in text.splitlines() if r.startswith(reference))
    assert line.endswith(",yes")  # file_purged
    web.sign_in(team.owner)
    page = web.get("/staff/register").text
    # newest first, live and purged together
    assert page.index(live.reference) < page.index(reference) < page.index("file deleted")
    assert "2 requests" in page


def test_proof_of_identity_goes_soon_after_it_is_verified(app, db, factory, team):
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False):
        case = factory.case(team.school, date(2026, 4, 1))
        identity = save_upload(pdf_bytes("passport"), "passport.pdf")
        other = save_upload(pdf_bytes("letter"), "letter.pdf")
        db.add_all(
            [
                EvidenceUpload.from_stored(case.id, "identity", identity, "portal"),
                EvidenceUpload.from_stored(case.id, "evidence", other, "portal"),
            ]
        )
        db.commit()
        walk(db, case, ("verify_identity", date(2026, 4, 1), ""))
    assert "proof of identity" not in _run(app, "--dry-run", "--as-of", "2026-04-20")
    out = _run(app, "--as-of", "2026-05-15")  # 30 days after verification (the default)
    assert f"deleted proof of identity on {case.reference}" in out
    assert not _on_disk(app, identity.key) and _on_disk(app, other.key)
    db.expire_all()
    kinds = list(db.scalars(select(EvidenceUpload.kind).where(EvidenceUpload.case_id == case.id)))
    assert kinds == ["evidence"]
    assert db.get(Case, case.id) is not None


def test_purge_rejects_a_bad_date(app):
    result = CliRunner().invoke(main, ["purge", "--as-of", "someday"], obj={"app": app})
    assert result.exit_code == 2 and "ISO date" in result.output


def test_legal_hold_command_sets_and_lifts_the_hold_and_audits_it(app, db, factory, team):
    case = factory.case(team.school, date.today())
    args = ["legal-hold", "--school", "oakfield", "--case", case.reference, "--reason", "ICO"]
    result = CliRunner().invoke(main, args, obj={"app": app})
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert db.get(Case, case.id).legal_hold is True
    CliRunner().invoke(main, [*args, "--off"], obj={"app": app})
    db.expire_all()
    assert db.get(Case, case.id).legal_hold is False
    held = AuditEntry.action.like("legal_hold%")
    actions = list(db.scalars(select(AuditEntry.action).where(held).order_by(AuditEntry.id)))
    assert actions == ["legal_hold_set", "legal_hold_lifted"]
    missing = CliRunner().invoke(main, ["legal-hold", "--school", "oakfield", "--case", "NOPE",
                                        "--reason", "x"], obj={"app": app})  # fmt: skip
    assert missing.exit_code == 2 and "no case NOPE" in missing.output


def test_the_sweep_applies_retention_unless_it_is_a_dry_run(app, db, factory, team):
    from sar_service.background import sweep

    with time_machine.travel(datetime(2019, 6, 3, 10, tzinfo=UTC), tick=False):
        expired, _ = _closed_case(db, factory, team.school, date(2019, 6, 3))
        case_id = expired.id
    at = datetime(2026, 6, 15, 9, tzinfo=UTC)
    sweep.run(db, at=at, dry_run=True)
    db.expire_all()
    assert db.get(Case, case_id) is not None
    sweep.run(db, at=at)
    db.expire_all()
    assert db.get(Case, case_id) is None


def test_retention_periods_are_configurable_per_school(app, db, factory, team):
    result = CliRunner().invoke(
        main, ["retention", "--school", "oakfield", "--years", "7", "--id-days", "10"],
        obj={"app": app},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "7 years" in result.output and "10 days" in result.output
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=UTC), tick=False):
        case = factory.case(team.school, date(2026, 4, 1))
        db.add(
            EvidenceUpload.from_stored(
                case.id, "identity", save_upload(pdf_bytes("id"), "id.pdf"), "portal"
            )
        )
        db.commit()
        walk(db, case, ("verify_identity", date(2026, 4, 1), ""))
    assert "proof of identity" in _run(app, "--dry-run", "--as-of", "2026-04-12")
    bad = CliRunner().invoke(main, ["retention", "--school", "oakfield", "--years", "0"],
                             obj={"app": app})  # fmt: skip
    assert bad.exit_code == 2
