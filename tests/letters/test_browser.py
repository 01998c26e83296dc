"""In a real browser: a DPO fixes a broken letter template and creates a letter,
and the pages pass axe-core (no serious or critical problems)."""

from __future__ import annotations

import pyotp
import pytest

from sar_service.clock import today
from sar_service.letters.render import default_template
from tests.browser_support import assert_accessible
from tests.letters.conftest import letters


def sign_in(page, base: str, staff, secret: str) -> None:
    page.goto(f"{base}/staff/sign-in")
    page.fill("#email", staff.user.email)
    page.fill("#password", staff.password)
    page.click("button[type=submit]")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/**")


@pytest.mark.browser
def test_dpo_edits_wording_and_creates_a_letter(page, live_server, team, factory, db):
    school = team.school
    case = factory.case(school, today())
    sign_in(page, live_server, team.dpo, team.dpo_secret)

    page.goto(f"{live_server}/staff/settings/{school.slug}/letters/refusal")
    assert page.locator("#text").input_value().strip() == default_template("refusal").strip()
    assert_accessible(page)
    page.fill("#text", "Dear {{ requester_name }},\n\n{% if outcome %}\nHello\n")
    page.click("button[value=save]")
    error = page.locator("#text-error")
    assert "Line 4: unexpected end of template" in error.inner_text()
    assert page.locator("#text").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.goto(f"{live_server}/staff/cases/{school.slug}/{case.reference}")
    page.click("text=Create a letter")
    page.select_option("#letter-kind", "identity_request")
    page.click("button:has-text('Create letter')")
    page.wait_for_url("**#letters")
    assert "Letter created" in page.locator("main").inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("#letters ~ table a:has-text('Download')")
    assert download.value.suggested_filename == f"{case.reference}-identity_request-v1.docx"
    assert [row.letter_kind for row in letters(db, case.id)] == ["identity_request"]
