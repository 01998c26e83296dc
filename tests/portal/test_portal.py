"""The parent's status page behind a signed link."""

from __future__ import annotations

from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default
from io import BytesIO

import time_machine
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from sar_service.background import sweep
from sar_service.clock import today
from sar_service.models import EvidenceUpload, Notification, OutboxJob
from sar_service.portal import documents
from sar_service.portal.links import portal_path
from sar_service.processes import run_worker
from sar_service.storage import storage
from tests.intake.test_uploads import pdf_bytes
from tests.intake.web import csrf, errors, text
from workflows.calendars import short_date


def _path(app, case) -> str:
    with app.app_context():
        return portal_path(case)


def ask_for_a_new_link(client, case) -> None:
    """What a parent who fears their link leaked does: ask for a new one by reference."""
    client.post(
        "/portal/new-link",
        data={
            "csrf_token": csrf(client.get("/portal/new-link").text),
            "reference": case.reference,
            "email": case.requester_email,
        },
    )


def test_status_page_shows_state_and_due_date(app, client, factory):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    page = client.get(_path(app, case))
    words = text(page.text)
    assert page.status_code == 200
    assert case.reference in words and "We have received your request." in words
    assert f"We will reply by {case.due_date.day} {case.due_date:%B %Y}" in words
    assert f"Received {case.received_on.day} {case.received_on:%B %Y}" in words
    assert "When our reply is ready, you will be able to download it here." in words


def test_educational_record_date_is_shown_only_for_that_request(app, client, factory):
    school = factory.school("oakfield", kind="maintained")
    record = factory.case(school, today(), types=("educational_record",))
    access = factory.case(school, today())
    assert record.school_days_due_date is not None
    words = text(client.get(_path(app, record)).text)
    assert f"Educational record by {short_date(record.school_days_due_date)}" in words
    assert "Educational record by" not in text(client.get(_path(app, access)).text)


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
    assert storage(app).get(row.stored_key) == pdf_bytes()
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
    assert (last["action"], last["actor"], last["data"]["answer"]) == (
        "clarification_received",
        "Requester (portal)",
        "Year 5",
    )
    assert "Year 5" not in last["reason"], "the answer is kept out of the free-text reason"
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


def _link_emails(db) -> list[Notification]:
    db.expire_all()
    return list(db.scalars(select(Notification).where(Notification.kind == "portal_link")))


def _link_jobs(db) -> list[OutboxJob]:
    """The outbox jobs sending portal links (notification rows like every email)."""
    keys = [f"notify:{n.id}" for n in _link_emails(db)]
    return list(db.scalars(select(OutboxJob).where(OutboxJob.key.in_(keys))))


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
    assert _link_jobs(db) == [], "nothing matched: nothing recorded"
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
    [job] = _link_jobs(db)
    [email] = _link_emails(db)
    assert email.data == {} and email.case_id == case.id, "ids only, no link"
    assert run_worker(app, burst=True)
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


def test_new_link_waits_out_an_smtp_outage_and_arrives_once(app, client, factory, db, inbox):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    data = {
        "csrf_token": csrf(client.get("/portal/new-link").text),
        "reference": case.reference,
        "email": "sarah.hart@example.com",
    }
    inbox.refuse = True
    response = client.post("/portal/new-link", data=data)
    assert response.status_code == 302 and response.location.endswith("/portal/new-link/sent")
    run_worker(app, burst=True)  # the job fails: SMTP says 451

    [job] = _link_jobs(db)
    assert (job.status, job.attempts, job.enqueued_at) == ("pending", 1, None)
    assert "451" in job.last_error
    wait = job.run_after - job.claimed_at  # the first backoff, plus the time the try took
    assert timedelta(minutes=1) <= wait < timedelta(minutes=1, seconds=30)
    assert inbox.messages == []

    inbox.refuse = False
    assert job.id not in sweep.run(db, at=job.run_after - timedelta(seconds=1)).enqueued
    assert job.id in sweep.run(db, at=job.run_after).enqueued
    assert run_worker(app, burst=True)
    sweep.run(db, at=job.run_after + timedelta(minutes=30))  # a later sweep finds nothing to do
    run_worker(app, burst=True)

    [job] = _link_jobs(db)
    assert (job.status, job.attempts, job.last_error) == ("done", 2, "")
    sent = [m for m in inbox.messages if "follow request" in m["Subject"]]
    assert [m["To"] for m in sent] == ["sarah.hart@example.com"]
    body = sent[0].get_body(("plain",)).get_content()
    link = next(w for w in body.split() if "/portal/" in w)
    assert client.get(link.replace("http://127.0.0.1:5000", "")).status_code == 200


