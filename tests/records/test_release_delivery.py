"""The response is a deliverable: "response sent" needs the letter sent and the documents
released or delivered another way; releasing emails the parent a link (issue 10, item 4)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from sar_service.cases import machine
from sar_service.clock import today
from sar_service.models import CaseEvent, Document, Notification
from sar_service.models.notification import FAILED
from sar_service.models.release import Delivery
from sar_service.storage import storage
from tests.records.release_support import released_case


def _at_signoff(db, factory, school, types=("access",)):
    case = factory.case(school, today() - timedelta(days=5), types=types)
    for action in ("verify_identity", "start_review", "submit_for_signoff"):
        machine.apply(db, case, machine.Request(action), machine.Actor.system("test"))
    db.commit()
    return case


def _respond(client, staff, case):
    return client.post(
        f"/api/v1/cases/{case.reference}/actions", json={"action": "respond"}, headers=staff.headers
    )


def _letter(db, case, kind: str, via: str, notification: Notification | None = None) -> Document:
    """A response letter as the letters branch leaves it once sent (``sent_via`` set)."""
    stored = storage().put(b"letter")
    version = 1 + len(
        db.scalars(
            select(Document).where(Document.case_id == case.id, Document.letter_kind == kind)
        ).all()
    )
    doc = Document(
        case_id=case.id, kind="letter", letter_kind=kind, version=version, filename=f"{kind}.docx",
        content_type="application/octet-stream", size=stored.size, sha256=stored.sha256,
        storage_key=stored.key, sent_via=via, sent_on=today(),
        notification_id=notification.id if notification else None,
    )  # fmt: skip
    db.add(doc)
    db.commit()
    return doc


def test_response_sent_needs_the_letter_sent_and_the_documents_delivered(
    app, db, client, factory, oak
):
    """Quoted: "Sign off and record response sent was allowed with the bundle not built and
    nothing released"."""
    case = _at_signoff(db, factory, oak.school)
    refused = _respond(client, oak.dpo, case)
    assert refused.status_code == 409, refused.text
    detail = refused.json["detail"]
    assert "send the access response letter" in detail
    assert "release the documents in the portal, or record how they were delivered" in detail

    # A draft letter is not a sent one.
    _letter(db, case, "access_response", via="")
    assert "send the access response letter" in _respond(client, oak.dpo, case).json["detail"]

    # The letter went by email, and the email finally failed: that is said, not counted.
    failed = Notification(key=f"t:{case.id}", kind="documents_released", status=FAILED)
    db.add(failed)
    db.commit()
    _letter(db, case, "access_response", via="email", notification=failed)
    detail = _respond(client, oak.dpo, case).json["detail"]
    assert "the email carrying the access response letter failed" in detail

    # Sent by post: only the documents are missing now.
    _letter(db, case, "access_response", via="post")
    detail = _respond(client, oak.dpo, case).json["detail"]
    assert "letter" not in detail and "release the documents" in detail

    # The DPO records the documents went by post, with the day: now it can be recorded.
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    dpo = oak.web(app, "dpo")
    posted = dpo.post(f"{base}/delivery", {"via": "post", "on": today().isoformat()})
    assert posted.status_code == 302, posted.text
    db.expire_all()  # ``client`` shares this test's session; the page used its own
    done = _respond(client, oak.dpo, case)
    assert done.status_code == 200, done.text
    db.expire_all()
    assert case.status == "responded"


def test_other_rights_need_their_outcome_letters_but_no_documents(db, client, factory, oak):
    case = _at_signoff(db, factory, oak.school, types=("erasure", "objection"))
    detail = _respond(client, oak.dpo, case).json["detail"]
    assert "the erasure outcome letter" in detail and "the objection outcome letter" in detail
    assert "documents" not in detail
    _letter(db, case, "erasure_outcome", via="hand")
    _letter(db, case, "objection_outcome", via="post")
    assert _respond(client, oak.dpo, case).status_code == 200


