"""``sar gather`` adds files to a case as staff would and prints what the worker made of them."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from click.testing import CliRunner

from sar_service.cli import main
from tests.records import mailgen
from tests.records.helpers import text_pdf

EML = (
    b"From: Rebecca Hall <rhall@oakfield.example.sch.uk>\r\nTo: office@oakfield.example.sch.uk\r\n"
    b"Subject: Amelia and the trip\r\nDate: Mon, 2 Feb 2026 09:00:00 +0000\r\n"
    b"Message-ID: <trip1@oakfield.example.sch.uk>\r\n\r\n"
    b"Amelia Hart and Noah Fletcher will sit together on the coach.\r\n\r\nKind regards,\r\n"
    b"Rebecca Hall\r\nClass Teacher\r\n"
)


def _run(app, *args):
    return CliRunner().invoke(main, list(args), obj={"app": app}, catch_exceptions=False)


def test_gather_prints_documents_threads_duplicates_set_aside_and_suggestions(
    app, db, factory, oak, tmp_path
):
    case = factory.case(oak.school, date(2026, 3, 2))
    mbox = tmp_path / "takeout.mbox"
    mbox.write_bytes(mailgen.generate(messages=30, seed=3, attachments=False).data)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(text_pdf("Report on Amelia Hart.\nShe played with Priya Sharma."))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("one.eml", EML)
        zf.writestr("copy/one.eml", EML)  # the same email from another mailbox
        zf.writestr("broken.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as z2:
            z2.writestr("deeper.zip", b"PK\x03\x04 not really")
        zf.writestr("inner.zip", inner.getvalue())

    result = _run(
        app, "gather", "--school", oak.school.slug, "--case", case.reference,
        str(mbox), str(pdf), str(archive),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"documents", "threads", "duplicates", "set_aside", "suggestions"} <= out.keys()
    names = {d["filename"] for d in out["documents"]}
    assert "report.pdf" in names
    assert any(d.get("subject") == "Amelia and the trip" for d in out["documents"])
    assert out["threads"] and all(t["messages"] for t in out["threads"])
    reasons = {d["reason"] for d in out["duplicates"]}
    assert "exact_duplicate" in reasons
    assert out["set_aside"] and all("Amelia" in s["reason"] for s in out["set_aside"])
    pdf_id = next(d["id"] for d in out["documents"] if d["filename"] == "report.pdf")
    by_doc = {(s["document"], s["text"]): s["kind"] for s in out["suggestions"]}
    assert by_doc[(pdf_id, "Priya Sharma")] == "person_name"
    trip = next(d["id"] for d in out["documents"] if d.get("subject") == "Amelia and the trip"
                and d["read"])  # fmt: skip
    assert by_doc[(trip, "Noah Fletcher")] == "person_name"
    assert by_doc[(trip, "Rebecca Hall")] == "staff_name"
    skipped = {s["item"]: s["reason"] for imp in out["imports"] for s in imp["skipped"]}
    assert "not a readable Outlook .msg file" in skipped["export.zip/broken.msg"]
    assert "zip inside a zip" in skipped["export.zip/inner.zip/deeper.zip"]


def test_gather_refuses_an_unknown_case(app, oak, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    result = _run(app, "gather", "--school", oak.school.slug, "--case", "SAR-2026-9999", str(path))
    assert result.exit_code == 2 and "no case SAR-2026-9999" in result.output


def test_a_zip_through_the_ordinary_upload_form_is_imported(app, db, factory, oak, run_worker):
    """A zip or mbox chosen in the one-file form goes to the import, not in as one document."""
    case = factory.case(oak.school, date(2026, 3, 2))
    data = mailgen.generate(messages=6, seed=4, attachments=False).data
    web = oak.web(app, "caseworker")
    url = f"/staff/cases/{oak.school.slug}/{case.reference}/gathering/upload"
    response = web.post(url, {"file": (io.BytesIO(data), "export.mbox")})
    assert response.status_code == 302, response.text
    run_worker()
    page = web.get(response.location).text
    assert "export.mbox" in page and "Imported" in page and "6 messages" in page
