"""Reading the released documents on a phone: each document as an accessible page (or as it
is, for a PDF), all of them as one PDF with an index and bookmarks, first opening recorded,
nothing served after the release expires, and a document's own markup never run."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import time_machine
from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy import select

from sar_service.clock import now
from sar_service.models import CaseEvent, Document
from sar_service.models.release import BundleItem
from sar_service.records import readable
from sar_service.storage import storage
from tests.records.release_support import FILES, INJECTION, document_named, released_case


def _links(page: str) -> dict[str, str]:
    """The reply's links on the status page: title -> href."""
    block = page.split("data-reply-parts", 1)[1].split("</ul>", 1)[0]
    return {t: h for h, t in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)}


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance"
    for row in (("Term", "Sessions"), ("Autumn", 140), ("Spring", None)):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_reply_is_readable_pages_not_only_a_zip(app, db, factory, oak, run_worker):
    """Quoted: "the reply is a .zip that is hard to open on a phone"."""
    released = released_case(app, db, factory, oak, run_worker)
    parent = app.test_client()
    status = parent.get(released.link).text
    links = _links(status)
    assert sorted(links) == sorted(FILES)  # every document, by name
    assert "All the documents as one PDF" in status
    assert f"{released.case.reference} disclosure.zip" in status  # the zip stays an option

    # Word: headings, paragraphs and the table, as HTML; its script is words, not markup.
    page = parent.get(links["report.docx"])
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    html = page.text
    assert "<h2>Annual review</h2>" in html and "<h3>Marks</h3>" in html
    assert '<th scope="col">Subject</th><th scope="col">Mark</th>' in html
    assert "<td>Maths</td><td>7</td>" in html
    assert "<script>document.title" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html

    # Email: From, To, Date, Subject, then the body; its markup escaped too.
    html = parent.get(links["message.eml"]).text
    for name, value in (
        ("From", "Class Teacher &lt;teacher@oakfield.example&gt;"),
        ("To", "Office &lt;office@oakfield.example&gt;"),
        ("Date", "Mon, 02 Mar 2026 09:15:00 +0000"),
        ("Subject", "Trip &lt;b&gt;plan&lt;/b&gt;"),
    ):
        assert f"<dt>{name}</dt><dd>{value}</dd>" in html, name
    assert "The trip is on Friday." in html and "<img src=x" not in html

    # CSV: a table; plain text: paragraphs with their line breaks.
    html = parent.get(links["marks.csv"]).text
    assert '<th scope="col">Subject</th>' in html and "<td>Science</td><td>8</td>" in html
    html = parent.get(links["note.txt"]).text
    assert '<p class="document-text">First line\nsecond line</p>' in html
    assert '<p class="document-text">Another paragraph.</p>' in html

    # A PDF is shown as it is, inline, and is exactly the released file.
    shown = parent.get(links["attendance.pdf"])
    assert links["attendance.pdf"].endswith("/file")
    assert shown.headers["Content-Type"] == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in shown.headers["Content-Security-Policy"]
    assert shown.data == FILES["attendance.pdf"]

    # Word and text documents can also be downloaded as they are (never rendered raw).
    original = parent.get(links["report.docx"] + "/file")
    assert original.headers["Content-Disposition"].startswith("attachment;")
    assert original.data == FILES["report.docx"]


def test_a_spreadsheet_reads_as_a_table(app, db, factory, oak, run_worker):
    released = released_case(app, db, factory, oak, run_worker)
    stored = storage().put(_xlsx())
    doc = Document(
        case_id=released.case.id, kind="record", filename="attendance.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=stored.size, sha256=stored.sha256, storage_key=stored.key,
    )  # fmt: skip
    db.add(doc)
    db.flush()
    db.add(BundleItem(bundle_id=released.bundle.id, number=9, document_id=doc.id,
                      title="attendance.xlsx", file_kind="xlsx"))  # fmt: skip
    db.commit()
    parent = app.test_client()
    html = parent.get(_links(parent.get(released.link).text)["attendance.xlsx"]).text
    assert "<h2>Attendance</h2>" in html
    assert '<th scope="col">Term</th><th scope="col">Sessions</th>' in html
    assert "<td>Autumn</td><td>140</td>" in html and "<td>Spring</td><td></td>" in html


def test_unreadable_documents_say_so_and_never_fail():
    assert readable.blocks(b"", "pdf") == []
    for kind in ("docx", "xlsx"):
        try:
            readable.blocks(b"not a zip", kind)
            raise AssertionError(f"{kind}: a broken file was read")
        except ValueError:
            pass


def test_one_pdf_with_an_index_page_and_a_bookmark_per_document(app, db, factory, oak, run_worker):
    released = released_case(app, db, factory, oak, run_worker)
    parent = app.test_client()
    status = parent.get(released.link).text
    href = re.search(r'<a href="([^"]+\.pdf)">All the documents as one PDF</a>', status).group(1)
    response = parent.get(href)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    reader = PdfReader(io.BytesIO(response.data))

    titles = [item.title for item in reader.outline]
    assert titles == list(FILES)  # one bookmark per document, named as the document
    index = reader.pages[0].extract_text()
    assert "the documents we are sending you" in index and released.case.reference in index
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    for n, (title, start) in enumerate(zip(titles, starts, strict=True), start=1):
        assert f"{n}. {title} - page {start + 1}" in index
    # each bookmark lands on its document; the PDF is the released file, page for page
    assert "Annual review" in reader.pages[starts[0]].extract_text()
    assert "Trip <b>plan</b>" in reader.pages[starts[1]].extract_text()
    assert "Science" in reader.pages[starts[2]].extract_text()
    assert "Another paragraph." in reader.pages[starts[3]].extract_text()
    assert "Attendance summary" in reader.pages[starts[4]].extract_text()
    assert len(reader.pages) == starts[4] + 1  # the PDF document's one page ends it


