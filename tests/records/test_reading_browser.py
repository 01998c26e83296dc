"""A parent opens a released Word document on a 390-px phone in Chromium: readable, no
sideways scrolling, accessible, and the document's own script never runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible
from tests.records.release_support import released_case

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def test_a_released_docx_reads_on_a_phone(app, db, factory, oak, run_worker, live_server, page):
    released = released_case(app, db, factory, oak, run_worker)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + released.link)
    expect(page.get_by_role("link", name="All the documents as one PDF")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="report.docx").click()
    expect(page.locator("h1")).to_have_text("report.docx")
    expect(page.get_by_role("heading", name="Annual review")).to_be_visible()
    table = page.locator("[data-document] table")
    expect(table.locator("th").first).to_have_text("Subject")
    expect(table.locator("td").first).to_have_text("Maths")
    expect(page.locator("[data-document]")).to_contain_text("<script>document.title='pwned'")
    _no_sideways_scroll(page)
    assert_accessible(page)
    assert "pwned" not in page.title() and dialogs == []

    page.get_by_role("link", name="Back to your request").click()
    page.get_by_role("link", name="message.eml").click()
    expect(page.locator("[data-document] dl")).to_contain_text("Trip <b>plan</b>")
    _no_sideways_scroll(page)
    assert_accessible(page)
    assert dialogs == []


def test_the_release_area_shows_openings_and_records_a_delivery(
    app, db, factory, oak, run_worker, live_server, page
):
    from tests.staff.test_browser import _sign_in

    released = released_case(app, db, factory, oak, run_worker)
    app.test_client().get(released.link)  # the parent's page; nothing opened yet
    _sign_in(page, live_server, oak.dpo, oak.dpo_secret)
    page.goto(f"{live_server}/staff/cases/{oak.school.slug}/{released.case.reference}/review")
    expect(page.locator("#opened + ul")).to_contain_text("report.docx — not opened yet")
    assert_accessible(page)
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Record delivery").click()
    expect(page.locator(".notice-success")).to_contain_text("Delivery recorded.")
    expect(page.locator("#delivery + ul")).to_contain_text("By post")
    assert_accessible(page)
