"""In Chromium: a DPO uploads a PDF notice, checks an unsure list, corrects it and confirms."""

from __future__ import annotations

from pathlib import Path

import pytest

from sar_service.notices.store import current_notice
from tests.browser_support import assert_accessible
from tests.staff.test_browser import _sign_in

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"


def test_review_screen_correct_reorder_and_confirm(live_server, page, team, db):
    _sign_in(page, live_server, team.dpo, team.dpo_secret)
    page.goto(live_server + f"/staff/settings/{team.school.slug}#notice")
    page.get_by_label("Upload the privacy notice").set_input_files(str(FIXTURES / "seed_003.txt"))
    page.get_by_role("button", name="Import notice").click()
    page.get_by_role("heading", name="Check the privacy notice").wait_for()
    assert_accessible(page)

    # Unsure lists are marked, and the source shows where each item was read.
    pending = page.locator("#pending").inner_text()
    assert "to check before the notice is used for letters" in pending
    categories = page.locator("#list-categories")
    assert "check this" in categories.inner_text().lower()
    marks = page.locator("#notice-text mark[data-section=categories]")
    assert marks.count() >= 3
    assert "contact details" in marks.first.inner_text()

    # Reorder (move the last first), remove one, add one, then confirm.
    box = page.get_by_label("Categories of information: one per line, in order")
    lines = box.input_value().splitlines()
    assert lines[0] == "Their contact details" and len(lines) == 8
    new = [lines[-1], *lines[:-2], "Photographs"]
    box.fill("\n".join(new))
    page.get_by_role("button", name="Save and confirm categories of information").click()
    page.locator(".notice-success").wait_for()
    assert "confirmed" in page.locator("#list-categories").inner_text().lower()
    assert page.get_by_label("Categories of information: one per line, in order").input_value() == (
        "\n".join(new)
    )
    for name in ("recipients", "how long it is kept"):
        page.get_by_role("button", name=f"Save and confirm {name}").click()
        page.locator(".notice-success").wait_for()
    assert "Every list is confirmed" in page.locator("#pending").inner_text()
    assert_accessible(page)

    db.expire_all()
    saved = [c["text"] for c in current_notice(db, team.school)["categories"]]
    assert saved == new
