"""From "start gathering" to the parent's download, with a real worker, Redis and SMTP.

Two record owners get an email and upload what they hold, a caseworker
reviews the suggestions, the bundle is built in the background, the DPO
releases it and the parent downloads it from the portal link.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import select

from sar_service.clock import today
from sar_service.models import CaseEvent, Document
from sar_service.models.inventory import DataSource, GatheringTask
from sar_service.models.review import RedactionDecision
from sar_service.portal.links import portal_path
from sar_service.storage import storage
from tests.records.conftest import FIXTURES
from tests.records.helpers import docx_bytes, docx_text, pdf_bytes
from workflows.calendars import long_date

SENCO_NOTE = (
    "Nurture group notes for Amelia Hart.\n"
    "Amelia worked well with Jake Turner this week.\n"
    "Mrs Khan phoned on 0113 496 0123 about an argument with Amira at lunch.\n"
    "Follow-up meeting with Helen Okafor (SENCo) and Mum (Sarah Hart, sarah.hart@example.com).\n"
)
INCIDENT = (
    "Playground incident log",
    "Tobias Okoro pushed Amelia Hart near the climbing frame.",
    "Witness: Zofia Nowak. Her father was emailed at p.nowak@example.com.",
    "Dealt with by David Price.",
)


def _case_url(oak, case, tail: str = "") -> str:
    return f"/staff/cases/{oak.school.slug}/{case.reference}{tail}"


def _import(web, slug: str, kind: str, name: str):
    data = (FIXTURES / name).read_bytes()
    response = web.post(
        f"/staff/settings/{slug}/mis", {"kind": kind, "file": (io.BytesIO(data), name)}
    )
    assert response.status_code == 302, response.text


def _set_owners(app, oak, db):
    dpo = oak.web(app, "dpo")
    assert dpo.post(f"/staff/settings/{oak.school.slug}/inventory/seed").status_code == 302
    owners = {"Email": oak.senco.user.id, "Paper files": oak.office.user.id}
    for source in db.scalars(select(DataSource).where(DataSource.school_id == oak.school.id)):
        owner = owners.get(source.name, "")
        response = dpo.post(
            f"/staff/settings/{oak.school.slug}/inventory/{source.id}",
            {"owner": str(owner), "active": "yes", "categories": "Everything"},
        )
        assert response.status_code == 302, response.text


def _task_for(db, case, user) -> GatheringTask:
    db.expire_all()
    return db.scalar(
        select(GatheringTask).where(
            GatheringTask.case_id == case.id, GatheringTask.assignee_id == user.id
        )
    )


def _upload(web, task, *files):
    assert "up to 25MB each." in web.get(f"/staff/tasks/{task.id}").text  # filecheck.MAX_BYTES
    payload = {"files": [(io.BytesIO(data), name) for name, data in files]}
    response = web.post(f"/staff/tasks/{task.id}/upload", payload)
    assert response.status_code == 302, response.text


def _doc(db, case, filename) -> Document:
    db.expire_all()
    return db.scalar(
        select(Document).where(Document.case_id == case.id, Document.filename == filename)
    )


def _decisions(db, doc) -> dict[str, RedactionDecision]:
    rows = db.scalars(select(RedactionDecision).where(RedactionDecision.document_id == doc.id))
    return {r.text: r for r in rows}


def _api_action(client, staff, case, action: str):
    response = client.post(
        f"/api/v1/cases/{case.reference}/actions", json={"action": action}, headers=staff.headers
    )
    assert response.status_code == 200, response.text


def test_gathering_review_bundle_release_download(app, db, client, factory, oak, inbox, run_worker):
    slug = oak.school.slug
    dpo, caseworker = oak.web(app, "dpo"), oak.web(app, "caseworker")
    _import(dpo, slug, "roll", "roll.csv")
    _import(dpo, slug, "attendance", "attendance.csv")
    _set_owners(app, oak, db)
    case = factory.case(oak.school, today() - timedelta(days=2), types=("access",))

    # Identity confirmed: the outbox starts gathering and emails the two owners.
    _api_action(client, oak.caseworker, case, "verify_identity")
    run_worker()
    tasks = db.scalars(select(GatheringTask).where(GatheringTask.case_id == case.id)).all()
    assert {t.source_name for t in tasks} >= {"Email", "Paper files"}
    assert all(t.due_on and t.due_on <= case.due_date for t in tasks)
    searches = [m for m in inbox.messages if m["Subject"].startswith("Records search")]
    assert sorted(m["To"] for m in searches) == [
        "office@oakfield.example",
        "senco@oakfield.example",
    ]
    assert all(case.reference in m["Subject"] for m in searches)
    body = searches[0].get_body(("plain",)).get_content()
    assert "Amelia" not in body
    task = next(t for t in tasks if t.assignee and t.assignee.email == searches[0]["To"])
    assert f"Please finish by {long_date(task.due_on)}" in body
    link = next(w for w in body.split() if "/staff/tasks/" in w)
    assert app.url_map.bind("").match(link.split("5000", 1)[1])[0] == "records.task_page"
    page = caseworker.post(_case_url(oak, case, "/gathering/start"))
    assert "Gathering had already started" in caseworker.get(page.location).text

    # The pupil's MIS rows arrived as documents; the two owners upload what they hold.
    assert _doc(db, case, "Attendance records from the MIS.csv") is not None
    senco, office = oak.web(app, "senco"), oak.web(app, "office")
    senco_task, office_task = (
        _task_for(db, case, oak.senco.user),
        _task_for(db, case, oak.office.user),
    )
    assert case.reference in senco.get("/staff/tasks").text
    _upload(
        senco, senco_task, ("nurture_notes.txt", SENCO_NOTE.encode()), ("scan.pdf", pdf_bytes())
    )
    _upload(office, office_task, ("incident.docx", docx_bytes(*INCIDENT)))
    db.expire_all()
    for task in db.scalars(select(GatheringTask).where(GatheringTask.case_id == case.id)).all():
        if task.status == "open":
            response = caseworker.post(
                _case_url(oak, case, f"/gathering/tasks/{task.id}/drop"),
                {"reason": "Covered by the MIS export imported automatically"},
            )
            assert response.status_code == 302, response.text
    gathering_page = caseworker.get(_case_url(oak, case, "/gathering")).text
    assert "nurture_notes.txt" in gathering_page and "incident.docx" in gathering_page
    assert "up to 25MB." in gathering_page  # filecheck.MAX_BYTES

    # Review: accept third parties, keep the SENCo named in her professional role.
    _api_action(client, oak.caseworker, case, "start_review")
    note = _doc(db, case, "nurture_notes.txt")
    found = _decisions(db, note)
    assert {"Jake Turner", "Mrs Khan", "0113 496 0123", "Helen Okafor"} <= found.keys()
    assert "Amelia Hart" not in found and "sarah.hart@example.com" not in found
    choices = {f"d-{r.key}": "accepted" for r in found.values()}
    choices[f"d-{found['Helen Okafor'].key}"] = "rejected"
    assert caseworker.post(_case_url(oak, case, f"/review/{note.id}"), choices).status_code == 302

    incident = _doc(db, case, "incident.docx")
    for kind in ("name", "email"):
        response = caseworker.post(
            _case_url(oak, case, f"/review/{incident.id}/bulk"), {"kind": kind}
        )
        assert response.status_code == 302
    incident_found = _decisions(db, incident)
    assert {"Tobias Okoro", "Zofia Nowak", "p.nowak@example.com"} <= incident_found.keys()

    early = caseworker.post(_case_url(oak, case, "/bundle"))
    assert early.status_code == 409 and "scan.pdf: needs a redacted copy" in early.text

    scan = _doc(db, case, "scan.pdf")
    redacted_pdf = pdf_bytes("redacted by hand")
    response = caseworker.post(
        _case_url(oak, case, f"/review/{scan.id}/redacted"),
        {"file": (io.BytesIO(redacted_pdf), "scan-redacted.pdf")},
    )
    assert response.status_code == 302, response.text
    # The MIS export's "Mark" column heading looks like a parent's first name: kept.
    mis_docs = db.scalars(
        select(Document).where(Document.case_id == case.id, Document.kind == "record")
    ).all()
    for doc in mis_docs:
        keep = {f"d-{r.key}": "rejected" for r in _decisions(db, doc).values()}
        assert caseworker.post(_case_url(oak, case, f"/review/{doc.id}"), keep).status_code == 302
    response = caseworker.post(
        _case_url(oak, case, "/withholdings"),
        {"exemption": "serious_harm", "reason": "Social worker's assessment; harm to the child"},
    )
    assert response.status_code == 302, response.text

    # The response letter goes in the bundle.
    stored = storage(app).put(docx_bytes("Dear Ms Hart, here is the information."))
    db.add(
        Document(
            case_id=case.id,
            kind="letter",
            letter_kind="access_response",
            filename="Access response.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.key,
        )
    )
    db.commit()

    # Build in the background; the case page and the JSON endpoint show progress.
    assert caseworker.post(_case_url(oak, case, "/bundle")).status_code == 302
    assert "Building" in caseworker.get(_case_url(oak, case)).text
    run_worker()
    review_page = caseworker.get(_case_url(oak, case, "/review")).text
    bundle_id = (
        int(review_page.split("/bundle/")[1].split(".json")[0]) if ".json" in review_page else None
    )
    assert bundle_id is None  # finished: no progress bar any more
    assert "Download the bundle" in review_page
    assert "Ready" in caseworker.get(_case_url(oak, case)).text

    # Only the DPO releases, after sign-off has been asked for.
    _api_action(client, oak.caseworker, case, "submit_for_signoff")
    from sar_service.models.review import Bundle

    bundle = db.scalar(select(Bundle).where(Bundle.case_id == case.id))
    status = caseworker.get(_case_url(oak, case, f"/bundle/{bundle.id}.json")).json
    assert status == {"status": "ready", "progress": 100, "error": None}
    assert caseworker.post(_case_url(oak, case, f"/bundle/{bundle.id}/release")).status_code == 403
    assert "portal link for 30 days." in dpo.get(_case_url(oak, case, "/review")).text
    assert dpo.post(_case_url(oak, case, f"/bundle/{bundle.id}/release")).status_code == 302

    # The parent downloads from the portal link; the download is audited.
    with app.test_request_context():
        link = portal_path(case)
    parent = app.test_client()
    status_page = parent.get(link).text
    assert f"{case.reference} disclosure.zip" in status_page
    download = parent.get(f"{link}/documents/bundle-{bundle.document_id}")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    db.expire_all()
    audited = db.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.action == "bundle_downloaded"
        )
    ).all()
    assert len(audited) == 1

    with zipfile.ZipFile(io.BytesIO(download.data)) as zf:
        names = zf.namelist()
        index = zf.read("index.html").decode()
        files = {n: zf.read(n) for n in names}

    # Every accepted redaction is gone, every rejected one is still there.
    note_copy = next(v for n, v in files.items() if "nurture_notes" in n).decode()
    for text in ("Jake Turner", "Mrs Khan", "0113 496 0123"):
        assert text not in note_copy
    assert "Helen Okafor" in note_copy and "Amelia Hart" in note_copy
    assert "[REDACTED" in note_copy
    incident_copy = docx_text(next(v for n, v in files.items() if "incident" in n))
    for text in ("Tobias Okoro", "Zofia Nowak", "p.nowak@example.com"):
        assert text not in incident_copy
    assert "Amelia Hart" in incident_copy
    pdfs = [v for n, v in files.items() if n.endswith(".pdf")]
    assert pdfs == [redacted_pdf]
    assert b"Mark" in next(v for n, v in files.items() if "Attendance" in n)
    assert any(n.startswith("letter/") for n in names)

    # The index lists every document, with its source, and the withholding.
    originals = db.scalars(
        select(Document).where(Document.case_id == case.id, Document.kind.in_(("upload", "record")))
    ).all()
    assert len(originals) == 5
    for doc in originals:
        assert doc.filename in index or doc.filename.rsplit(".", 1)[0] in index
    for n in names:
        if n.startswith("documents/"):
            assert f'href="{quote(n)}"' in index
    assert "Serious harm" in index and "Email" in index and "Paper files" in index