def test_a_link_to_one_schools_case_does_not_reach_another_schools_case(
    app, client, factory, db, monkeypatch
):
    oakfield, birchwood = factory.school("oakfield"), factory.school("birchwood")
    mine, theirs = factory.case(oakfield, today()), factory.case(birchwood, today())
    path = _path(app, mine)
    page = text(client.get(path).text)
    assert "Oakfield School" in page and "Birchwood School" not in page

    # Guessing: bare case ids, and my token with its payload swapped for the other case.
    for case_id in (mine.id, theirs.id):
        assert client.get(f"/portal/{case_id}").status_code == 404
    payload, stamp, signature = path.removeprefix("/portal/").split(".")
    other = URLSafeTimedSerializer(app.secret_key, salt="portal").dumps(
        {"case": theirs.id, "epoch": theirs.portal_token_epoch}
    )
    swapped = f"/portal/{other.split('.')[0]}.{stamp}.{signature}"
    assert client.get(swapped).status_code == 404
    # A token signed with the app's key for another purpose is not a portal link.
    resume_like = URLSafeTimedSerializer(app.secret_key, salt="draft").dumps(
        {"case": theirs.id, "epoch": theirs.portal_token_epoch}
    )
    assert client.get(f"/portal/{resume_like}").status_code == 404

    # My link only ever shows and changes my case: the other case's documents and
    # uploads are out of its reach.
    theirs_doc = documents.ReleasedDocument("t1", "Their reply.pdf", "application/pdf", pdf_bytes)
    monkeypatch.setattr(
        "sar_service.portal.views.released_documents",
        lambda c: [theirs_doc] if c.id == theirs.id else [],
    )
    assert client.get(f"{path}/documents/t1").status_code == 404
    token = csrf(client.get(path).text)
    r = client.post(
        f"{path}/upload",
        data={"csrf_token": token, "kind": "evidence", "file": (BytesIO(pdf_bytes()), "a.pdf")},
    )
    assert r.status_code == 302
    assert [u.case_id for u in db.scalars(select(EvidenceUpload))] == [mine.id]


def test_a_new_link_revokes_every_earlier_one(app, client, factory, db):
    """Quoted finding: links could not be revoked (the epoch was never increased). A parent
    who fears a link leaked asks for a new one; the old one stops working at once."""
    school = factory.school("oakfield")
    case = factory.case(school, today())
    old = _path(app, case)
    assert client.get(old).status_code == 200
    ask_for_a_new_link(client, case)
    assert client.get(old).status_code == 404
    db.refresh(case)
    assert client.get(_path(app, case)).status_code == 200, "the link now emailed works"


def test_uploads_to_a_finished_request_are_refused(app, client, factory, db):
    """Quoted finding: files could still be uploaded to closed and withdrawn cases."""
    school = factory.school("oakfield")
    for status in ("withdrawn", "closed", "refused"):
        case = factory.case(school, today())
        path = _path(app, case)
        token = csrf(client.get(path).text)
        case.status = status
        db.commit()
        r = client.post(
            f"{path}/upload",
            data={"csrf_token": token, "kind": "evidence", "file": (BytesIO(pdf_bytes()), "a.pdf")},
        )
        assert r.status_code == 400, status
        assert "This request is finished, so we cannot take files for it" in text(r.text)
        assert db.scalar(select(EvidenceUpload).where(EvidenceUpload.case_id == case.id)) is None
