"""The inventory from the privacy notice, MIS imports, and the gathering tasks they drive."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from sar_service.models import CaseEvent, Document
from sar_service.models.inventory import DataSource, GatheringTask
from sar_service.models.roll import MisRecord, RollPerson
from sar_service.notices.store import import_notice
from sar_service.records import gathering, inventory, mis
from tests.records.conftest import FIXTURES

NOTICE = (Path(__file__).parent.parent / "fixtures" / "notices" / "seed_000.txt").read_bytes()


def test_inventory_seeded_from_the_notice_categories(db, factory):
    school = factory.school("oakfield")
    import_notice(db, school, NOTICE, "notice.txt")
    added = inventory.seed_inventory(db, school)
    db.commit()
    by_name = {s.name: s for s in added}
    assert {"Medical records system", "SEN files", "CCTV", "Photos", "Email", "Paper files"} <= set(
        by_name
    )
    assert "Relevant medical information" in by_name["Medical records system"].categories
    assert "CCTV images" in by_name["CCTV"].categories
    mis_categories = by_name["MIS (management information system)"].categories
    assert "Attendance information" in mis_categories
    assert inventory.seed_inventory(db, school) == []  # idempotent


def test_dpo_sets_owners_in_settings_and_others_cannot(app, db, oak):
    dpo = oak.web(app, "dpo")
    slug = oak.school.slug
    assert dpo.post(f"/staff/settings/{slug}/inventory/seed").status_code == 302
    email = db.scalar(select(DataSource).where(DataSource.name == "Email"))
    page = dpo.post(
        f"/staff/settings/{slug}/inventory/{email.id}",
        {"owner": str(oak.senco.user.id), "active": "yes", "categories": "Emails; Letters"},
    )
    assert page.status_code == 302
    db.expire_all()
    assert email.owner_id == oak.senco.user.id and email.categories == ["Emails", "Letters"]
    bad = dpo.post(f"/staff/settings/{slug}/inventory", {"name": "", "system_kind": "other"})
    assert bad.status_code == 422 and "Enter the name" in bad.text
    assert oak.web(app, "caseworker").get(f"/staff/settings/{slug}/inventory").status_code == 403


def test_roll_import_is_header_tolerant_and_links_contacts(db, factory):
    school = factory.school("oakfield")
    result = mis.import_csv(db, school, "roll", (FIXTURES / "roll.csv").read_bytes())
    assert result.ok and result.count == 12
    parents = db.scalars(select(RollPerson).where(RollPerson.role == "parent")).all()
    sarah = next(p for p in parents if p.name == "Sarah Hart")
    assert sarah.pupil_upn == "A123456789012" and sarah.phone == "07700 900123"
    amelia = db.scalar(select(RollPerson).where(RollPerson.upn == "A123456789012"))
    assert amelia.name == "Amelia Hart" and amelia.date_of_birth == date(2015, 5, 4)


def test_bad_lines_are_reported_and_nothing_is_imported(app, db, oak):
    csv_text = (
        "UPN,Forename,Surname,DOB,Role\n"
        "A123456789012,Amelia,Hart,04/05/2015,pupil\n"
        "A12,Jake,Turner,12/01/2015,pupil\n"
        ",,,,\n"
        "C801234567892,,,31/02/2015,pupil\n"
        "D801234567893,Tobias,Okoro,22/11/2015,wizard\n"
    )
    dpo = oak.web(app, "dpo")
    response = dpo.post(
        f"/staff/settings/{oak.school.slug}/mis",
        {"kind": "roll", "file": (io.BytesIO(csv_text.encode()), "roll.csv")},
    )
    assert response.status_code == 422
    assert "Line 3: the UPN &#39;A12&#39; is not valid" in response.text
    assert "Line 5: there is no name." in response.text
    assert "Line 5: the date of birth &#39;31/02/2015&#39; is not a date." in response.text
    assert "Line 6: the role &#39;wizard&#39; is not pupil, parent or staff." in response.text
    assert db.scalar(select(RollPerson).limit(1)) is None
    no_upn = dpo.post(
        f"/staff/settings/{oak.school.slug}/mis",
        {"kind": "behaviour", "file": (io.BytesIO(b"Name,Incident\nX,Y\n"), "b.csv")},
    )
    assert no_upn.status_code == 422 and "The file has no UPN column" in no_upn.text


def test_dataset_import_replaces_the_previous_one(db, factory):
    school = factory.school("oakfield")
    data = (FIXTURES / "attendance.csv").read_bytes()
    assert mis.import_csv(db, school, "attendance", data).count == 4
    assert mis.import_csv(db, school, "attendance", data).count == 4
    db.commit()
    assert len(db.scalars(select(MisRecord)).all()) == 4


def test_task_due_dates_are_ahead_of_the_statutory_date_never_after(db, factory):
    school = factory.school("oakfield")
    case = factory.case(school, date(2026, 3, 2))
    assert case.due_date == date(2026, 4, 2)
    with time_machine.travel(date(2026, 3, 3)):
        assert gathering.task_due_on(case) == date(2026, 3, 19)  # 10 working days before
    with time_machine.travel(date(2026, 3, 30)):
        assert gathering.task_due_on(case) == date(2026, 3, 30)  # late start: today
    with time_machine.travel(date(2026, 4, 10)):
        assert gathering.task_due_on(case) == date(2026, 4, 2)  # never after the due date


def test_start_gathering_is_idempotent_and_builds_mis_documents(app, db, factory, oak):
    mis.import_csv(db, oak.school, "roll", (FIXTURES / "roll.csv").read_bytes())
    mis.import_csv(db, oak.school, "attendance", (FIXTURES / "attendance.csv").read_bytes())
    db.commit()
    case = factory.case(oak.school, date.today() - timedelta(days=1))
    caseworker = oak.web(app, "caseworker")
    url = f"/staff/cases/{oak.school.slug}/{case.reference}/gathering"
    assert "Start gathering" in caseworker.get(url).text
    assert caseworker.post(f"{url}/start").status_code == 302
    assert caseworker.post(f"{url}/start").status_code == 302
    db.expire_all()
    tasks = db.scalars(select(GatheringTask).where(GatheringTask.case_id == case.id)).all()
    assert {t.source_name for t in tasks} == {
        "MIS (management information system)",
        "Email",
        "Paper files",
    }
    records = db.scalars(select(Document).where(Document.kind == "record")).all()
    attendance = next(d for d in records if d.filename.startswith("Attendance"))
    from sar_service.storage import storage

    rows = storage(app).get(attendance.storage_key).decode().splitlines()
    assert len(rows) == 4 and all("A123456789012" in r for r in rows[1:])  # only Amelia's rows
    started = db.scalars(select(CaseEvent).where(CaseEvent.action == "gathering_started")).all()
    assert len(started) == 1


def test_owner_records_nothing_held_with_a_note(app, db, factory, oak):
    case = factory.case(oak.school, date.today())
    task = GatheringTask(case_id=case.id, source_name="SEN files", assignee_id=oak.senco.user.id)
    db.add(task)
    db.commit()
    senco = oak.web(app, "senco")
    assert "SEN files" in senco.get("/staff/tasks").text
    empty = senco.post(f"/staff/tasks/{task.id}/nothing-held", {"note": "  "})
    assert empty.status_code == 422 and "Say where you looked" in empty.text
    done = senco.post(f"/staff/tasks/{task.id}/nothing-held", {"note": "Searched SEN folder"})
    assert done.status_code == 302
    db.expire_all()
    assert task.status == "nothing_held" and task.completed_by.startswith("Owner")
    assert "SEN files" not in senco.get("/staff/tasks").text
    assert oak.web(app, "office").get(f"/staff/tasks/{task.id}").status_code == 404


def test_dropping_a_task_needs_a_reason(app, db, factory, oak):
    case = factory.case(oak.school, date.today())
    task = GatheringTask(case_id=case.id, source_name="CCTV")
    db.add(task)
    db.commit()
    caseworker = oak.web(app, "caseworker")
    url = f"/staff/cases/{oak.school.slug}/{case.reference}/gathering/tasks/{task.id}/drop"
    response = caseworker.post(url, {"reason": ""})
    assert (
        response.status_code == 422
        and "Say why this source does not need searching" in response.text
    )
    assert caseworker.post(url, {"reason": "CCTV kept 30 days only"}).status_code == 302
    db.expire_all()
    assert task.status == "dropped"
