"""The parent's status page behind a signed link."""

from __future__ import annotations

from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default
from io import BytesIO

import time_machine
from sqlalchemy import select

from sar_service.clock import today
from sar_service.models import Case, EvidenceUpload
from sar_service.portal import documents
from sar_service.portal.links import portal_path
from tests.intake.test_uploads import pdf_bytes
from tests.intake.web import csrf, errors, text


def _path(app, case) -> str:
    with app.app_context():
        return portal_path(case)


def test_status_page_shows_state_and_due_date(app, client, factory):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    page = client.get(_path(app, case))
    words = text(page.text)
    assert page.status_code == 200
    assert case.reference in words and "We have received your request." in words
    assert f"We will reply by {case.due_date.day} {case.due_date:%B %Y}" in words
    assert "When our reply is ready, you will be able to download it here." in words


def test_forged_expired_and_revoked_links_do_not_work(app, client, factory, db):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    path = _path(app, case)
    assert client.get(path[:-3] + "abc").status_code == 404
    with time_machine.travel(date.today() + timedelta(days=31)):
        assert client.get(path).status_code == 404
    assert client.get(path).status_code == 200
    case.portal_token_epoch += 1
    db.commit()
    page = client.get(path)
    assert page.status_code == 404 and "Get a new link" in page.text


def test_parent_uploads_identity(app, client, factory, db):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    path = _path(app, case)
    token = csrf(client.get(path).text)
    r = client.post(
        f"{path}/upload",
        data={
            "csrf_token": token,
            "kind": "identity",
            "file": (BytesIO(b"not an image"), "id.jpg"),
        },
    )
    assert r.status_code == 400
    assert errors(r.text)[0].startswith("The selected file must be a PDF")
    r = client.post(
        f"{path}/upload",
        data={
            "csrf_token": token,
            "kind": "identity",
            "file": (BytesIO(pdf_bytes()), "licence.pdf"),
        },
    )
    assert r.status_code == 302
    page = text(client.get(path).text)
    assert "We have received licence.pdf" in page and "licence.pdf (proof of identity)" in page
    row = db.scalar(select(EvidenceUpload))
    assert (row.case_id, row.kind, row.source) == (case.id, "identity", "portal")
    db.refresh(case)
    assert case.events[-1].action == "evidence_uploaded"


def test_answering_the_clarification_question_ends_the_pause(app, client, factory, db):
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today())
    asked = client.post(
        f"/api/v1/cases/{case.reference}/actions",
        json={"action": "request_clarification", "reason": "Which school year do you mean?"},
        headers=dpo.headers,
    )
    assert asked.status_code == 200, asked.text
    path = _path(app, case)
    page = client.get(path)
    assert "Which school year do you mean?" in page.text
    token = csrf(page.text)
    empty = client.post(f"{path}/clarification", data={"csrf_token": token, "answer": " "})
    assert errors(empty.text) == ["Enter your answer."]
    r = client.post(f"{path}/clarification", data={"csrf_token": token, "answer": "Year 5"})
    assert r.status_code == 302
    api = client.get(f"/api/v1/cases/{case.reference}", headers=dpo.headers).get_json()
    assert api["paused"] is False and api["status"] == "received"
    last = api["events"][-1]
    assert (last["action"], last["actor"], last["reason"]) == (
        "clarification_received",
        "Requester (portal)",
        "Year 5",
    )
    again = client.post(f"{path}/clarification", data={"csrf_token": token, "answer": "Y5"})
    assert again.status_code == 400
    assert "We are not waiting for an answer from you at the moment." in text(again.text)
    assert "We need your answer" not in client.get(path).text


def test_released_documents_can_be_downloaded(app, client, factory, monkeypatch):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    doc = documents.ReleasedDocument("d1", "Our reply.pdf", "application/pdf", pdf_bytes)
    monkeypatch.setattr("sar_service.portal.views.released_documents", lambda c: [doc])
    path = _path(app, case)
    assert "Our reply.pdf" in client.get(path).text
    got = client.get(f"{path}/documents/d1")
    assert got.data == pdf_bytes() and "attachment" in got.headers["Content-Disposition"]
    assert client.get(f"{path}/documents/nope").status_code == 404
    assert documents.released_documents(case) == []


def _outbox(app) -> set:
    return set(app.config["SAR_SETTINGS"].outbox_dir.glob("*.eml"))


def _read(paths) -> list:
    return [message_from_bytes(p.read_bytes(), policy=default) for p in paths]


def test_new_link_never_reveals_whether_a_case_exists(app, client, factory, db):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    before = _outbox(app)  # other tests' messages share the outbox folder
    form = client.get("/portal/new-link")
    token = csrf(form.text)
    wrong = client.post(
        "/portal/new-link",
        data={"csrf_token": token, "reference": "SAR-1999-9", "email": "nobody@example.com"},
    )
    right = client.post(
        "/portal/new-link",
        data={
            "csrf_token": token,
            "reference": case.reference.lower(),
            "email": "Sarah.Hart@example.com",
        },
    )
    assert wrong.status_code == right.status_code == 302
    assert wrong.location == right.location
    sent = [m for m in _read(_outbox(app) - before) if "follow request" in m["Subject"]]
    assert [(m["To"], m["Subject"]) for m in sent] == [
        ("sarah.hart@example.com", f"Your link to follow request {case.reference}")
    ]
    body = sent[0].get_body(("plain",)).get_content()
    link = next(w for w in body.split() if "/portal/" in w)
    assert client.get(link.replace("http://127.0.0.1:5000", "")).status_code == 200
    blank = client.post("/portal/new-link", data={"csrf_token": token})
    assert errors(blank.text) == [
        "Enter your reference, like SAR-2026-0001.",
        "Enter the email address you gave us.",
    ]


def test_case_from_another_school_cannot_be_reached_by_guessing(app, client, factory, db):
    school = factory.school("oakfield")
    factory.case(school, today())
    assert db.scalar(select(Case)) is not None
    assert client.get("/portal/1").status_code == 404
