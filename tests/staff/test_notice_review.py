"""The privacy-notice review screen: import in any format, correct, confirm, see what changed."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fpdf import FPDF

from sar_service.letters.build import why_not
from sar_service.models import PrivacyNotice
from sar_service.notices.store import current_notice
from tests.staff.conftest import sign_in_as

BASE = "/staff/settings/oakfield"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"


def upload(web, path: Path, name: str | None = None):
    data = {"notice": (io.BytesIO(path.read_bytes()), name or path.name)}
    return web.post(BASE + "/notice", data, content_type="multipart/form-data")


def test_a_pdf_upload_goes_to_the_review_with_lists_beside_highlighted_source(web, team):
    sign_in_as(web, team, "dpo")
    response = upload(web, FIXTURES / "corpus" / "larchwood_model_pdf.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(BASE + "/notice/review")
    page = web.get(BASE + "/notice/review").text
    assert "Personal identifiers and contacts (such as name" in page
    assert '<mark class="mark-categories" data-section="categories">' in page
    assert '<mark class="mark-recipients" data-section="recipients">' in page
    assert "SHA-256" in page


def test_a_scanned_pdf_in_settings_gets_the_plain_message(web, team, tmp_path):
    sign_in_as(web, team, "dpo")
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 150, 200, style="F")
    data = {"notice": (io.BytesIO(bytes(pdf.output())), "scan.pdf")}
    response = web.post(BASE + "/notice", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "This PDF has no text, please upload the Word version or paste the text." in (
        response.text
    )


def test_pasted_web_text_imports(web, team, db):
    sign_in_as(web, team, "dpo")
    text = (FIXTURES / "corpus" / "meadowbank_web_page.html").read_text()
    response = web.post(BASE + "/notice", {"notice_text": text})
    assert response.status_code == 302
    notice = current_notice(db, team.school)
    assert notice["school_name"] == "Meadowbank Academy"
    assert len(notice["categories"]) == 6


def test_unsure_lists_block_the_access_letter_until_confirmed(web, team, db, factory):
    sign_in_as(web, team, "dpo")
    upload(web, FIXTURES / "seed_003.txt")  # a prose notice: categories read from a sentence
    case = factory.case(team.school, date(2026, 3, 2))
    reason = why_not(db, case, "access_response")
    assert reason and "privacy notice has lists to check first" in reason
    page = web.get(BASE + "/notice/review").text
    assert "Check this" in page and "to check before the notice is used for letters" in page
    settings = web.get(BASE).text
    assert "to check before the notice is used for letters" in settings
    row = db.query(PrivacyNotice).filter_by(school_id=team.school.id).one()
    for section in ("categories", "recipients", "retention"):
        assert web.post(f"{BASE}/notice/review/{section}", {}).status_code == 302
    db.expire_all()
    assert why_not(db, case, "access_response") is None
    assert "Every list is confirmed" in web.get(BASE + "/notice/review").text
    assert row.review["sections"]["categories"]["items"] is None


def test_staff_correct_add_remove_and_reorder_items(web, team, db):
    sign_in_as(web, team, "dpo")
    upload(web, FIXTURES / "seed_000.txt")
    lines = "\n".join(["Photographs", "- Attendance information", "", "Biometric data"])
    response = web.post(BASE + "/notice/review/categories", {"items": lines})
    assert response.status_code == 302
    db.expire_all()
    notice = current_notice(db, team.school)
    assert [c["text"] for c in notice["categories"]] == [
        "Photographs",
        "Attendance information",
        "Biometric data",
    ]
    too_long = web.post(BASE + "/notice/review/categories", {"items": "x" * 1200})
    assert too_long.status_code == 422 and "longer than 1000 characters" in too_long.text
    assert web.post(BASE + "/notice/review/nonsense", {}).status_code == 404


def test_re_importing_shows_what_changed(web, team):
    sign_in_as(web, team, "dpo")
    upload(web, FIXTURES / "seed_000.txt")
    changed = (FIXTURES / "seed_000.txt").read_text().replace("- CCTV images\n", "- Biometrics\n")
    data = {"notice": (io.BytesIO(changed.encode()), "notice v2.txt")}
    web.post(BASE + "/notice", data, content_type="multipart/form-data")
    page = web.get(BASE + "/notice/review").text
    assert "What changed since the previous version" in page
    assert '<li class="change-added">Biometrics</li>' in page
    assert '<li class="change-removed"><del>CCTV images</del></li>' in page


def test_another_schools_dpo_cannot_see_or_confirm(web, team):
    sign_in_as(web, team, "dpo")
    upload(web, FIXTURES / "seed_000.txt")
    other = f"/staff/settings/{team.other.slug}/notice/review"
    assert web.get(other).status_code == 404
    assert web.post(other + "/categories", {}).status_code == 404
