"""Issue 11 item 13: an access response carries every Art 15 item itself.

Automated decision-making (15(1)(h)) and transfer safeguards (15(2)) are the school's
own facts, entered once in its settings, never a fixed sentence; "available on request"
does not satisfy Art 15, so the response cannot be made while an item is missing (the
refusal names it); the source of the data comes from the record (the gathering log and
the privacy notice), not "Most of the information came from you"."""

from __future__ import annotations

from pathlib import Path

from sar_service.clock import today
from sar_service.letters.context import DEFAULT_AUTOMATED_DECISIONS
from sar_service.letters.service import create_letter
from sar_service.models import Document
from sar_service.models.inventory import GatheredDocument
from sar_service.notices.store import import_notice
from tests.letters.conftest import open_letter, sign_in_as

SEED = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "notices").glob("seed_*.txt"))[0]
AUTOMATED = "We use no automated decision-making about pupils, and no profiling."
TRANSFERS = (
    "Our homework platform stores pupils' work in the USA under the UK Extension to the "
    "EU-US Data Privacy Framework; our email is hosted in the UK."
)


def _settings(web, school, **values):
    url = f"/staff/settings/{school.slug}/art15"
    return web.post(url, {"automated_decisions": "", "transfers_abroad": ""} | values)


def test_without_the_schools_facts_the_response_is_refused_and_names_them(
    db, factory, letterhead_school
):
    case = factory.case(letterhead_school, today())
    document, errors = create_letter(db, case, "access_response", {}, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert document is None
    message = errors["kind"]
    assert "'available on request' is not enough" in message
    for item in ("purposes", "recipients", "retention", "sources", "15(1)(h)", "15(2)"):
        assert item in message, item
    assert db.query(Document).filter_by(case_id=case.id, kind="letter").count() == 0


def test_the_settings_page_takes_the_facts_once_and_refuses_on_request(web, team, db):
    sign_in_as(web, team, "dpo")
    vague = _settings(
        web, team.school, automated_decisions=AUTOMATED, transfers_abroad="Available on request."
    )
    assert vague.status_code == 422 and "does not satisfy Article 15" in vague.text
    empty = _settings(web, team.school, automated_decisions=AUTOMATED)
    assert empty.status_code == 422
    saved = _settings(web, team.school, automated_decisions=AUTOMATED, transfers_abroad=TRANSFERS)
    assert saved.status_code == 302
    db.refresh(team.school)
    assert team.school.settings["art15"] == {
        "automated_decisions": AUTOMATED,
        "transfers_abroad": TRANSFERS,
    }
    assert AUTOMATED in web.get(f"/staff/settings/{team.school.slug}").text


def test_the_response_quotes_the_schools_facts_and_the_records_sources(app, web, team, db, factory):
    sign_in_as(web, team, "dpo")
    _settings(web, team.school, automated_decisions=AUTOMATED, transfers_abroad=TRANSFERS)
    db.expire_all()  # the page saved them in its own session
    import_notice(db, team.school, SEED.read_bytes(), SEED.name, "DPO")
    case = factory.case(team.school, today())
    upload = Document(case_id=case.id, kind="record", filename="log.txt", storage_key="k1",
                      content_type="text/plain", size=1, sha256="1" * 64)  # fmt: skip
    db.add(upload)
    db.flush()
    db.add(GatheredDocument(document_id=upload.id, case_id=case.id,
                            source_name="CPOMS safeguarding log", file_kind="txt"))  # fmt: skip
    db.commit()
    document, errors = create_letter(db, case, "access_response", {}, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert errors == {}, errors
    assert document.failed_checks == []
    flat = open_letter(app, document).flat
    assert AUTOMATED in flat and TRANSFERS in flat
    assert DEFAULT_AUTOMATED_DECISIONS not in flat
    assert "CPOMS safeguarding log" in flat
    assert "Most of the information came from" not in flat and "on request" not in flat