def test_first_opening_is_recorded_once_and_shown_to_staff(app, db, factory, oak, run_worker):
    released = released_case(app, db, factory, oak, run_worker)
    case = released.case
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    assert "report.docx — not opened yet" in oak.web(app, "dpo").get(f"{base}/review").text
    parent = app.test_client()
    links = _links(parent.get(released.link).text)
    parent.get(links["report.docx"])
    db.expire_all()
    first = document_named(db, case, "report.docx").first_opened_at
    assert first is not None
    with time_machine.travel(now() + timedelta(days=2)):
        parent.get(links["report.docx"])
        parent.get(links["report.docx"] + "/file")
    db.expire_all()
    assert document_named(db, case, "report.docx").first_opened_at == first
    opened = db.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "document_opened")
    ).all()
    assert len(opened) == 1 and opened[0].reason == ""  # nothing personal in a reason
    page = oak.web(app, "dpo").get(f"{base}/review").text
    assert "report.docx — first opened" in page and "note.txt — not opened yet" in page


def test_after_the_release_expires_a_plain_message_never_the_file(
    app, db, factory, oak, run_worker
):
    released = released_case(app, db, factory, oak, run_worker)
    parent = app.test_client()
    status = parent.get(released.link).text
    links = _links(status)
    combined = re.search(r'<a href="([^"]+\.pdf)">', status).group(1)
    zip_doc = db.get(Document, released.bundle.document_id)
    zip_doc.release_expires_at = now() + timedelta(hours=1)  # as if released 30 days ago
    db.commit()
    with time_machine.travel(now() + timedelta(hours=2)):
        for url in (links["report.docx"], links["report.docx"] + "/file",
                    links["attendance.pdf"], combined):  # fmt: skip
            gone = parent.get(url)
            assert gone.status_code == 410, url
            assert "These documents are no longer available online" in gone.text
            assert gone.headers["Content-Type"].startswith("text/html")
            assert b"%PDF" not in gone.data and b"PK" not in gone.data[:2]
        later = parent.get(released.link).text
        assert "data-reply-parts" not in later and "All the documents as one PDF" not in later
    db.expire_all()
    assert document_named(db, released.case, "report.docx").first_opened_at is None


def test_reading_links_stay_within_their_case(app, db, factory, oak, run_worker):
    released = released_case(app, db, factory, oak, run_worker)
    other = factory.case(oak.school, released.case.received_on)
    from sar_service.portal.links import portal_path

    with app.test_request_context():
        other_link = portal_path(other)
    item = db.scalar(select(BundleItem).where(BundleItem.bundle_id == released.bundle.id))
    parent = app.test_client()
    assert parent.get(f"{other_link}/read/{item.id}").status_code == 404
    assert parent.get(f"{other_link}/read/{item.id}/file").status_code == 404
    assert (
        parent.get(f"{other_link}/reply/{released.bundle.pdf_document_id}.pdf").status_code == 404
    )
    assert parent.get(f"{released.link}x/read/{item.id}").status_code == 404  # a forged link
    assert parent.get(f"{released.link}/read/999999").status_code == 404
    assert INJECTION not in parent.get(released.link).text


def test_a_bundle_too_large_for_one_pdf_still_reads_page_by_page(
    app, db, factory, oak, run_worker, monkeypatch
):
    from sar_service.records import combined_pdf

    monkeypatch.setattr(combined_pdf, "MAX_BYTES", 1000)  # smaller than these documents
    released = released_case(app, db, factory, oak, run_worker)
    assert released.bundle.pdf_document_id is None
    status = app.test_client().get(released.link).text
    assert "All the documents as one PDF" not in status
    assert sorted(_links(status)) == sorted(FILES)


def test_the_combined_pdf_prints_names_as_written(tmp_path):
    """Found: the combined PDF printed "Wi?niewska" (Latin-1 core font) where the page and
    the letters, since they share ``pdf_text``, print the name as written."""
    from sar_service.pdf_text import unicode_font_files
    from sar_service.records import combined_pdf

    text = "Zofia Wiśniewska – Year 4 report. Łódź trip: Ørsted Ćwiczenia."
    parts = [combined_pdf.Part("Raport – Wiśniewska", "txt", text.encode("utf-8"))]
    path = tmp_path / "reply.pdf"
    combined_pdf.build("REF-1: the documents we are sending you", parts, path)
    reader = PdfReader(str(path))
    body = reader.pages[1].extract_text()
    if unicode_font_files() is None:  # no Unicode font here: readable, never a failure
        assert "Wi?niewska" in body
        return
    assert "Wiśniewska" in body and "Łódź" in body
    assert [item.title for item in reader.outline] == ["Raport – Wiśniewska"]
    assert "Raport – Wiśniewska" in reader.pages[0].extract_text()
