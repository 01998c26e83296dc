"""The audit log across cases: what it records, search, export, and that it is append-only."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from sar_service.letters.service import generate_letter
from sar_service.models import AuditEntry
from tests.staff.conftest import sign_in_as


def _kinds(db) -> set[str]:
    db.expire_all()
    return {e.kind for e in db.query(AuditEntry)}


def test_logins_transitions_downloads_settings_and_exports_are_recorded(web, team, term, db):
    letter = generate_letter(db, db.merge(term.late), "acknowledgement", actor_label="System")
    db.commit()
    web.sign_in(team.dpo, team.dpo_secret)  # through the forms: the sign-in is recorded
    url = f"/staff/cases/oakfield/{term.late.reference}/letters/{letter.id}"
    assert web.get(url).status_code == 200
    web.post("/staff/settings/oakfield/reminders", {"reminders": "5,2"})
    web.post("/staff/settings/oakfield/letters/acknowledgement", {"do": "preview", "text": "x"})
    assert "template" not in _kinds(db)  # a preview changes nothing
    web.post("/staff/settings/oakfield/letters/acknowledgement", {"do": "reset"})
    web.get("/staff/register.csv")
    kinds = _kinds(db)
    assert {"login", "transition", "letter", "download", "settings", "template", "export"} <= kinds
    page = web.get(f"/staff/audit?case={term.late.reference}&kind=transition")
    assert page.status_code == 200
    assert "respond" in page.text and term.on_time.reference not in page.text
    exported = web.get("/staff/audit.csv?kind=login").text
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows and all(r["kind"] == "login" for r in rows)
    assert "Amelia Hart" not in web.get("/staff/audit").text


def test_another_schools_entries_are_not_shown(web, team, term):
    """Both schools have a SAR-2026-0001; only Oakfield's was answered."""
    web.sign_in(team.other_dpo, team.other_secret)
    page = web.get("/staff/audit").text
    assert term.elsewhere.reference in page
    assert "respond:" not in page
    assert web.get("/staff/audit?school=oakfield").status_code == 404


def test_the_audit_log_cannot_be_changed_or_emptied(app, db, team, term):
    entry = db.query(AuditEntry).first()
    entry.summary = "nothing happened"
    with pytest.raises(ValueError, match="append-only"):
        db.commit()
    db.rollback()
    db.delete(db.query(AuditEntry).first())
    with pytest.raises(ValueError, match="append-only"):
        db.commit()
    db.rollback()
    # and the database itself refuses, whatever client writes
    for sql in ("UPDATE audit_log SET summary = 'x'", "DELETE FROM audit_log"):
        engine = app.extensions["sar.db"].engine
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    db.expire_all()
    assert db.query(AuditEntry).count() > 0


def test_a_letter_downloaded_through_the_api_is_in_the_schools_log(client, web, team, term, db):
    letter = generate_letter(db, db.merge(term.late), "acknowledgement", actor_label="System")
    db.commit()
    url = f"/api/v1/cases/{term.late.reference}/letters/{letter.id}"
    assert client.get(url, headers=team.caseworker.headers).status_code == 200
    sign_in_as(web, team, "dpo")
    page = web.get("/staff/audit?kind=download").text
    assert "Caseworker" in page and term.late.reference in page