def test_delivery_is_recorded_with_its_day_on_the_timeline(app, db, factory, oak):
    case = _at_signoff(db, factory, oak.school)
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    dpo = oak.web(app, "dpo")
    page = dpo.get(f"{base}/review").text
    assert "Delivered another way" in page and "Record delivery" in page
    for form, field, message in (
        ({"on": today().isoformat()}, "delivery-via", "Choose how the documents were delivered"),
        ({"via": "pigeon", "on": today().isoformat()}, "delivery-via", "by post, in person"),
        ({"via": "post", "on": "yesterday"}, "delivery-on", "as a date"),
        ({"via": "post", "on": (today() + timedelta(days=1)).isoformat()}, "delivery-on",
         "cannot be in the future"),
        ({"via": "post", "on": date(2020, 1, 1).isoformat()}, "delivery-on",
         "cannot be before the request was received"),
        ({"via": "post", "on": today().isoformat(), "note": "x" * 501}, "delivery-note",
         "500 characters"),
    ):  # fmt: skip
        bad = dpo.post(f"{base}/delivery", form)
        assert bad.status_code == 422 and message in bad.text, (form, bad.status_code)
        assert f'id="{field}-error"' in bad.text
    assert db.scalar(select(Delivery).where(Delivery.case_id == case.id)) is None
    # Caseworkers cannot record it (the DPO releases, so the DPO records other deliveries).
    cw = oak.web(app, "caseworker").post(f"{base}/delivery", {"via": "hand", "on": "2026-01-01"})
    assert cw.status_code == 403

    ok = dpo.post(
        f"{base}/delivery",
        {"via": "secure_email", "on": today().isoformat(), "note": "Egress, ref 12345"},
    )
    assert ok.status_code == 302
    event = db.scalar(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "record_delivery")
    )
    assert event.reason == "" and "Egress" not in str(event.data)  # the note stays on the row
    assert event.effective_on == today() and event.data["delivered_via"] == "secure_email"
    page = dpo.get(f"{base}/review").text
    assert "By secure email" in page and "Egress, ref 12345" in page
    assert "Documents delivered another way" in dpo.get(base).text  # the case timeline


def test_delivery_is_an_action_in_the_api(db, client, factory, oak):
    case = _at_signoff(db, factory, oak.school)
    url = f"/api/v1/cases/{case.reference}/actions"
    body = {"action": "record_delivery", "delivered_via": "pigeon"}
    bad = client.post(url, json=body, headers=oak.dpo.headers)
    assert bad.status_code == 422 and "by post, in person" in bad.json["detail"]
    cw = client.post(url, json=body | {"delivered_via": "hand"}, headers=oak.caseworker.headers)
    assert cw.status_code == 409  # the DPO's action, like releasing
    ok = client.post(url, json=body | {"delivered_via": "hand"}, headers=oak.dpo.headers)
    assert ok.status_code == 200, ok.text
    assert "record_delivery" in ok.json["allowed_actions"]
    _letter(db, case, "access_response", via="post")
    assert _respond(client, oak.dpo, case).status_code == 200


def test_release_emails_the_parent_a_link_once(app, db, factory, oak, run_worker, inbox):
    """Quoted: "After release no email told the parent"."""
    released = released_case(app, db, factory, oak, run_worker)
    case = released.case
    run_worker()
    subject = f"Our reply to your request {case.reference} is ready"

    def told():
        return [m for m in inbox.messages if m["Subject"] == subject]

    assert len(told()) == 1  # (the other message is the acknowledgement of the request)
    message = told()[0]
    assert message["To"] == case.requester_email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"{app.config['SAR_SETTINGS'].base_url}{released.link}" in body
    # a link, never the documents nor what they say
    assert not list(message.iter_attachments())
    for secret in ("Annual review", "Attendance", "report.docx", case.subject_name):
        assert secret not in body
    row = db.scalar(select(Notification).where(Notification.kind == "documents_released"))
    assert row.status == "sent" and row.message_id

    # Releasing the same live bundle again (e.g. a double click) sends nothing more.
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    again = oak.web(app, "dpo").post(f"{base}/bundle/{released.bundle.id}/release")
    assert again.status_code == 302
    run_worker()
    assert len(told()) == 1
    # The release also lets the response be recorded as far as documents go.
    detail = _respond(app.test_client(), oak.dpo, case).json["detail"]
    assert "release the documents" not in detail and "access response letter" in detail


def test_release_without_an_email_address_tells_staff(app, db, factory, oak, run_worker, inbox):
    case = factory.case(oak.school, today() - timedelta(days=3))
    case.requester_email = ""
    db.commit()
    from sar_service.records import release

    doc_stored = storage().put(b"zip")
    from sar_service.models.review import Bundle

    zip_doc = Document(
        case_id=case.id, kind="bundle", filename="x.zip", content_type="application/zip",
        size=doc_stored.size, sha256=doc_stored.sha256, storage_key=doc_stored.key,
    )  # fmt: skip
    db.add(zip_doc)
    db.flush()
    bundle = Bundle(case_id=case.id, status="ready", document_id=zip_doc.id, requested_by="t")
    db.add(bundle)
    case.status = "awaiting_signoff"
    db.commit()
    release.release(db, case, bundle, "DPO")
    db.commit()
    event = db.scalar(select(CaseEvent).where(CaseEvent.action == "bundle_released"))
    assert event.data["parent_emailed"] is False
    released_emails = select(Notification).where(
        Notification.case_id == case.id, Notification.kind == "documents_released"
    )
    assert db.scalar(released_emails) is None
