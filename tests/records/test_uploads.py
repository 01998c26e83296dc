"""Gathered files: checked by content, size-limited, deduplicated, encrypted, served safely."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from sar_service.models import Document
from sar_service.models.inventory import GatheringTask
from sar_service.records.filecheck import FileProblem, check
from sar_service.storage import storage
from tests.records.helpers import docx_bytes, pdf_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (pdf_bytes(), "scan.pdf", "pdf"),
        (docx_bytes("Hello"), "notes.docx", "docx"),
        (PNG, "photo.png", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "photo.jpg", "jpeg"),
        (b"Plain notes about the pupil\n", "notes.txt", "txt"),
        ("Café trip – Zoë".encode("cp1252"), "old-system.txt", "txt"),
        (b"Date,Mark\n2026-01-12,/\n", "attendance.csv", "csv"),
        (b"From: a@b.example\nTo: c@d.example\nSubject: Hi\n\nBody\n", "mail.eml", "eml"),
        (pdf_bytes(), "misnamed.txt", "pdf"),  # the bytes decide, not the name
    ],
)
def test_accepted_kinds_are_judged_by_content(data, name, kind):
    assert check(data, name).kind == kind


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "empty"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "virus.exe", "must be a Word"),
        (b"text\x00with NUL", "notes.txt", "must be a Word"),
        (b"just text", "report.pdf", "its contents are plain text"),
        (b"not an email at all", "mail.eml", "not a saved email"),
        (b"PK\x03\x04" + b"\x00" * 30, "archive.zip", "must be a Word"),
    ],
)
def test_refused_files_say_why(data, name, message):
    with pytest.raises(FileProblem, match=message):
        check(data, name)


def test_size_limit():
    with pytest.raises(FileProblem, match="smaller than 25MB"):
        check(b"a" * (25 * 1024 * 1024 + 1), "big.txt")


def _case_with_task(factory, db, oak):
    case = factory.case(oak.school, date(2026, 3, 2))
    task = GatheringTask(
        case_id=case.id, source_name="Email", assignee_id=oak.senco.user.id, status="open"
    )
    db.add(task)
    db.commit()
    return case, task


def test_duplicate_upload_names_the_first_copy(app, db, factory, oak):
    case, task = _case_with_task(factory, db, oak)
    senco = oak.web(app, "senco")
    data = b"Notes about the pupil\n"
    first = senco.post(
        f"/staff/tasks/{task.id}/upload", {"files": [(io.BytesIO(data), "notes.txt")]}
    )
    assert first.status_code == 302
    again = senco.post(
        f"/staff/tasks/{task.id}/upload", {"files": [(io.BytesIO(data), "copy.txt")]}
    )
    assert again.status_code == 422
    assert "already uploaded as “notes.txt”" in again.text
    db.expire_all()
    assert len(db.scalars(select(Document).where(Document.case_id == case.id)).all()) == 1


def test_stored_encrypted_and_served_only_as_attachment(app, db, factory, oak):
    case, task = _case_with_task(factory, db, oak)
    secret = b"<html><script>alert(1)</script>Confidential: Amelia's plan</html>"
    senco = oak.web(app, "senco")
    senco.post(f"/staff/tasks/{task.id}/upload", {"files": [(io.BytesIO(secret), "plan.html")]})
    doc = db.scalar(select(Document).where(Document.case_id == case.id))
    on_disk = (storage(app).root / doc.storage_key[:2] / doc.storage_key).read_bytes()
    assert b"Confidential" not in on_disk

    url = f"/staff/cases/{oak.school.slug}/{case.reference}/documents/{doc.id}"
    response = oak.web(app, "caseworker").get(url)
    assert response.status_code == 200 and response.data == secret
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert oak.web(app, "office").get(url).status_code == 403  # another owner's upload
    assert senco.get(url).status_code == 200  # the owner's own upload
    assert app.test_client().get(url).status_code == 302  # signed out: sign in first


def test_another_schools_case_and_task_are_not_found(app, db, factory, oak):
    case, task = _case_with_task(factory, db, oak)
    other = factory.school("beech", kind="academy")
    stranger = factory.staff(other, "caseworker")
    from tests.records.conftest import Web

    web = Web(app, app.test_client())
    web.sign_in_directly(stranger)
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    for url in (
        f"{base}/gathering",
        f"{base}/review",
        f"{base}/documents/1",
        f"/staff/tasks/{task.id}",
    ):
        assert web.get(url).status_code == 404, url
    assert web.post(f"{base}/gathering/start").status_code == 404


def test_viewer_reads_but_cannot_act(app, db, factory, oak):
    case, _ = _case_with_task(factory, db, oak)
    viewer = oak.web(app, "viewer")
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    page = viewer.get(f"{base}/gathering")
    assert page.status_code == 200 and "Start gathering" not in page.text
    assert viewer.post(f"{base}/gathering/start").status_code == 403
    assert viewer.post(f"{base}/bundle").status_code == 403


def test_chunked_storage_round_trip_and_tamper_checks(app, tmp_path):
    data = bytes(range(256)) * 9000  # ~2.3 MB: three chunks
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    with app.app_context():
        store = storage(app)

        def read_all(key: str) -> bytes:
            return b"".join(store.iter_chunks(key))

        stored = store.put_file(path)
        assert read_all(stored.key) == data
        assert stored.size == len(data)
        file = storage(app).root / stored.key[:2] / stored.key
        lines = file.read_bytes().split(b"\n")
        file.write_bytes(b"\n".join(lines[:-2] + [b""]))  # drop the last chunk
        with pytest.raises(Exception, match="truncated"):
            read_all(stored.key)
        small = storage(app).put(b"small file")  # whole-file tokens are read too
        assert read_all(small.key) == b"small file"
