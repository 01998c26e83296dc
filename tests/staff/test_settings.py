"""A DPO's settings: details, calendar, staff and roles, reminders, privacy notice."""

from __future__ import annotations

import io

from sar_service.models import CalendarEntry, Membership, School, User
from sar_service.processes import run_worker
from tests.staff.conftest import sign_in_as

BASE = "/staff/settings/oakfield"


def test_school_details_are_saved_and_checked(web, team, db):
    sign_in_as(web, team, "dpo")
    page = web.get(BASE)
    assert page.status_code == 200 and "Settings for Oakfield School" in page.text
    form = {
        "name": "Oakfield Primary",
        "address": "1 Oak Lane",
        "phone": "01632 960000",
        "email": "office@oak.example",
        "website": "https://oak.example",
        "dpo_name": "Dana Price",
        "dpo_email": "dpo@oak.example",
        "dpo_phone": "",
        "reference_prefix": "oak",
        "retention_years": "7",
    }
    assert web.post(BASE + "/details", form).status_code == 302
    db.expire_all()
    school = db.get(School, team.school.id)
    assert (school.name, school.reference_prefix, school.retention_years) == (
        "Oakfield Primary",
        "OAK",
        7,
    )
    bad = web.post(BASE + "/details", form | {"retention_years": "many", "email": "nope"})
    assert bad.status_code == 422
    assert 'id="retention_years-error"' in bad.text and 'id="email-error"' in bad.text


def test_settings_lead_to_letters_inventory_and_mis_imports(web, team):
    sign_in_as(web, team, "dpo")
    page = web.get(BASE).text
    for path in ("/letters", "/inventory", "/mis"):
        assert f'href="{BASE}{path}"' in page
        assert web.get(BASE + path).status_code == 200


def test_term_calendar_upload_replaces_the_list(web, team, db):
    sign_in_as(web, team, "dpo")
    csv_text = (
        "start,end,label\n2026-02-23,2026-03-27,Spring 2\n2026-03-09,2026-03-09,closed: INSET\n"
    )
    data = {"calendar": (io.BytesIO(csv_text.encode()), "terms.csv")}
    response = web.post(BASE + "/calendar", data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "Spring 2" in web.get(BASE).text
    assert db.query(CalendarEntry).filter_by(school_id=team.school.id).count() == 2
    broken = {"calendar": (io.BytesIO(b"2026-13-01,2026-01-01,x\n"), "bad.csv")}
    bad = web.post(BASE + "/calendar", broken, content_type="multipart/form-data")
    assert bad.status_code == 422 and "line 1" in bad.text
    assert db.query(CalendarEntry).filter_by(school_id=team.school.id).count() == 2


def test_staff_can_be_added_given_a_role_and_removed(web, other_web, team, db, app):
    sign_in_as(web, team, "dpo")
    form = {"staff-name": "Nia New", "staff-email": "nia@oak.example", "staff-role": "owner"}
    outbox = app.config["SAR_SETTINGS"].outbox_dir
    before = set(outbox.glob("*.eml"))
    assert web.post(BASE + "/staff", form).status_code == 302
    assert run_worker(app, burst=True)  # the invitation is sent by a worker
    assert any("nia@oak.example" in p.read_text() for p in set(outbox.glob("*.eml")) - before)
    nia = db.query(User).filter_by(email="nia@oak.example").one()
    response = web.post(f"{BASE}/staff/{nia.id}", {"do": "role", "role": "caseworker"})
    assert response.status_code == 302
    db.expire_all()
    assert db.query(Membership).filter_by(user_id=nia.id).one().role == "caseworker"
    sign_in_as(other_web, team, "caseworker")
    web.post(f"{BASE}/staff/{team.caseworker.user.id}", {"do": "remove"})
    assert other_web.get("/staff/queue").status_code == 302, "removed staff are signed out"
    db.expire_all()
    assert db.get(User, team.caseworker.user.id).is_active is False


def test_the_last_dpo_cannot_be_removed_or_demoted(web, team):
    sign_in_as(web, team, "dpo")
    me = team.dpo.user.id
    response = web.post(f"{BASE}/staff/{me}", {"do": "role", "role": "viewer"})
    assert response.status_code == 422 and "at least one DPO" in response.text


def test_reminder_timing(web, team, db):
    sign_in_as(web, team, "dpo")
    assert web.post(BASE + "/reminders", {"reminders": "2, 7, 0"}).status_code == 302
    db.expire_all()
    assert db.get(School, team.school.id).settings["reminders"] == {
        "before_working_days": [7, 2, 0]
    }
    bad = web.post(BASE + "/reminders", {"reminders": "soon"})
    assert bad.status_code == 422 and "not a whole number" in bad.text
    # The sweep ignores more than 30 working days, so the form refuses it rather than
    # saying "saved" and then never sending that reminder.
    too_far = web.post(BASE + "/reminders", {"reminders": "45, 7"})
    assert too_far.status_code == 422 and "from 0 to 30" in too_far.text


def test_privacy_notice_upload(web, team):
    sign_in_as(web, team, "dpo")
    text = (
        "Privacy notice for pupils\n\nThe categories of pupil information we collect include:\n"
        "- personal identifiers\n- attendance information\n\nWe share pupil information with "
        "the Department for Education.\n"
    )
    data = {"notice": (io.BytesIO(text.encode()), "notice.txt")}
    response = web.post(BASE + "/notice", data, content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    assert "Current notice: <strong>notice.txt</strong>" in web.get(BASE).text
    empty = web.post(BASE + "/notice", {}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choose the privacy notice file" in empty.text


def test_settings_are_for_dpos_only(web, team):
    sign_in_as(web, team, "caseworker")
    assert web.get(BASE).status_code == 403
    assert web.get("/staff/settings").status_code == 403
    web.post("/staff/sign-out")
    sign_in_as(web, team, "dpo")
    assert web.get(f"/staff/settings/{team.other.slug}").status_code == 404
