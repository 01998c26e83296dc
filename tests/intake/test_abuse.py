"""Rate limits (Redis, failing open), ID uploads in the journey, length limits."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from sar_service import ratelimit
from sar_service.clock import today
from sar_service.models import Case, EvidenceUpload
from sar_service.portal.links import portal_path
from sar_service.storage import storage
from tests.intake.test_uploads import png_bytes
from tests.intake.web import Journey, answer_common, csrf, errors, text


def _ready(client, ip="203.0.113.7"):
    j = Journey(client, environ={"REMOTE_ADDR": ip})
    answer_common(j, "", ["access"])
    j.answer("access", {})
    j.answer("identity", {"identity.method": "in_person"})
    return j


def test_submissions_are_limited_per_ip_and_the_draft_survives(app, client, factory, db):
    factory.school("oakfield")
    j = _ready(client)
    with app.test_request_context():
        for _ in range(ratelimit.SUBMISSIONS.count):
            assert ratelimit.hit(ratelimit.SUBMISSIONS, "203.0.113.7").allowed
    r = j.submit()
    assert r.status_code == 429
    assert "You have sent a lot of requests from this device" in text(r.text)
    assert db.scalar(select(Case)) is None
    assert "Amelia Hart" in j.get("check").text  # answers kept
    with app.app_context():  # a fresh ``g``: the test's own context is shared by its requests
        other = _ready(app.test_client(), ip="198.51.100.1")
        assert other.submit().status_code == 302


def test_uploads_are_limited_per_ip_on_the_form_and_the_portal(app, client, factory, db):
    school = factory.school("oakfield")
    ip = "203.0.113.9"
    j = Journey(client, environ={"REMOTE_ADDR": ip})
    answer_common(j, "", ["access"])
    j.answer("access", {})
    with app.test_request_context():
        for _ in range(ratelimit.UPLOADS.count):
            assert ratelimit.hit(ratelimit.UPLOADS, ip).allowed
        path = portal_path(factory.case(school, today()))
    limited = "You have uploaded a lot of files. Try again in an hour."
    good = {"identity.method": "upload", "identity.file": (BytesIO(png_bytes()), "passport.png")}
    r = j.answer("identity", good, content_type="multipart/form-data")
    assert errors(r.text) == [limited]
    page = client.get(path, environ_base={"REMOTE_ADDR": ip})
    r = client.post(
        f"{path}/upload",
        data={"csrf_token": csrf(page.text), "file": (BytesIO(png_bytes()), "id.png")},
        environ_base={"REMOTE_ADDR": ip},
    )
    assert r.status_code == 400 and errors(r.text) == [limited]
    assert db.scalar(select(EvidenceUpload)) is None


def test_rate_limit_fails_open_when_redis_is_down(app, client, factory, db, redis_server):
    factory.school("oakfield")
    j = _ready(client)
    redis_server.stop()
    app.extensions.pop("sar.redis", None)
    try:
        r = j.submit()
    finally:
        redis_server.start()
    assert r.status_code == 302 and r.location.endswith("/done")
    assert db.scalar(select(Case)) is not None


def test_id_upload_is_attached_to_the_case(app, client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"])
    j.answer("access", {})
    r = j.answer("identity", {})
    assert r.status_code == 400
    assert errors(r.text) == ["Choose how you will prove who you are."]
    r = j.answer("identity", {"identity.method": "upload"})
    assert errors(r.text) == ["Choose a file to upload, or choose to show ID at the school office."]
    bad = {"identity.method": "upload", "identity.file": (BytesIO(b"MZ..."), "id.pdf")}
    r = j.answer("identity", bad, content_type="multipart/form-data")
    assert errors(r.text)[0].startswith("The selected file must be a PDF, JPEG, PNG")
    good = {"identity.method": "upload", "identity.file": (BytesIO(png_bytes()), "passport.png")}
    r = j.answer("identity", good, content_type="multipart/form-data")
    assert r.location.endswith("/check")
    assert "File: passport.png" in text(j.get("check").text)
    j.submit()
    case = db.scalar(select(Case))
    evidence = db.scalar(select(EvidenceUpload))
    assert evidence.case_id == case.id and evidence.kind == "identity"
    assert storage(app).get(evidence.stored_key) == png_bytes()
    assert case.details["identity"] == {
        "method": "upload",
        "file": "passport.png",
        "evidence_id": evidence.id,
    }


def test_every_text_field_has_a_length_limit(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"])
    r = j.answer("access", {"details.access.which": "x" * 2001, "details.access.period": "y" * 201})
    assert errors(r.text) == [
        "Which information do you want must be 2000 characters or fewer.",
        "Which dates must be 200 characters or fewer.",
    ]
    r = j.answer("what", {"story": "z" * 2001})
    assert r.status_code == 400
