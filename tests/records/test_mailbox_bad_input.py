"""Bad mailbox input is skipped with a reason; the rest of the import carries on."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from sqlalchemy import select

from sar_service.models.mailbox import MailItem
from sar_service.records import mailbox, mailimport
from tests.records.helpers import text_pdf


def _eml(subject: str, body: bytes, extra: bytes = b"", charset: bytes = b"utf-8") -> bytes:
    return (
        b"From: Rebecca Hall <rhall@oakfield.example.sch.uk>\r\nTo: office@oakfield.example\r\n"
        b"Subject: " + subject.encode() + b"\r\nDate: Mon, 2 Feb 2026 09:00:00 +0000\r\n"
        + extra + b"Content-Type: text/plain; charset=" + charset + b"\r\n\r\n" + body
    )  # fmt: skip


def _with_attachment(name: str, data: bytes) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@b.example", "c@d.example", f"Attached {name}"
    msg["Date"] = "Mon, 2 Feb 2026 10:00:00 +0000"
    msg.set_content("Amelia's form is attached.")
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def _import(db, case, data: bytes, name: str):
    row = mailimport.create(
        db, case, data, name, source_name="Test", created_by="test", background=False
    )
    db.commit()
    return mailimport.run(db, row.id)


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_bad_items_are_skipped_with_reasons_and_the_rest_imported(db, factory, oak, monkeypatch):
    monkeypatch.setattr(mailbox, "MAX_ATTACHMENT", 50_000)
    case = factory.case(oak.school, date(2026, 3, 2))
    bomb = b"\x00" * (20 * 1024 * 1024)  # 20 MB of zeros: deflates about 1000 to 1
    nested = _zip({"level2.zip": _zip({"level3.zip": _zip({"deep.eml": _eml("Deep", b"x")})})})
    data = _zip(
        {
            "good.eml": _eml("Amelia at lunch", b"Amelia Hart sat with Noah Fletcher."),
            "no-headers.eml": b"just some words, not an email at all\r\n",
            "cp1252.eml": _eml(
                "Caf\xe9 trip".encode("cp1252").decode("latin-1"),
                "Amelia’s café trip".encode("cp1252"),
            ),  # fmt: skip
            "bad-charset.eml": _eml("Amelia", b"Amelia Hart and Priya Sharma", charset=b"x-nope"),
            "bomb.bin": bomb,
            "nested.zip": nested,
            "big.eml": _with_attachment("huge.pdf", b"%PDF-1.4 " + b"1" * 60_000),
            "locked.eml": _with_attachment("locked.pdf", text_pdf("Amelia", password="x")),
            "broken.msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        }
    )
    imp = _import(db, case, data, "export.zip")
    assert imp.status == "done", imp.error
    reasons = {s["item"]: s["reason"] for s in imp.skipped}
    assert "not a readable email" in reasons["export.zip/no-headers.eml"]
    assert "zip bomb" in reasons["export.zip/bomb.bin"]
    assert "zip inside a zip" in reasons["export.zip/nested.zip/level2.zip"]
    assert "attachment over" in reasons["export.zip/big.eml: huge.pdf"]
    assert "password-protected" in reasons["export.zip/locked.eml: locked.pdf"]
    assert "Outlook" in reasons["export.zip/broken.msg"]
    subjects = set(db.scalars(select(MailItem.subject).where(MailItem.import_id == imp.id)))
    assert {"Amelia at lunch", "Café trip", "Amelia", "Attached huge.pdf"} <= subjects
    assert imp.messages == 5


def test_limits_on_entries_and_unpacked_size(db, factory, oak, monkeypatch):
    case = factory.case(oak.school, date(2026, 3, 2))
    many = _zip({f"m{i}.eml": _eml(f"Note {i}", b"Amelia") for i in range(5)})
    monkeypatch.setattr(mailbox, "MAX_ENTRIES", 3)
    imp = _import(db, case, many, "many.zip")
    assert imp.status == "done" and imp.messages == 0
    assert "the limit is 3" in imp.skipped[0]["reason"]
    monkeypatch.setattr(mailbox, "MAX_ENTRIES", 100)
    monkeypatch.setattr(mailbox, "MAX_UNPACKED", 100)
    imp = _import(db, case, many + b"", "many-again.zip")
    assert "would unpack to more than" in imp.skipped[0]["reason"]


def test_a_corrupt_upload_is_reported_not_crashed(db, factory, oak):
    case = factory.case(oak.school, date(2026, 3, 2))
    imp = _import(db, case, b"PK\x03\x04" + b"\x00" * 100, "broken.zip")
    assert imp.status == "done"
    assert imp.skipped == [{"item": "broken.zip", "reason": "not a readable zip file"}]


def test_an_import_that_cannot_run_fails_visibly_and_leaves_nothing(app, db, factory, oak):
    from sar_service.models import Document
    from sar_service.storage import storage

    case = factory.case(oak.school, date(2026, 3, 2))
    row = mailimport.create(
        db, case, _eml("Amelia", b"Amelia Hart"), "one.eml", source_name="Test",
        created_by="test", background=False,
    )  # fmt: skip
    db.commit()
    storage(app).delete(db.get(Document, row.document_id).storage_key)
    imp = mailimport.run(db, row.id)
    assert imp.status == "failed" and "missing" in imp.error
    assert not db.scalars(select(MailItem).where(MailItem.import_id == imp.id)).all()
