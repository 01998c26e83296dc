"""The governors' report (.docx and PDF opened back) and the register (CSV, Excel, API)."""

from __future__ import annotations

import csv
import io

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.staff.conftest import sign_in_as

PERIOD = "from=2026-01-01&to=2026-06-15"
SENTENCE = (
    "3 of 4 requests were answered on time (75%); one was 2 days late because the records "
    "were held at the trust's archive."
)


def test_governors_report_docx_and_pdf_say_it_in_words(web, team, term):
    sign_in_as(web, team, "owner")  # a governor-facing role, without personal data
    docx = web.get(f"/staff/reports/governors.docx?{PERIOD}")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert SENTENCE in text
    assert "6 requests were received in the period (Access to personal data (SAR): 6)" in text
    assert "Amelia Hart" not in text and "Sarah Hart" not in text
    assert term.late.reference not in text
    pdf = web.get(f"/staff/reports/governors.pdf?{PERIOD}")
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "3 of 4 requests were answered on time" in " ".join(pdf_text.split())
    assert "Amelia Hart" not in pdf_text
    preview = web.get(f"/staff/reports?{PERIOD}")
    assert SENTENCE.replace("'", "&#39;") in preview.text


def test_a_late_response_without_a_note_says_so(web, team, term, factory, db):
    """Only the note on the response explains lateness, not whatever the case said first."""
    from datetime import date

    from tests.oversight.conftest import to_response

    to_response(db, factory.case(team.school, date(2026, 4, 6)), date(2026, 5, 11))
    sign_in_as(web, team, "dpo")
    text = web.get(f"/staff/reports?{PERIOD}").text
    assert "3 of 5 requests were answered on time (60%); two were late:" in text
    assert "5 days late (no reason recorded)" in text
    assert "because received" not in text.lower()


def _rows(text: str) -> dict[str, dict]:
    return {r["reference"]: r for r in csv.DictReader(io.StringIO(text))}


def test_register_lists_every_case_with_its_facts(web, team, term):
    sign_in_as(web, team, "viewer")
    rows = _rows(web.get("/staff/register.csv").text)
    assert set(rows) == {
        c.reference for c in (term.on_time, term.late, term.extended, term.paused,
                              term.overdue, term.fresh)
    }  # fmt: skip
    late = rows[term.late.reference]
    assert (late["due_date"], late["responded_on"], late["late_by_days"]) == (
        "2026-03-03", "2026-03-05", "2",
    )  # fmt: skip
    assert late["overdue_since"] == "2026-03-04"
    assert rows[term.paused.reference]["paused_days"] == "8"  # 2 to 9 April, both days
    assert rows[term.extended.reference]["extended"] == "yes"
    assert rows[term.overdue.reference]["late_by_days"] == "14"  # open, overdue so far
    assert "Amelia Hart" not in web.get("/staff/register.csv").text
    book = load_workbook(io.BytesIO(web.get("/staff/register.xlsx").data))
    sheet = book["Register"]
    assert sheet.max_row == 7 and sheet.cell(1, 1).value == "reference"
    page = web.get("/staff/register")
    assert page.status_code == 200 and term.late.reference in page.text


def test_register_api_is_scoped_to_the_tokens_schools(client, team, term):
    response = client.get("/api/v1/register.csv", headers=team.other_dpo.headers)
    assert response.status_code == 200
    assert set(_rows(response.text)) == {term.elsewhere.reference}
    assert (
        client.get(
            "/api/v1/register.csv?school=oakfield", headers=team.other_dpo.headers
        ).status_code
        == 404
    )


def test_many_late_responses_are_summarised_with_the_longest_explained():
    from sar_service.oversight.report import Lateness, LateResponse, _late_clause

    late = Lateness(
        7, 1, [LateResponse(9, "Staff were away."), LateResponse(5, ""), LateResponse(4, "ICT")]
    )
    assert _late_clause(late) == (
        "seven were late, by 1 to 9 days; the three longest: 9 days late because staff were "
        "away; 5 days late (no reason recorded); 4 days late because ICT"
    )
